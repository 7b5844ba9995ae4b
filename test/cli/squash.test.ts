import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Project } from '../../src/core/project.js';
import { databaseOf } from '../../src/core/project.js';
import { takeSnapshot } from '../../src/core/verify/snapshot.js';
import { anyDbEnv, mikroOrmOn, sideTableRecords } from '../helpers/any-db-project.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { cliOn, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { copyExample } from '../helpers/project.js';
import { type RealProject, realProject } from '../helpers/real-project.js';
import { recordedRevisions, tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// A history written by MikroORM's own `migration:create`, one entity change at a time (STAGE says how far the
// entities have come), on the database under test: users; teams with a foreign key to users; users.name and an index
// on teams.title; teams.slug. Then `squash` replaces the last three with one revision.
const CONFIG = `import { defineConfig, EntitySchema } from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';

const url = process.env.ANY_DB_URL ?? '';
const driver = url.startsWith('sqlite:') ? SqliteDriver : url.startsWith('postgres') ? PostgreSqlDriver : MySqlDriver;
const stage = Number(process.env.STAGE ?? '4');

const User = new EntitySchema({
  name: 'User',
  tableName: 'users',
  properties: {
    id: { type: 'number', primary: true },
    email: { type: 'string', unique: true },
    ...(stage >= 3 ? { name: { type: 'string', nullable: true } } : {}),
  },
});
const Team = new EntitySchema({
  name: 'Team',
  tableName: 'teams',
  indexes: stage >= 3 ? [{ name: 'ix_teams_title', properties: ['title'] }] : [],
  properties: {
    id: { type: 'number', primary: true },
    title: { type: 'string' },
    owner: { kind: 'm:1', entity: 'User' },
    ...(stage >= 4 ? { slug: { type: 'string', nullable: true } } : {}),
  },
});

export default defineConfig({
  driver,
  ...(url.startsWith('sqlite:') ? { dbName: url.slice('sqlite:'.length) } : { clientUrl: url }),
  entities: stage >= 2 ? [User, Team] : [User],
  migrations: { path: './migrations', snapshot: false },
});
`;

const M1 = 'Migration20260101000001_users';
const M2 = 'Migration20260101000002_teams';
const M3 = 'Migration20260101000003_user_name';
const M4 = 'Migration20260101000004_team_slug';
const SQUASH = `${M4}_squashed`;

/** Runs MikroORM's migration:create at each stage (applying each, as its diff is against the database) under a fixed name. */
function historyByMikroOrm(project: RealProject, db: TestDatabase): void {
  for (const [stage, name] of [M1, M2, M3, M4].entries()) {
    process.env.STAGE = String(stage + 1);
    try {
      const dir = join(project.dir, 'migrations');
      const before = new Set(existsSync(dir) ? readdirSync(dir) : []);
      mikroOrmOn(project, db, 'migration:create');
      const made = readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.ts'))!;
      const source = readFileSync(join(dir, made), 'utf8').replace(/class Migration\w+/, `class ${name}`);
      renameSync(join(dir, made), join(dir, `${name}.ts`));
      project.write(`migrations/${name}.ts`, source);
      mikroOrmOn(project, db, 'migration:up');
    } finally {
      delete process.env.STAGE;
    }
  }
}

async function schemaOf(project: RealProject, db: TestDatabase) {
  const opened = await Project.open({ cwd: project.dir, dbUrl: db.url, env: anyDbEnv(db) });
  try {
    return await takeSnapshot(databaseOf(opened));
  } finally {
    await opened.close();
  }
}

const userTables = async (db: TestDatabase) => (await tableNames(db)).filter((t) => !t.startsWith('migrate_ui_') && t !== 'mikro_orm_migrations');

describe.each(DIALECTS)('squash on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = realProject({
    files: { 'package.json': JSON.stringify({ name: 'squash', private: true, type: 'module' }), 'mikro-orm.config.ts': CONFIG },
  });
  afterAll(() => project.remove());

  test('one revision replaces a range: proven, applied where the range was, alone where nothing was, refused half-way', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir, env: anyDbEnv(db) });
    historyByMikroOrm(project, db);
    expect(await recordedRevisions(db)).toEqual([M1, M2, M3, M4]);
    const built = await schemaOf(project, db);

    // Without a terminal and without --yes: one line, nothing written; --dry-run shows the file and writes nothing.
    const [line] = expectShortError(await cli.run(['squash', 'teams', 'team_slug']), 2);
    expect(line).toBe(`migrate-ui: squash would write ${SQUASH} replacing 3 revision(s) (${M2} … ${M4})`);
    const dry = await cli.json(['squash', 'teams', 'team_slug', '--dry-run', '--json']);
    expect(dry).toMatchObject({ dryRun: true, file: null, revision: SQUASH, replaces: [M2, M3, M4], base: M1 });
    expect(dry.source).toContain(`@migrate-ui replaces ${JSON.stringify([M2, M3, M4])}`);
    expect(existsSync(join(project.dir, 'migrations', `${SQUASH}.ts`))).toBe(false);

    // From the first revision, the squash starts from an empty database: it creates every table.
    const whole = await cli.json(['squash', 'users', 'team_slug', '--dry-run', '--json']);
    expect(whole).toMatchObject({ revision: SQUASH, replaces: [M1, M2, M3, M4], base: null });
    expect(whole.source).toContain("await op.createTable('users'");

    // Written and proven on scratch databases: from M1's schema to M4's, with the teams table created whole.
    const written = await cli.json(['squash', 'teams', 'team_slug', '--yes', '--json']);
    expect(written).toMatchObject({ revision: SQUASH, replaces: [M2, M3, M4], base: M1, proven: true });
    const source = readFileSync(written.file, 'utf8');
    expect(source).toContain("await op.createTable('teams'");
    expect(source).toContain("await op.dropTable('teams')");
    expect(source).not.toContain("createTable('users'");

    // The database that applied the originals sees it applied; the old files can go as far as it is concerned.
    let status = await cli.json(['status', '--json']);
    const byName = (name: string) => status.revisions.find((r: { name: string }) => r.name === name);
    expect(byName(SQUASH)).toMatchObject({ status: 'applied', replaces: [M2, M3, M4], oldFilesDeletable: [M2, M3, M4] });
    expect(byName(M3)).toMatchObject({ status: 'applied', replacedBy: SQUASH });
    expect(status.pending).toBe(0);
    expect(expectOk(await cli.run(['status'])).stdout).toContain(`replaced by ${SQUASH}`);
    // up runs nothing, and records it under the lock in both tables: MikroORM's CLI then finds nothing pending.
    expect(expectOk(await cli.run(['up'])).stderr).toContain('nothing to do');
    expect(await recordedRevisions(db)).toEqual([M1, M2, M3, M4, SQUASH]);
    expect(await sideTableRecords(db)).toEqual([SQUASH]);
    expect(mikroOrmOn(project, db, 'migration:pending')).not.toContain(SQUASH);

    // A replaced revision is no target; down reverts the squash (its down()) and forgets the records it replaced.
    expectShortError(await cli.run(['down', M3, '--yes']), 2);
    const down = expectOk(await cli.run(['down', M1, '--yes']));
    expect(down.stderr).toContain(`reverted ${SQUASH}`);
    expect(down.stderr).not.toContain(`reverted ${M4} (`);
    expect(await recordedRevisions(db)).toEqual([M1]);
    expect(await sideTableRecords(db)).toEqual([]);
    expect(await userTables(db)).toEqual(['users']);

    // A database at M1 applies the squash alone, and gets exactly the originals' schema.
    const up = expectOk(await cli.run(['up']));
    expect(up.stderr).toContain(`applied  ${SQUASH}`);
    expect(up.stderr).not.toContain(M2);
    expect(await recordedRevisions(db)).toEqual([M1, SQUASH]);
    expect(await sideTableRecords(db)).toEqual([SQUASH]);
    expect(await schemaOf(project, db)).toEqual(built);
    status = await cli.json(['status', '--json']);
    expect(byName(M2)).toMatchObject({ status: 'pending', replacedBy: SQUASH });
    expect(status.pending).toBe(0);

    // Half the range applied from an older checkout (without the squash's file): a run that would stay half-way is
    // refused; one that completes it runs the originals.
    expectOk(await cli.run(['down', M1, '--yes']));
    const file = join(project.dir, 'migrations', `${SQUASH}.ts`);
    renameSync(file, `${file}.away`);
    expectOk(await cli.run(['up', M2]));
    renameSync(`${file}.away`, file);
    status = await cli.json(['status', '--json']);
    expect(byName(SQUASH)).toMatchObject({ status: 'pending', partiallyApplied: [M2] });
    const [halfway] = expectShortError(await cli.run(['up', '+1']), 2);
    expect(halfway).toContain(`1 of the 3 revisions ${SQUASH} replaces applied`);
    const completed = expectOk(await cli.run(['up']));
    expect(completed.stderr).toContain(`applied  ${M4} (`);
    expect(completed.stderr).not.toContain(`applied  ${SQUASH}`);
    expect(expectOk(await cli.run(['up'])).stderr).toContain('nothing to do');
    expect(await recordedRevisions(db)).toEqual([M1, M2, M3, M4, SQUASH]);
    expect(await schemaOf(project, db)).toEqual(built);
  }, 300_000);
});

describe('squash refuses bad input in one line (SQLite)', () => {
  const database = useTestDatabase('sqlite');
  const project = copyExample();
  afterAll(() => project.remove());

  test('an unknown revision, a range that runs backwards, a name with spaces, a missing TO: exit 2, nothing written', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir });
    const before = readdirSync(project.migrationsDir);
    expect(expectShortError(await cli.run(['squash', 'nope', 'add_features_table', '--yes']), 2)[0]).toBe('migrate-ui: no revision matches "nope"');
    expect(expectShortError(await cli.run(['squash', 'add_features_table', 'create_users', '--yes']), 2)[0]).toBe(
      'migrate-ui: Migration20260103090000_add_features_table comes after Migration20260101090000_create_users',
    );
    expect(expectShortError(await cli.run(['squash', 'create_users', 'add_channel_table', '--name', 'a b', '--yes']), 2)[0]).toBe(
      'migrate-ui: the name "a b" may hold letters, digits and _ only',
    );
    expect(expectShortError(await cli.run(['squash', 'create_users']), 2)[0]).toBe('migrate-ui: squash needs FROM and TO');
    // head names the newest revision, as for up.
    const toHead = JSON.parse((await cli.run(['squash', 'add_feature_slug', 'head', '--dry-run', '--json'])).stdout);
    expect(toHead).toMatchObject({
      revision: 'Migration20260106090000_add_feature_slug_index_squashed',
      replaces: [
        'Migration20260104090000_add_feature_slug',
        'Migration20260105090000_backfill_feature_slug',
        'Migration20260106090000_add_feature_slug_index',
      ],
    });
    expect(readdirSync(project.migrationsDir)).toEqual(before);
  });
});

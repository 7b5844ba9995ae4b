import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { mikroOrmCli, ROOT } from '../helpers/cli.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { cliOn, expectInSync, expectOk } from '../helpers/expect-cli.js';
import { EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { authoringProject } from '../helpers/real-project.js';
import { schemaShape } from '../helpers/schema-shape.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { fixtureProject } from './entities/fixtures.js';
import { createTable, foreignKey, PROJECT_KEYS } from '../helpers/spec.js';

// `migrate-ui new` as a user runs it on the example project (EntitySchema entities): the revision is written with
// its entity edits, applies, and then MikroORM's own diff (`check`) finds entities and schema in sync and the
// project still type-checks — on each database. The three ways of writing entities are covered operation by
// operation in test/authoring/entities/.

const SPEC = {
  operations: [
    createTable(
      'projects',
      ...PROJECT_KEYS,
      { name: 'title', type: 'string', length: 100 },
      { name: 'budget', type: 'decimal', precision: 12, scale: 2, nullable: true },
    ),
    { op: 'createIndex', table: 'projects', columns: ['user_id'] },
    foreignKey('projects', 'user_id', 'users', { onDelete: 'cascade' }),
    { op: 'addColumn', table: 'features', column: { name: 'priority', type: 'integer', nullable: true, default: 0 } },
    { op: 'alterColumn', table: 'features', column: 'priority', nullable: false, default: 1 },
    { op: 'renameColumn', table: 'features', from: 'description', to: 'summary' },
    { op: 'dropColumn', table: 'channel', column: 'topic' },
  ],
};

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noImplicitOverride: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['entities', 'migrations', 'mikro-orm.config.ts'],
});

/** `tsc --noEmit` over the project: its output, empty when it passes. */
function typeErrors(dir: string): string {
  try {
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return `${e.stdout}${e.stderr}` || 'tsc failed';
  }
}

const entityFiles = (dir: string) =>
  Object.fromEntries(readdirSync(join(dir, 'entities')).map((f) => [f, readFileSync(join(dir, 'entities', f), 'utf8')]));

describe.concurrent.each(DIALECTS)('new with entity edits on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = authoringProject();
  project.write('tsconfig.json', TSCONFIG);
  project.write('spec.json', JSON.stringify(SPEC));
  afterAll(() => project.remove());
  const it = test.sequential;
  const cli = (db: TestDatabase) => cliOn(db, { cwd: project.dir });

  it('--print shows the file, the SQL and the entity edits, and writes nothing', async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['up']));
    const before = entityFiles(project.dir);
    const printed = expectOk(await cli(db).run(['new', 'add_projects', '--spec', 'spec.json', '--print'])).stdout;
    expect(printed).toContain("await op.createTable('projects', [");
    expect(printed).toMatch(/^-- the SQL it runs on (sqlite|postgresql|mariadb)$/m);
    expect(printed).toMatch(/create table [`"]projects[`"]/);
    expect(printed).toContain('entities/project.ts (new, not written)');
    expect(readdirSync(project.migrationsDir).sort()).toEqual(R.map((r) => `${r}.ts`));
    expect(entityFiles(project.dir)).toEqual(before);
  });

  it('writes the revision and the entities; after up, check is in sync and tsc passes; down restores the schema', async (ctx) => {
    const db = database(ctx);
    const schemaBefore = await schemaShape(db);
    const made = await cli(db).json(['new', 'add_projects', '--spec', 'spec.json']);
    expect(made.entities.map((p: string) => p.slice(project.dir.length + 1)).sort()).toEqual([
      'entities/channel.ts',
      'entities/feature.ts',
      'entities/project.ts',
      'mikro-orm.config.ts',
    ]);
    const feature = readFileSync(join(project.dir, 'entities/feature.ts'), 'utf8');
    expect(feature).toContain("priority: { type: 'integer', default: 1 },");
    expect(feature).toContain("summary: { type: 'text', nullable: true },");
    expect(feature).not.toContain('description');
    expect(readFileSync(join(project.dir, 'mikro-orm.config.ts'), 'utf8')).toContain(
      'entities: [UserSchema, ChannelSchema, FeatureSchema, ProjectSchema]',
    );
    expect(typeErrors(project.dir)).toBe('');

    expect((await cli(db).json(['up'])).applied).toEqual([expect.stringMatching(/_add_projects$/)]);
    expectInSync(await cli(db).run(['check']));

    expect((await cli(db).json(['down', '--yes'])).reverted).toHaveLength(1);
    expect(await schemaShape(db)).toEqual(schemaBefore);
    rmSync(made.file);
  });

  it('--from-entities writes what the entities add, with a down() that takes it away again', async (ctx) => {
    const db = database(ctx);
    // The entities still describe the revision just reverted: the diff is exactly that revision.
    const schemaBefore = await schemaShape(db);
    const made = await cli(db).json(['new', 'sync_entities', '--from-entities']);
    expect(made.entities).toEqual([]);
    const source = readFileSync(made.file, 'utf8');
    const down = source.slice(source.indexOf('async down()'));
    expect(down).toContain("await op.dropTable('projects');");
    expect(down).toContain("op.dropColumn('features', 'priority')");
    expect((await cli(db).json(['up'])).applied).toEqual([expect.stringMatching(/_sync_entities$/)]);
    expect((await cli(db).run(['check'])).code).toBe(0);
    expect((await cli(db).json(['down', '--yes'])).reverted).toHaveLength(1);
    expect(await schemaShape(db)).toEqual(schemaBefore);
  });

  it('--from-entities with nothing to add writes nothing and says so (exit 0)', async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['up']));
    const files = readdirSync(project.migrationsDir);
    const run = expectOk(await cli(db).run(['new', 'nothing', '--from-entities']));
    expect(run.stdout).toContain('nothing to write: the entities and the database already agree');
    expect(readdirSync(project.migrationsDir)).toEqual(files);
  });
});

describe('a generated revision under MikroORM’s own CLI (SQLite)', () => {
  const project = authoringProject();
  project.write('spec.json', JSON.stringify({ operations: SPEC.operations.slice(0, 4) }));
  afterAll(() => project.remove());
  const mikroOrm = (command: string) => mikroOrmCli(project.dir, command);

  test('migration:up applies it, check is in sync, migration:down reverts it', async () => {
    const sqlite = { dialect: 'sqlite' as const, url: `sqlite://${join(project.dir, 'example.sqlite')}` } as TestDatabase;
    const run = (args: string[]) => cliOn(sqlite, { cwd: project.dir }).run(args);
    expectOk(await run(['up']));
    const made = JSON.parse(expectOk(await run(['new', 'add_projects', '--spec', 'spec.json', '--json'])).stdout);
    const name = made.file.slice(made.file.lastIndexOf('/') + 1, -3);
    expect(mikroOrm('migration:up')).toContain(`Applied '${name}'`);
    expect(expectOk(await run(['check'])).stdout).toContain('entities and schema are in sync');
    expect(mikroOrm('migration:down')).toContain(`Reverted '${name}'`);
    const status = JSON.parse(expectOk(await run(['status', '--json'])).stdout);
    expect(status.current).toBe(R.at(-1));
    expect(existsSync(made.file)).toBe(true);
  });
});

// The "done": a project with decorator entities (types from decorator metadata, and stated), its first
// revision made by --from-entities, then `new add_publishers --spec` writes a file and an entity; on each database it
// applies, check is in sync, tsc passes, down restores exactly the schema before, and it applies again.
describe.concurrent.each(DIALECTS)('decorator entities, from the first revision on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = fixtureProject('decorator');
  // Installed, as in a user's project: the generated files import it (tsc reads its types from here).
  mkdirSync(join(project.dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(project.dir, 'node_modules', 'migrate-ui'));
  project.write(
    'spec.json',
    JSON.stringify({
      operations: [
        {
          op: 'createTable',
          table: 'publishers',
          columns: [
            { name: 'id', type: 'integer', primary: true },
            { name: 'name', type: 'string', length: 120, unique: true },
            { name: 'founded', type: 'date', nullable: true },
          ],
        },
        { op: 'addColumn', table: 'books', column: { name: 'publisher_id', type: 'integer', nullable: true } },
        {
          op: 'addForeignKey',
          table: 'books',
          columns: ['publisher_id'],
          references: { table: 'publishers', columns: ['id'] },
          onDelete: 'set null',
        },
        { op: 'addColumn', table: 'authors', column: { name: 'follower_count', type: 'integer', default: 0 } },
        { op: 'renameColumn', table: 'authors', from: 'display_name', to: 'pen_name' },
      ],
    }),
  );
  afterAll(() => project.remove());
  const it = test.sequential;
  const cli = (db: TestDatabase) => cliOn(db, { cwd: project.dir, env: { APP_SQLITE: '' } });

  it('--from-entities writes the first revision; it applies and check is in sync', async (ctx) => {
    const db = database(ctx);
    const made = await cli(db).json(['new', 'initial', '--from-entities']);
    expect(readFileSync(made.file, 'utf8')).toContain("await op.dropTable('books');");
    expectOk(await cli(db).run(['up']));
    const check = await cli(db).run(['check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the next file gets a later timestamp
  });

  it('new --spec writes the revision and the entity, applies, check in sync, tsc passes, reverts exactly, applies again', async (ctx) => {
    const db = database(ctx);
    const made = await cli(db).json(['new', 'add_publishers', '--spec', 'spec.json']);
    const publisher = readFileSync(join(project.dir, 'src/entities/publisher.ts'), 'utf8');
    expect(publisher).toContain("@Entity({ tableName: 'publishers' })");
    expect(publisher).toContain('export class Publisher {');
    expect(made.entities.map((p: string) => p.slice(project.dir.length + 1)).sort()).toEqual([
      'src/entities/author.ts',
      'src/entities/book.ts',
      'src/entities/publisher.ts',
      'src/mikro-orm.config.ts',
    ]);
    expect(typeErrors(project.dir)).toBe('');
    const before = await schemaShape(db);
    const up = await cli(db).json(['up']);
    expect(up.applied, JSON.stringify(up)).toEqual([expect.stringMatching(/_add_publishers$/)]);
    const after = await schemaShape(db);
    const check = await cli(db).run(['check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect((await cli(db).json(['down', '--yes'])).reverted).toHaveLength(1);
    expect(await schemaShape(db)).toEqual(before);
    expect((await cli(db).json(['up'])).applied).toHaveLength(1);
    expect(await schemaShape(db)).toEqual(after);
  });
});

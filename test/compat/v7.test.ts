import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, type CliResult, ROOT } from '../helpers/cli.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { recordedRevisions, withSql } from '../helpers/sql.js';
import { waitFor } from '../helpers/processes.js';
import { Tmux } from '../helpers/tmux.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { FIXTURE, installed, NODE, projectCopy, runV7 as run, startV7 as start } from './v7-fixture.js';

// migrate-ui on MikroORM 7.2.1 and Node 22: the fixture project compat/v7 (its own package.json and lock) brings
// both; compat/install.sh installs them. Issue 20's Done means on MikroORM 7: status, up (--dry-run), down, check,
// new --spec and --from-entities on the three databases; a data migration killed and resumed, two runs at once and
// watch --json; the packed package installed in the project (tsc, MikroORM's own CLI); the TUI in tmux on SQLite.
// Run with `npx vitest run -c test/compat/vitest.config.ts test/compat/v7.test.ts` (npm test runs it after the main suite).

const REVISIONS = [
  'Migration20260101090000_create_users',
  'Migration20260102090000_add_channel_table',
  'Migration20260103090000_add_features_table',
  'Migration20260104090000_add_feature_slug',
  'Migration20260105090000_backfill_feature_slug',
  'Migration20260106090000_add_feature_slug_index',
];

/** Puts the copy's entities, config and revisions back as the fixture has them (what `new` wrote goes). */
function restoreProject(dir: string): void {
  for (const part of ['mikro-orm.config.ts', 'entities', 'migrations']) {
    rmSync(join(dir, part), { recursive: true, force: true });
    cpSync(join(FIXTURE, part), join(dir, part), { recursive: true });
  }
  rmSync(join(dir, 'spec.json'), { force: true });
}

/** A spec of issue 20: a column and its index on features, and a projects table whose user_id references users. */
const SPEC = {
  operations: [
    { op: 'addColumn', table: 'features', column: { name: 'rank', type: 'integer', nullable: true } },
    { op: 'createIndex', table: 'features', columns: ['rank'], name: 'ix_features_rank' },
    {
      op: 'createTable',
      table: 'projects',
      columns: [
        { name: 'id', type: 'string', primary: true },
        { name: 'user_id', type: 'string' },
      ],
    },
    { op: 'addForeignKey', table: 'projects', columns: ['user_id'], references: { table: 'users', columns: ['id'] } },
  ],
};

async function json(args: string[], dir: string, url: string): Promise<any> {
  const result = await run([...args, '--json'], dir, url);
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}

const TABLES: Record<TestDatabase['dialect'], string> = {
  sqlite: `select name as t from sqlite_master where type = 'table' and name not like 'sqlite_%' order by 1`,
  postgresql: `select table_name as t from information_schema.tables where table_schema = 'public' order by 1`,
  mariadb: 'select table_name as t from information_schema.tables where table_schema = database() order by 1',
};

const tables = (db: TestDatabase) => withSql(db, (sql) => sql.query<{ t: string }>(TABLES[db.dialect])).then((rows) => rows.map((r) => r.t));

const OURS = ['migrate_ui_lock', 'migrate_ui_progress', 'migrate_ui_revisions', 'mikro_orm_migrations'];

test('the MikroORM 7 fixture is installed (npm ci in compat/v7)', () => {
  expect(installed, `compat/v7 is not installed: run \`npm ci\` in ${FIXTURE}`).toBe(true);
});

/** Node's module hooks (require and import alike): prints every @mikro-orm package folder the process resolved into. */
const TRACE_PACKAGES = `import { registerHooks } from 'node:module';
const seen = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    const m = /^file:\\/\\/(.*\\/node_modules\\/@mikro-orm\\/[^/]+)\\//.exec(resolved.url);
    if (m) seen.add(m[1]);
    return resolved;
  },
});
process.on('exit', () => process.stderr.write('packages: ' + JSON.stringify([...seen].sort()) + '\\n'));
`;

test("one copy of MikroORM loads: the project's 7.2.1, never the repository's MikroORM 6", async () => {
  expect(installed, 'compat/v7 is not installed').toBe(true);
  const project = projectCopy();
  try {
    const hook = join(project.dir, 'trace-packages.mjs');
    writeFileSync(hook, TRACE_PACKAGES);
    const result = await run(['check'], project.dir, `sqlite:${join(project.dir, 'db.sqlite')}`, { nodeArgs: ['--import', hook] });
    expect(result.code, result.stderr).toBe(4);
    const packages = JSON.parse(/^packages: (.*)$/m.exec(result.stderr)![1]) as string[];
    const own = join(FIXTURE, 'node_modules/@mikro-orm');
    expect(packages.map((p) => p.replace(`${own}/`, ''))).toEqual(['core', 'migrations', 'sql', 'sqlite']);
  } finally {
    project.remove();
  }
});

describe.each(DIALECTS)('MikroORM 7.2.1 on Node 22 (%s)', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = projectCopy();
  afterAll(() => project.remove());

  test('status, up --dry-run, up, check, down --yes, and down to the base', async (ctx) => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    const db = database(ctx);
    const { dir } = project;
    const status = await json(['status'], dir, db.url);
    expect(status.revisions.map((r: { name: string; status: string }) => `${r.name} ${r.status}`)).toEqual(REVISIONS.map((n) => `${n} pending`));

    const dry = await run(['up', '--dry-run'], dir, db.url);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/create table users \(id \w+(\(255\))? not null primary key/);
    expect(dry.stdout).toContain('create index ix_features_slug on features (slug)');
    // A dry run writes nothing (on SQLite, not even the file).
    if (dialect === 'sqlite') expect(existsSync(db.url.replace(/^sqlite:/, ''))).toBe(false);
    else expect(await tables(db)).toEqual([]);

    const up = await json(['up'], dir, db.url);
    expect(up.applied).toEqual(REVISIONS);
    expect(await tables(db)).toEqual(['channel', 'features', ...OURS, 'users'].sort());
    const recorded = await withSql(db, (sql) => sql.query<{ name: string }>('select name from mikro_orm_migrations order by id'));
    expect(recorded.map((r) => r.name)).toEqual(REVISIONS);

    const inSync = await run(['check'], dir, db.url);
    expect(inSync.code, inSync.stdout + inSync.stderr).toBe(0);
    expect(inSync.stdout).toContain('entities and schema are in sync');

    const down = await run(['down', '--yes'], dir, db.url);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout + down.stderr).toContain(`reverted ${REVISIONS[5]}`);
    const drift = await run(['check'], dir, db.url);
    expect(drift.code).toBe(4);
    // MikroORM's SQL for the missing index (MariaDB's form: alter table … add index).
    expect(drift.stdout).toMatch(/(create index .?ix_features_slug.? on|alter table .?features.? add index .?ix_features_slug.?) /);

    for (const name of [...REVISIONS].reverse().slice(1)) {
      const next = await run(['down', '--yes'], dir, db.url);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stdout + next.stderr).toContain(`reverted ${name}`);
    }
    expect(await tables(db)).toEqual(OURS);
    const after = await json(['status'], dir, db.url);
    expect(after.revisions.every((r: { status: string }) => r.status === 'pending')).toBe(true);
  });

  test('new --spec (addColumn, createIndex, createTable with a foreign key): file and entities written, up, check in sync, down', async (ctx) => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    const db = database(ctx);
    const { dir } = project;
    expect((await run(['up'], dir, db.url)).code).toBe(0);
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(SPEC));
    try {
      const written = await json(['new', 'rank', '--spec', 'spec.json'], dir, db.url);
      expect(written.file).toMatch(/migrations\/Migration\d{14}_rank\.ts$/);
      expect(readFileSync(written.file, 'utf8')).toContain("await op.createTable('projects'");
      expect(written.entities.map((f: string) => f.replace(`${dir}/`, '')).sort()).toEqual([
        'entities/feature.ts',
        'entities/project.ts',
        'mikro-orm.config.ts',
      ]);
      expect(readFileSync(join(dir, 'entities/feature.ts'), 'utf8')).toContain("rank: { type: 'integer', nullable: true },");
      // MikroORM 7 takes a relation's target as a class or EntitySchema only (a string fails its discovery).
      expect(readFileSync(join(dir, 'entities/project.ts'), 'utf8')).toContain("user: { kind: 'm:1', entity: () => UserSchema, fieldName: 'user_id'");

      const up = await json(['up'], dir, db.url);
      expect(up.applied).toEqual([written.file.replace(/^.*\/(.*)\.ts$/, '$1')]);
      expect(await tables(db)).toContain('projects');
      const inSync = await run(['check'], dir, db.url);
      expect(inSync.code, inSync.stdout + inSync.stderr).toBe(0);
      expect(inSync.stdout).toContain('entities and schema are in sync');

      const down = await run(['down', '--yes'], dir, db.url);
      expect(down.code, down.stderr).toBe(0);
      expect(await tables(db)).not.toContain('projects');
    } finally {
      restoreProject(dir);
    }
  });

  test('new --from-entities: nothing to write while they agree; after an entity edit, a revision adding just that column', async (ctx) => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    const db = database(ctx);
    const { dir } = project;
    expect((await run(['up'], dir, db.url)).code).toBe(0);
    const nothing = await run(['new', 'x', '--from-entities'], dir, db.url);
    expect(nothing.code, nothing.stderr).toBe(0);
    expect(nothing.stdout).toContain('nothing to write');
    expect(readdirSync(join(dir, 'migrations'))).toHaveLength(REVISIONS.length);

    const feature = join(dir, 'entities/feature.ts');
    const text = readFileSync(feature, 'utf8');
    writeFileSync(
      feature,
      text.replace(
        "slug: { type: 'string', nullable: true },",
        "slug: { type: 'string', nullable: true },\n    rank: { type: 'integer', nullable: true },",
      ),
    );
    try {
      const written = await json(['new', 'add_rank', '--from-entities'], dir, db.url);
      expect(written.file).toMatch(/Migration\d{14}_add_rank\.ts$/);
      const source = readFileSync(written.file, 'utf8');
      expect(source).toContain("await op.addColumn('features', { name: 'rank', type: 'integer', nullable: true });");
      // That column only: no other operation in up(), none of our tables nor MikroORM's migrations table.
      expect(source.match(/await op\.\w+\(/g)).toEqual(['await op.addColumn(', 'await op.dropColumn(']);
      const sql = written.sql[dialect] as string[];
      expect(sql).toHaveLength(1);
      expect(sql[0]).toMatch(/^alter table .features. add (column )?.rank. int(eger)? null$/);

      expect((await json(['up'], dir, db.url)).applied).toHaveLength(1);
      const inSync = await run(['check'], dir, db.url);
      expect(inSync.code, inSync.stdout + inSync.stderr).toBe(0);
      const again = await run(['new', 'y', '--from-entities'], dir, db.url);
      expect(again.stdout).toContain('nothing to write');
      expect((await run(['down', '--yes'], dir, db.url)).code).toBe(0);
    } finally {
      restoreProject(dir);
    }
  });

  test("new --from-entities: an index changed in the entities is MikroORM's own SQL without its schema head (`set names`); up runs its statements, check in sync", async (ctx) => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    const db = database(ctx);
    const { dir } = project;
    expect((await run(['up'], dir, db.url)).code).toBe(0);
    const feature = join(dir, 'entities/feature.ts');
    const text = readFileSync(feature, 'utf8');
    writeFileSync(
      feature,
      text.replace("{ name: 'ix_features_slug', properties: ['slug'] }", "{ name: 'ix_features_slug', properties: ['slug', 'name'] }"),
    );
    try {
      const written = await json(['new', 'slug_name', '--from-entities'], dir, db.url);
      // The spec has no operation for a changed index: MikroORM's SQL for the table (drop, create).
      const source = readFileSync(written.file, 'utf8');
      expect(source).toContain('await op.sql(');
      expect(source).not.toMatch(/set names/i);
      const sql = written.sql[dialect] as string[];
      expect(sql.join('\n')).toMatch(/ix_features_slug/);
      expect(sql[0]).not.toMatch(/^set /i);

      expect((await json(['up'], dir, db.url)).applied).toHaveLength(1);
      const inSync = await run(['check'], dir, db.url);
      expect(inSync.code, inSync.stdout + inSync.stderr).toBe(0);
      expect((await run(['down', '--yes'], dir, db.url)).code).toBe(0);
    } finally {
      restoreProject(dir);
    }
  });
});

/** A data migration slow enough to be interrupted: 400 rows, 10 a batch, 50 ms between batches. */
const SLOW = 'Migration20260107090000_describe_features';
/** The slow revision, `pauseMs` between its batches. */
const slowFile = (pauseMs = 50) => `import { DataMigration, type BatchingOptions, type DataStep } from 'migrate-ui';

export class ${SLOW} extends DataMigration {
  override steps(): DataStep[] {
    return [{ table: 'features', set: { description: "'described'" }, where: 'description is null' }];
  }

  override batching(): BatchingOptions {
    return { initialBatchSize: 10, minBatchSize: 10, maxBatchSize: 10, pauseMs: ${pauseMs} };
  }

  override async down(): Promise<void> {}
}
`;

const ROWS = 400;

/** Waits until the slow revision has committed some batches, and not all. */
async function midway(db: TestDatabase): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const rows = await withSql(db, (sql) =>
      sql.query<{ n: number }>('select rows_done as n from migrate_ui_progress where revision = ?', [SLOW]),
    ).catch(() => []);
    const done = Number(rows[0]?.n ?? 0);
    if (done > 0 && done < ROWS) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${SLOW} never got midway`);
}

const undescribed = (db: TestDatabase) =>
  withSql(db, (sql) => sql.query<{ n: number }>('select count(*) as n from features where description is null')).then((rows) => Number(rows[0].n));

describe.each(DIALECTS)('MikroORM 7.2.1 on Node 22: a data migration interrupted, then resumed (%s)', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = projectCopy();
  afterAll(() => project.remove());

  async function prepared(db: TestDatabase): Promise<void> {
    expect((await run(['up'], project.dir, db.url)).code).toBe(0);
    await withSql(db, async (sql) => {
      for (let i = 0; i < ROWS; i += 100) {
        const values = Array.from({ length: 100 }, (_, j) => `('f${String(i + j).padStart(4, '0')}', 'u', 'n', 0, 0)`).join(', ');
        await sql.query(`insert into features (id, user_id, name, created_at, updated_at) values ${values}`);
      }
    });
    writeFileSync(join(project.dir, 'migrations', `${SLOW}.ts`), slowFile());
  }

  test('kill -9 midway: up again resumes from the checkpoint and sets every row', async (ctx) => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    const db = database(ctx);
    await prepared(db);
    const running = start(['up'], project.dir, db.url);
    await midway(db);
    running.child.kill('SIGKILL');
    await running.done;
    expect(await undescribed(db)).toBeGreaterThan(0);
    const resumed = await run(['up'], project.dir, db.url);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout + resumed.stderr).toContain(`applied  ${SLOW}`);
    expect(await undescribed(db)).toBe(0);
  });

  if (dialect !== 'sqlite') {
    test('the connection killed midway: one line, exit 2, nothing hangs; up again finishes', async (ctx) => {
      expect(installed, 'compat/v7 is not installed').toBe(true);
      const db = database(ctx);
      expect((await run(['down', '--yes'], project.dir, db.url)).code).toBe(0);
      await withSql(db, (sql) => sql.query('update features set description = null'));
      const running = start(['up'], project.dir, db.url);
      await midway(db);
      await withSql(db, async (sql) => {
        if (dialect === 'postgresql') {
          await sql.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
        } else {
          const ids = await sql.query<{ id: number }>(
            'select id from information_schema.processlist where db = database() and id <> connection_id()',
          );
          for (const { id } of ids) await sql.query(`kill ${Number(id)}`).catch(() => undefined);
        }
      });
      const failed = await running.done;
      expect(failed.code, failed.stdout + failed.stderr).toBe(2);
      // Killed inside a batch's statement, or between two (the next one finds the session's connection gone).
      expect(failed.stderr).toMatch(
        /^migrate-ui: (the connection to the database was lost while .*describe_features ran|the run lost its connection to the database)/m,
      );
      expect(failed.stderr).not.toMatch(/^\s+at /m);
      const resumed = await run(['up'], project.dir, db.url);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(await undescribed(db)).toBe(0);
    });
  }

  test('two up at once: the second waits for the lock, naming the first, and applies nothing twice; watch --json in a third process reads the progress', async (ctx) => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    const db = database(ctx);
    expect((await run(['down', '--yes'], project.dir, db.url)).code).toBe(0);
    await withSql(db, (sql) => sql.query('update features set description = null'));
    writeFileSync(join(project.dir, 'migrations', `${SLOW}.ts`), slowFile(120));

    const first = start(['up', '--json'], project.dir, db.url);
    await midway(db);
    const watch = start(['watch', '--json'], project.dir, db.url);
    let watched = '';
    watch.child.stdout!.on('data', (chunk) => (watched += chunk));
    const second = start(['up', '--json', '--lock-timeout', '60'], project.dir, db.url);
    let waiting = '';
    second.child.stderr!.on('data', (chunk) => (waiting += chunk));
    await waitFor(async () => waiting.includes('waiting for the lock'), 'the second up to wait for the lock');
    expect(waiting).toContain(`waiting for the lock held by pid ${first.child.pid} on ${hostname()}`);
    await waitFor(
      async () => new RegExp(`"revision":"${SLOW}","status":"running","rowsDone":([1-9]\\d*),"rowsTotal":${ROWS}`).test(watched),
      'watch --json to show the running data migration',
    );

    const [one, two] = [await first.done, await second.done];
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).applied).toEqual([SLOW]);
    expect(two.code, two.stderr).toBe(0);
    expect(JSON.parse(two.stdout).applied).toEqual([]);
    expect((await recordedRevisions(db)).filter((name) => name === SLOW)).toEqual([SLOW]);
    const ours = await withSql(db, (sql) => sql.query<{ n: number }>('select count(*) as n from migrate_ui_revisions where name = ?', [SLOW]));
    expect(Number(ours[0].n)).toBe(1);
    expect(await undescribed(db)).toBe(0);

    await waitFor(async () => watched.includes(`"revision":"${SLOW}","status":"done"`), 'watch --json to show it done');
    watch.child.kill('SIGINT');
    const ended = await watch.done;
    expect(ended.code, ended.stderr).toBe(0);
    const lines = ended.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { dataMigrations: Array<{ revision: string; rowsDone: number }> });
    const seen = lines.map((line) => line.dataMigrations.find((d) => d.revision === SLOW)?.rowsDone ?? 0);
    // Rows done only grow, from midway to every row.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(ROWS);
  });
});

/** A command in `cwd` as a person runs it there: none of npm test's npm_* variables, no DATABASE_URL. */
function runIn(command: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<CliResult> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  const child = spawn(command, args, {
    cwd,
    env: { ...clean, NO_COLOR: '1', DATABASE_URL: '', VITEST: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr });
    });
  });
}

function expectExit(result: CliResult, code = 0): CliResult {
  expect(result.code, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
  return result;
}

// The packed package installed with a plain `npm install` in a MikroORM 7 project of its own (the fixture copied, its
// node_modules hard-linked; npm replaces what it changes rather than writing into the fixture's files, except its
// hidden lockfile, copied), on SQLite: `new --spec` writes a revision that `tsc` accepts and MikroORM 7's own CLI runs.
describe('MikroORM 7.2.1 on Node 22: the packed package installed in the project', () => {
  let work: string;
  let app: string;
  let install: CliResult;
  const migrateUi = (...args: string[]) => runIn(join(app, 'node'), [join(app, 'node_modules/migrate-ui/bin/migrate-ui.js'), ...args], app);
  const mikroOrm = (command: string) => runIn(join(app, 'node'), ['--import', 'tsx', join(app, 'node_modules/@mikro-orm/cli/cli.js'), command], app);
  const db: TestDatabase = { dialect: 'sqlite', url: '', drop: async () => {} };

  beforeAll(async () => {
    if (!installed) return;
    work = mkdtempSync(join(tmpdir(), 'mui-v7-packed-'));
    // dist/ is built by the global setup; `prepare` would rebuild it under the other test files.
    const pack = expectExit(await runIn('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT));
    const tarball = join(work, JSON.parse(pack.stdout)[0].filename);
    app = join(work, 'app');
    cpSync(FIXTURE, app, { recursive: true, filter: (src) => !/\/(node_modules|\.test-tmp)$|\.sqlite$/.test(src) });
    execFileSync('cp', ['-al', join(FIXTURE, 'node_modules'), join(app, 'node_modules')]);
    rmSync(join(app, 'node_modules/.package-lock.json'));
    cpSync(join(FIXTURE, 'node_modules/.package-lock.json'), join(app, 'node_modules/.package-lock.json'));
    db.url = `sqlite:${join(app, 'example.sqlite')}`;
    install = await runIn('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], app, 170_000);
  }, 200_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('npm install of the tarball keeps one @mikro-orm/core, 7.2.1, and leaves the fixture as it was', () => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    expectExit(install);
    expect(install.stderr).not.toMatch(/ERESOLVE|peer dep|overriding peer/i);
    const cores = execFileSync('find', ['node_modules', '-path', '*/@mikro-orm/core/package.json'], { cwd: app, encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(cores).toEqual(['node_modules/@mikro-orm/core/package.json']);
    expect(JSON.parse(readFileSync(join(app, cores[0]), 'utf8')).version).toBe('7.2.1');
    expect(existsSync(join(app, 'node_modules/migrate-ui/node_modules/@mikro-orm'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/@mikro-orm/knex'))).toBe(false);
    // The fixture's own install is untouched.
    expect(existsSync(join(FIXTURE, 'node_modules/migrate-ui'))).toBe(false);
    expect(readFileSync(join(FIXTURE, 'node_modules/.package-lock.json'), 'utf8')).not.toContain('node_modules/migrate-ui');
  });

  test("new --spec: tsc --noEmit passes on the project; MikroORM's migration:up and migration:down run the revision", async () => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    expectExit(await migrateUi('up'));
    writeFileSync(join(app, 'spec.json'), JSON.stringify(SPEC));
    const written = JSON.parse(expectExit(await migrateUi('new', 'rank', '--spec', 'spec.json', '--json')).stdout);
    const name = written.file.replace(/^.*\/(.*)\.ts$/, '$1');
    expect(readFileSync(written.file, 'utf8')).toContain("import { ops } from 'migrate-ui';");

    // The README's fleet export beside the config (Fleet from the installed package): tsc checks it on 7.2.1's types,
    // and MikroORM 7's own CLI below takes the config with it.
    const config = join(app, 'mikro-orm.config.ts');
    const fleet = readFileSync(join(ROOT, 'test/helpers/fleet-export.ts'), 'utf8').replace("'../../src/index.js'", "'migrate-ui'");
    writeFileSync(config, `${readFileSync(config, 'utf8')}\n${fleet}`);
    // The project's TypeScript check: its revisions (ops from the installed package), its edited entities, on 7.2.1's types.
    expectExit(await runIn(join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'tsconfig.json'], app));

    const up = expectExit(await mikroOrm('migration:up'));
    expect(up.stdout + up.stderr).toContain(`Applied '${name}'`);
    expect(await tables(db)).toContain('projects');
    const inSync = expectExit(await migrateUi('check'));
    expect(inSync.stdout).toContain('entities and schema are in sync');

    const down = expectExit(await mikroOrm('migration:down'));
    expect(down.stdout + down.stderr).toContain(`Reverted '${name}'`);
    expect(await tables(db)).not.toContain('projects');
    const status = JSON.parse(expectExit(await migrateUi('status', '--json')).stdout);
    expect(status.revisions.find((r: { name: string }) => r.name === name)).toMatchObject({ status: 'pending' });
  });
});

/** The line of the focused row, field or list entry. */
const focused = (screen: string) => screen.split('\n').find((l) => l.startsWith('› ')) ?? '';
/** A timeline row shows a revision's slug (no class prefix, no timestamp). */
const slug = (name: string) => name.replace(/^Migration\d{14}_/, '');

// The real binary on Node 22 in a real terminal (tmux), on SQLite: the timeline's u and d, and the form from `n`.
describe('MikroORM 7.2.1 on Node 22: the TUI in a terminal (sqlite)', () => {
  const project = projectCopy();
  let tmux: Tmux | undefined;
  afterAll(() => {
    tmux?.kill();
    project.remove();
  });

  test('the timeline lists the revisions; u + y applies, d + y reverts; n opens the form, an addColumn is written and applied', async () => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    const { dir } = project;
    const url = `sqlite:${join(dir, 'tui.sqlite')}`;
    tmux = new Tmux();
    tmux.start(`${NODE} ${BIN}`, { cwd: dir, columns: 100, rows: 30, env: { DATABASE_URL: url } });
    let screen = await tmux.waitFor('current base (nothing applied) · 6 pending', 30_000);
    for (const name of REVISIONS) expect(screen).toMatch(new RegExp(`○ pending\\s+${slug(name)} `));

    await tmux.press('G', (s) => focused(s).includes(slug(REVISIONS[5])));
    screen = await tmux.press('u', 'Apply 6 revisions?');
    expect(screen).toContain(`Upgrade to ${REVISIONS[5]}: 6 revisions will be applied`);
    screen = await tmux.press('y', '✓ done: 6 revisions applied');
    expect(screen).toMatch(new RegExp(`✓ applied\\s+${slug(REVISIONS[5])} ◀ current`));
    await tmux.press('Escape', 'enter  details');

    await tmux.press('k', (s) => focused(s).includes(slug(REVISIONS[4])));
    screen = await tmux.press('d', 'Revert 1 revision?');
    expect(screen).toContain('drop index ix_features_slug');
    screen = await tmux.press('y', '✓ done: 1 revision reverted');
    expect(screen).toContain(`current ${REVISIONS[4]} · 1 pending`);
    expect((await json(['status'], dir, url)).current).toBe(REVISIONS[4]);
    await tmux.press('Escape', 'enter  details');

    // The form: addColumn features.rank, an integer that may be null.
    await tmux.press('n', (s) => s.includes('New revision') && focused(s).startsWith('› name'));
    await tmux.press(['-l', 'add_rank'], (s) => s.includes('New revision add_rank'));
    await tmux.press('Enter', 'Add an operation');
    await tmux.press('Down', (s) => focused(s).startsWith('› addColumn'));
    await tmux.press('Enter', (s) => focused(s).startsWith('› table'));
    await tmux.press('Down', (s) => /^› table\s+features$/.test(focused(s)));
    await tmux.press('Enter', (s) => focused(s).startsWith('› column'));
    await tmux.press(['-l', 'rank'], (s) => /^› column\s+rank$/.test(focused(s)));
    await tmux.press(['Enter', 'Down', 'Down'], (s) => /^› type\s+integer$/.test(focused(s)));
    await tmux.press(['Enter', 'Down'], (s) => /^› nullable\s+yes$/.test(focused(s)));
    // nullable as it is now, then the fields after it (indexed and the rest) as they are.
    screen = await tmux.press(['Enter', 'Enter', 'Enter', 'Enter'], (s) => s.includes('ready: w previews and writes it'));
    expect(screen).toMatch(/1 ✓ addColumn features\.rank integer null/);
    await tmux.press('w', /Write Migration\d{14}_add_rank\.ts and 1 entity file\?/);
    expect(readdirSync(join(dir, 'migrations')).some((f) => f.includes('add_rank'))).toBe(false);
    screen = await tmux.press('y', (s) => /› ○ pending\s+add_rank /.test(s));
    const file = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith('_add_rank.ts'));
    expect(file).toBeDefined();
    expect(readFileSync(join(dir, 'migrations', file!), 'utf8')).toContain(
      "await op.addColumn('features', { name: 'rank', type: 'integer', nullable: true });",
    );
    expect(readFileSync(join(dir, 'entities/feature.ts'), 'utf8')).toContain("rank: { type: 'integer', nullable: true },");

    await tmux.press('u', 'Apply 2 revisions?');
    await tmux.press('y', '✓ done: 2 revisions applied');
    await tmux.press('Escape', 'enter  details');
    await tmux.press('q', 'EXIT=0');
    const inSync = await run(['check'], dir, url);
    expect(inSync.code, inSync.stdout + inSync.stderr).toBe(0);
    expect((await json(['status'], dir, url)).current).toBe(file!.replace(/\.ts$/, ''));
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { copyExample, EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { migration, realProject } from '../helpers/real-project.js';
import { recordedRevisions, tableNames, withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Issue 6, part 3: secrets and bad input. Each case asserts what the user sees and what the database
// (or the file system) holds afterwards.

const statuses = (status: { revisions: Array<{ name: string; status: string }> }) => status.revisions.map((r) => `${r.name} ${r.status}`);

/** Asserts that nothing the command printed, on stdout or stderr, holds any part of the password. */
function expectNoSecret(result: CliResult, parts: string[]): void {
  for (const part of parts) {
    expect(result.stdout, `stdout shows "${part}"`).not.toContain(part);
    expect(result.stderr, `stderr shows "${part}"`).not.toContain(part);
  }
}

/** A PostgreSQL URL with `password` written into it as it is (not percent-encoded). */
function withPassword(url: string, password: string, changes: { port?: string; database?: string } = {}): string {
  const u = new URL(url);
  return `${u.protocol}//${u.username}:${password}@${u.hostname}:${changes.port ?? u.port}/${changes.database ?? u.pathname.slice(1)}`;
}

/** The same URL as the user would see it: password shown as ***. */
function masked(url: string, changes: { port?: string; database?: string } = {}): string {
  return withPassword(url, '***', changes);
}

describe('a password with / in a URL', () => {
  const url = 'postgres://postgres:s3/cr3tPW@127.0.0.1:5432/x';
  const secret = ['s3/cr', 'cr3tPW'];

  test('is a malformed URL: exit 2, the password masked', async () => {
    const result = await runCli(['status', '--db', url]);
    const lines = expectShortError(result, 2);
    expect(lines[0]).toBe('migrate-ui: malformed database URL postgres://postgres:***@127.0.0.1:5432/x');
    expectNoSecret(result, secret);
  });

  test('DEBUG=migrate-ui prints the stack, still without the password', async () => {
    const result = await runCli(['status', '--db', url], { env: { DEBUG: 'migrate-ui' } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('malformed database URL postgres://postgres:***@127.0.0.1:5432/x');
    expect(result.stderr).toContain('    at ');
    expectNoSecret(result, secret);
  });

  test('on a port nobody listens on: still a malformed URL, masked', async () => {
    const result = await runCli(['up', '--db', 'postgres://postgres:s3/cr3tPW@127.0.0.1:1/x']);
    const lines = expectShortError(result, 2);
    expect(lines[0]).toBe('migrate-ui: malformed database URL postgres://postgres:***@127.0.0.1:1/x');
    expectNoSecret(result, secret);
  });
});

// PostgreSQL trusts local connections, so a URL with any password connects: the password is then in
// the header of every screen and in every message about that database.
describe.each([
  ['an @', 's3cr@3tPW', ['s3cr', '3tPW']],
  ['a space', 's3 cr3tPW', ['s3 cr', 'cr3tPW']],
])('a password with %s in it (PostgreSQL)', (_, password, secret) => {
  const database = useTestDatabase('postgresql');

  test('status: the header shows the URL with *** for the password', async (ctx) => {
    const db = database(ctx);
    const url = withPassword(db.url, password);
    const result = expectOk(await runCli(['status', '--db', url]));
    expect(result.stdout.split('\n')[0]).toBe(`migrate-ui · postgresql · ${masked(db.url)}`);
    expect(result.stdout).toContain(`· pending  ${R[0]}`);
    expectNoSecret(result, secret);
  });

  test('status --json connects and holds no part of it', async (ctx) => {
    const db = database(ctx);
    const result = expectOk(await runCli(['status', '--json', '--db', withPassword(db.url, password)]));
    expect(statuses(JSON.parse(result.stdout))).toEqual(R.map((name) => `${name} pending`));
    expectNoSecret(result, secret);
  });

  test('up applies and prints no part of it; the database holds every revision', async (ctx) => {
    const db = database(ctx);
    const result = expectOk(await runCli(['up', '--db', withPassword(db.url, password)]));
    expect(result.stderr).toContain(`✓ applied  ${R.at(-1)}`);
    expectNoSecret(result, secret);
    expect(await recordedRevisions(db)).toEqual(R);
  });

  test('an error about that database (it does not exist) masks it, also with DEBUG=migrate-ui', async (ctx) => {
    const db = database(ctx);
    const changes = { database: 'mui_no_such_database' };
    const url = withPassword(db.url, password, changes);
    const result = await runCli(['status', '--db', url]);
    const lines = expectShortError(result, 2);
    expect(lines[0]).toBe(`migrate-ui: cannot connect to ${masked(db.url, changes)}: the database does not exist`);
    expectNoSecret(result, secret);
    const debug = await runCli(['status', '--db', url], { env: { DEBUG: 'migrate-ui' } });
    expect(debug.code, debug.stderr).toBe(2);
    expect(debug.stderr).toContain('    at ');
    expectNoSecret(debug, secret);
  });

  test('a refused connection (port 1) masks it, also with DEBUG=migrate-ui', async (ctx) => {
    const db = database(ctx);
    const changes = { port: '1' };
    const url = withPassword(db.url, password, changes);
    const result = await runCli(['up', '--db', url]);
    const lines = expectShortError(result, 2);
    expect(lines[0]).toBe(`migrate-ui: cannot connect to ${masked(db.url, changes)}: connection refused`);
    expectNoSecret(result, secret);
    const debug = await runCli(['status', '--json', '--db', url], { env: { DEBUG: 'migrate-ui' } });
    expect(debug.code, debug.stderr).toBe(2);
    expect(debug.stderr).toContain('    at ');
    expectNoSecret(debug, secret);
  });
});

describe.concurrent('a SQLite database that does not exist', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'mui-nofile-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test('status lists every revision pending and creates neither the folder nor the file', async () => {
    const file = join(scratch, 'status', 'no/such/dir/x.sqlite');
    const result = expectOk(await runCli(['status', '--json', '--db', `sqlite:${file}`]));
    expect(statuses(JSON.parse(result.stdout))).toEqual(R.map((name) => `${name} pending`));
    expect(existsSync(join(scratch, 'status'))).toBe(false);
  });

  test('status without --json: the same, and nothing created', async () => {
    const file = join(scratch, 'status-text', 'no/such/dir/x.sqlite');
    const result = expectOk(await runCli(['status', '--db', `sqlite:${file}`]));
    for (const name of R) expect(result.stdout).toMatch(new RegExp(`· pending\\s+${name}`));
    expect(existsSync(join(scratch, 'status-text'))).toBe(false);
  });

  test('check reads the empty schema and creates nothing', async () => {
    const file = join(scratch, 'check', 'no/such/dir/x.sqlite');
    const result = await runCli(['check', '--db', `sqlite:${file}`]);
    // An empty database differs from the entities: exit 4, and the SQL that would create their tables.
    expect(result.code, result.stderr).toBe(4);
    expect(result.stdout).toMatch(/create table [`"]features[`"]/);
    expect(existsSync(join(scratch, 'check'))).toBe(false);
  });

  test('new --print (from the entities, and from a spec) creates neither the folder nor the file, and writes nothing', async () => {
    const project = copyExample();
    try {
      const before = readdirSync(project.dir, { recursive: true }).sort();
      const file = join(scratch, 'new-print', 'no/such/dir/x.sqlite');
      // Every revision is pending there: the entities' diff against the database would write them again (as Alembic, it refuses).
      const fromEntities = await runCli(['new', 'everything', '--from-entities', '--print', '--db', `sqlite:${file}`], { cwd: project.dir });
      expect(fromEntities.code).toBe(2);
      expect(fromEntities.stderr.split('\n')[0]).toBe(
        'migrate-ui: 6 revisions are pending: --from-entities compares the entities with the database as it is now',
      );
      writeFileSync(join(scratch, 'spec.json'), JSON.stringify({ operations: [{ op: 'sql', up: 'select 1', down: '' }] }));
      const fromSpec = expectOk(
        await runCli(['new', 'by_hand', '--spec', join(scratch, 'spec.json'), '--print', '--db', `sqlite:${file}`], { cwd: project.dir }),
      );
      expect(fromSpec.stdout).toContain('(not written)');
      expect(existsSync(join(scratch, 'new-print'))).toBe(false);
      expect(readdirSync(project.dir, { recursive: true }).sort()).toEqual(before);
    } finally {
      project.remove();
    }
  });

  test('a file next to an existing folder is not created either', async () => {
    const file = join(scratch, 'x.sqlite');
    expectOk(await runCli(['status', '--db', `sqlite:${file}`]));
    expectOk(await runCli(['up', '--dry-run', '--db', `sqlite:${file}`]));
    expect(existsSync(file)).toBe(false);
  });
});

describe('sqlite::memory:', () => {
  const project = copyExample();
  afterAll(() => project.remove());
  const before = readdirSync(project.dir).sort();

  test('status lists every revision pending and writes no file named :memory:', async () => {
    const result = expectOk(await runCli(['status', '--json', '--db', 'sqlite::memory:'], { cwd: project.dir }));
    expect(statuses(JSON.parse(result.stdout))).toEqual(R.map((name) => `${name} pending`));
    expect(readdirSync(project.dir).sort()).toEqual(before);
  });

  test('up applies every revision in memory and writes no file', async () => {
    const result = expectOk(await runCli(['up', '--json', '--db', 'sqlite::memory:'], { cwd: project.dir }));
    expect(JSON.parse(result.stdout).applied).toEqual(R);
    expect(readdirSync(project.dir).sort()).toEqual(before);
    expect(existsSync(join(project.dir, ':memory:'))).toBe(false);
  });
});

describe('a migrations folder that does not exist', () => {
  const database = useTestDatabase('sqlite');
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'no-migrations-yet', private: true }),
      'mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/sqlite';
export default defineConfig({
  dbName: 'unused.sqlite',
  entities: [],
  discovery: { warnWhenNoEntities: false },
  migrations: { path: __dirname + '/db/migrations' },
});
`,
    },
  });
  afterAll(() => project.remove());
  const folder = join(project.dir, 'db/migrations');
  const it = test.sequential;

  it('status says which folder it looked in', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    const text = expectOk(await cli.run(['status']));
    expect(text.stdout).toContain(`no revisions yet in ${folder}`);
    const json = expectOk(await cli.run(['status', '--json']));
    expect(JSON.parse(json.stdout)).toMatchObject({ current: null, pending: 0, revisions: [] });
    expect(existsSync(folder)).toBe(false);
  });

  it('up exits 0 saying there is nothing to do because there are no revisions in that folder', async (ctx) => {
    const db = database(ctx);
    const up = expectOk(await cliOn(db, { cwd: project.dir }).run(['up']));
    expect(`${up.stdout}${up.stderr}`).toContain(`nothing to do: no revisions yet in ${folder}`);
    expect(await recordedRevisions(db)).toEqual([]);
  });
});

describe('entries named like migrations that are not files', () => {
  const database = useTestDatabase('sqlite');
  const LINK = 'Migration20260103500000_x';
  const FOLDER = 'Migration20260104500000_y';
  const project = copyExample();
  symlinkSync(join(project.dir, 'nowhere.ts'), join(project.migrationsDir, `${LINK}.ts`));
  mkdirSync(join(project.migrationsDir, `${FOLDER}.ts`));
  afterAll(() => project.remove());

  test('a dangling link and a folder each show as one broken entry; status exits 0 and lists the rest', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    const result = expectOk(await cli.run(['status', '--json']));
    const status = JSON.parse(result.stdout);
    const order = [...R.slice(0, 3), LINK, R[3], FOLDER, ...R.slice(4)];
    expect(statuses(status)).toEqual(order.map((name) => `${name} ${name === LINK || name === FOLDER ? 'broken' : 'pending'}`));
    const byName = new Map(status.revisions.map((r: { name: string }) => [r.name, r]));
    expect((byName.get(LINK) as { error: string }).error).toMatch(/link .*does not exist/);
    expect((byName.get(FOLDER) as { error: string }).error).toMatch(/folder/);
    const text = expectOk(await cli.run(['status']));
    expect(text.stdout).toMatch(new RegExp(`✗ broken\\s+${LINK}`));
    expect(text.stdout).toMatch(new RegExp(`✗ broken\\s+${FOLDER}`));
  });
});

// A JavaScript error after a statement that succeeded: the statement is not what failed, the code is.
const CODE_ERROR = 'Migration20260107090000_code_error';
const codeErrorSource = `import { Migration } from '@mikro-orm/migrations';

export class ${CODE_ERROR} extends Migration {
  override async up(): Promise<void> {
    await this.execute('select 1');
    const settings = undefined as unknown as { batchSize: number };
    this.addSql(\`create table code_error_done (n int default \${settings.batchSize})\`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table code_error_done');
  }
}
`;
const THROWING_LINE = codeErrorSource.split('\n').findIndex((line) => line.includes('settings.batchSize')) + 1;
const codeError = copyExample();
codeError.write(`migrations/${CODE_ERROR}.ts`, codeErrorSource);
afterAll(() => codeError.remove());

describe.concurrent.each(DIALECTS)('a JavaScript error thrown in up() on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  it('up exits 1 naming the error and the line it came from, not the statement before it', async (ctx) => {
    const db = database(ctx);
    const up = await cliOn(db, { cwd: codeError.dir }).run(['up']);
    expect(up.code, up.stderr).toBe(1);
    expect(up.stderr).toContain(`✓ applied  ${R.at(-1)}`);
    expect(up.stderr).toContain(`✗ ${CODE_ERROR} failed (up)`);
    expect(up.stderr).toContain(`TypeError: Cannot read properties of undefined (reading 'batchSize')`);
    expect(up.stderr).toContain(`${CODE_ERROR}.ts:${THROWING_LINE}`);
    expect(up.stderr).not.toContain('statement: select 1');
    expect(up.stderr).not.toContain('    at ');
    expect(await recordedRevisions(db)).toEqual(R);
    expect(await tableNames(db)).not.toContain('code_error_done');
  });

  it('up --json names no statement, and the error with its line in failed.message', async (ctx) => {
    const db = database(ctx);
    const up = await cliOn(db, { cwd: codeError.dir }).run(['up', '--json']);
    expect(up.code, up.stderr).toBe(1);
    const out = JSON.parse(up.stdout);
    expect(out.applied).toEqual([]);
    expect(out.failed.revision).toBe(CODE_ERROR);
    expect(out.failed.statement).toBeUndefined();
    expect(out.failed.message).toContain(`TypeError: Cannot read properties of undefined (reading 'batchSize')`);
    expect(out.failed.message).toContain(`${CODE_ERROR}.ts:${THROWING_LINE}`);
    expect(await recordedRevisions(db)).toEqual(R);
  });
});

describe('an exact slug as TARGET (SQLite)', () => {
  const database = useTestDatabase('sqlite');

  test('up add_feature_slug applies up to and including …_add_feature_slug, not …_add_feature_slug_index', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db);
    const up = await cli.json(['up', 'add_feature_slug']);
    expect(up.applied).toEqual(R.slice(0, 4));
    expect(R[3]).toBe('Migration20260104090000_add_feature_slug');
    expect(await recordedRevisions(db)).toEqual(R.slice(0, 4));
    expect(statuses(await cli.json(['status']))).toEqual(R.map((name, i) => `${name} ${i < 4 ? 'applied' : 'pending'}`));
  });
});

// Not concurrent: the time limit below is about migrate-ui, not about a busy machine.
describe('configs that give no MikroORM config', () => {
  const empty = realProject({
    files: { 'package.json': JSON.stringify({ name: 'exports-nothing', private: true, type: 'module' }), 'mikro-orm.config.ts': 'export {};\n' },
  });
  const never = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'never-settles', private: true, type: 'module' }),
      'mikro-orm.config.ts': `// Waits for a secret store that never answers.
export default new Promise(() => {});
`,
    },
  });
  afterAll(() => {
    empty.remove();
    never.remove();
  });

  test('a config that exports nothing: exit 2 saying so', async () => {
    const result = await runCli(['status'], { cwd: empty.dir });
    const lines = expectShortError(result, 2);
    expect(lines[0]).toBe(`migrate-ui: config ${join(empty.dir, 'mikro-orm.config.ts')} exports no MikroORM config`);
  });

  test('a config whose promise never settles: exit 2 after the load timeout, saying so', async () => {
    const started = performance.now();
    const result = await runCli(['status'], { cwd: never.dir, timeoutMs: 25_000 });
    const seconds = (performance.now() - started) / 1000;
    const lines = expectShortError(result, 2);
    expect(lines[0]).toBe(`migrate-ui: config ${join(never.dir, 'mikro-orm.config.ts')} did not finish loading within 15 s`);
    // 15 s of waiting plus start-up; a hang would be killed at 25 s (exit -1), Node's unsettled await is exit 13.
    expect(seconds).toBeGreaterThan(14);
    expect(seconds).toBeLessThan(22);
  }, 30_000);
});

// A class that extends Migration with only up(): MikroORM's base down() throws.
const NO_DOWN = 'Migration20260107090000_no_down';
const AFTER = 'Migration20260108090000_after_no_down';
const noDown = copyExample();
noDown.write(
  `migrations/${NO_DOWN}.ts`,
  `import { Migration } from '@mikro-orm/migrations';

export class ${NO_DOWN} extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table one_way (id int not null primary key)');
  }
}
`,
);
noDown.write(`migrations/${AFTER}.ts`, migration(AFTER, ['create table after_one_way (id int not null primary key)'], ['drop table after_one_way']));
afterAll(() => noDown.remove());

describe.concurrent.each(DIALECTS)('a revision without down() on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;
  const cannot = `${NO_DOWN} cannot be reverted: it has no down()`;

  it('set-up: every revision applied', async (ctx) => {
    const db = database(ctx);
    expectOk(await cliOn(db, { cwd: noDown.dir }).run(['up']));
    expect(await recordedRevisions(db)).toEqual([...R, NO_DOWN, AFTER]);
  });

  it('down -2 without --yes exits 1 naming it, and reverts nothing (not the revision after it either)', async (ctx) => {
    const db = database(ctx);
    const down = await cliOn(db, { cwd: noDown.dir }).run(['down', '-2']);
    expect(down.code, down.stderr).toBe(1);
    expect(down.stderr).toContain(cannot);
    expect(await recordedRevisions(db)).toEqual([...R, NO_DOWN, AFTER]);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['one_way', 'after_one_way']));
  });

  it('down -2 --yes exits 1 naming it, and reverts nothing', async (ctx) => {
    const db = database(ctx);
    const down = await cliOn(db, { cwd: noDown.dir }).run(['down', '-2', '--yes']);
    expect(down.code, down.stderr).toBe(1);
    expect(down.stderr).toContain(cannot);
    expect(down.stderr).not.toMatch(/reverted\s+Migration/);
    expect(await recordedRevisions(db)).toEqual([...R, NO_DOWN, AFTER]);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['one_way', 'after_one_way']));
  });

  it('the revision after it reverts on its own', async (ctx) => {
    const db = database(ctx);
    expect((await cliOn(db, { cwd: noDown.dir }).json(['down', '--yes'])).reverted).toEqual([AFTER]);
    expect(await recordedRevisions(db)).toEqual([...R, NO_DOWN]);
  });

  it('down without --yes (no terminal) exits 1 naming it; nothing reverted', async (ctx) => {
    const db = database(ctx);
    const down = await cliOn(db, { cwd: noDown.dir }).run(['down']);
    expect(down.code, down.stderr).toBe(1);
    expect(down.stderr).toContain(cannot);
    expect(await recordedRevisions(db)).toEqual([...R, NO_DOWN]);
    expect(await tableNames(db)).toContain('one_way');
  });

  it('down --yes exits 1 naming it; nothing reverted', async (ctx) => {
    const db = database(ctx);
    const down = await cliOn(db, { cwd: noDown.dir }).run(['down', '--yes']);
    expect(down.code, down.stderr).toBe(1);
    expect(down.stderr).toContain(cannot);
    expect(await recordedRevisions(db)).toEqual([...R, NO_DOWN]);
    expect(await tableNames(db)).toContain('one_way');
  });
});

const PG_CONFIG = `import { defineConfig } from '@mikro-orm/postgresql';
export default defineConfig({ entities: [], discovery: { warnWhenNoEntities: false }, migrations: { path: __dirname + '/migrations' } });
`;
const HINT = /HINT: No function matches the given name and argument types\./;

describe('a foreign key violation on PostgreSQL', () => {
  const database = useTestDatabase('postgresql');
  const PARENT = 'Migration20250101000000_parent_child';
  const ORPHAN = 'Migration20250102000000_orphan_child';
  const INSERT = 'insert into child (id, parent_id) values (1, 42)';
  const DETAIL = 'DETAIL: Key (parent_id)=(42) is not present in table "parent".';
  // The violation on the way up; a function that does not exist on the way back down.
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'pg-detail', private: true }),
      'mikro-orm.config.ts': PG_CONFIG,
      [`migrations/${PARENT}.ts`]: migration(
        PARENT,
        ['create table parent (id int primary key)', 'create table child (id int primary key, parent_id int not null references parent (id))'],
        ['select no_such_function(1)', 'drop table child', 'drop table parent'],
      ),
      [`migrations/${ORPHAN}.ts`]: migration(ORPHAN, [INSERT], ['delete from child where id = 1']),
    },
  });
  afterAll(() => project.remove());
  const it = test.sequential;

  it('up prints the DETAIL line under the database message; the revision before it stays applied', async (ctx) => {
    const db = database(ctx);
    const up = await cliOn(db, { cwd: project.dir }).run(['up']);
    expect(up.code, up.stderr).toBe(1);
    expect(up.stderr).toContain(`✗ ${ORPHAN} failed (up)`);
    expect(up.stderr).toContain(`  statement: ${INSERT}`);
    expect(up.stderr).toMatch(/ {2}error: .*violates foreign key constraint/);
    expect(up.stderr).toContain(`\n  ${DETAIL}\n`);
    expect(up.stderr).toContain('Earlier revisions stay applied; fix the revision and run again.');
    expect(await recordedRevisions(db)).toEqual([PARENT]);
    expect(await withSql(db, (sql) => sql.query('select * from child'))).toEqual([]);
  });

  it('up --json carries the DETAIL line in failed.message', async (ctx) => {
    const db = database(ctx);
    const up = await cliOn(db, { cwd: project.dir }).run(['up', '--json']);
    expect(up.code, up.stderr).toBe(1);
    const { failed } = JSON.parse(up.stdout);
    expect(failed).toMatchObject({ revision: ORPHAN, statement: INSERT, hint: 'Earlier revisions stay applied; fix the revision and run again.' });
    expect(failed.message).toMatch(/violates foreign key constraint/);
    expect(failed.message).toContain(DETAIL);
    expect(await recordedRevisions(db)).toEqual([PARENT]);
  });

  it('a failing down() prints the HINT line and the hint about reverting, not the one about applying', async (ctx) => {
    const db = database(ctx);
    const down = await cliOn(db, { cwd: project.dir }).run(['down', '--yes']);
    expect(down.code, down.stderr).toBe(1);
    expect(down.stderr).toContain(`✗ ${PARENT} failed (down)`);
    expect(down.stderr).toContain('  statement: select no_such_function(1)');
    expect(down.stderr).toMatch(new RegExp(`\\n  ${HINT.source}`));
    expect(down.stderr).toContain('Revisions reverted before it stay reverted; fix its down() and run again.');
    expect(down.stderr).not.toContain('Earlier revisions stay applied');
    expect(await recordedRevisions(db)).toEqual([PARENT]);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['child', 'parent']));
  });

  it('down --json carries the HINT line and the revert hint', async (ctx) => {
    const db = database(ctx);
    const down = await cliOn(db, { cwd: project.dir }).run(['down', '--yes', '--json']);
    expect(down.code, down.stderr).toBe(1);
    const { failed, reverted } = JSON.parse(down.stdout);
    expect(reverted).toEqual([]);
    expect(failed).toMatchObject({ revision: PARENT, hint: 'Revisions reverted before it stay reverted; fix its down() and run again.' });
    expect(failed.message).toMatch(HINT);
    expect(await recordedRevisions(db)).toEqual([PARENT]);
  });
});

describe('a call of a function that does not exist on PostgreSQL', () => {
  const database = useTestDatabase('postgresql');
  const CALL = 'Migration20250101000000_call_missing_function';
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'pg-hint', private: true }),
      'mikro-orm.config.ts': PG_CONFIG,
      [`migrations/${CALL}.ts`]: migration(CALL, ['create table called (id int primary key)', 'select no_such_function(1)'], ['drop table called']),
    },
  });
  afterAll(() => project.remove());

  test('up prints the HINT line, up --json carries it in failed.message, and nothing is applied', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir });
    const up = await cli.run(['up']);
    expect(up.code, up.stderr).toBe(1);
    expect(up.stderr).toContain(`✗ ${CALL} failed (up)`);
    expect(up.stderr).toContain('  statement: select no_such_function(1)');
    expect(up.stderr).toMatch(/ {2}error: .*function no_such_function\(integer\) does not exist/);
    expect(up.stderr).toMatch(new RegExp(`\\n  ${HINT.source}`));
    const json = await cli.run(['up', '--json']);
    expect(json.code, json.stderr).toBe(1);
    const { failed } = JSON.parse(json.stdout);
    expect(failed).toMatchObject({ revision: CALL, statement: 'select no_such_function(1)' });
    expect(failed.message).toMatch(HINT);
    expect(await recordedRevisions(db)).toEqual([]);
    expect(await tableNames(db)).not.toContain('called');
  });
});

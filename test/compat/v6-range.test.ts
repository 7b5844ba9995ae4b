import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Result, runClean } from '../helpers/clean-run.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestDatabase } from '../helpers/databases.js';
import { ROOT } from '../helpers/cli.js';
import { tableNames, withSql } from '../helpers/sql.js';

// Issue 20: the packed package installed with a plain `npm install` into SQLite projects on MikroORM 6.4 and 6.5
// (compat/v6.4, compat/v6.5: every @mikro-orm/* pinned to one version, migrations as MikroORM's migration:create
// wrote them) keeps the project's MikroORM, and status, up, down, check and new work there; a revision `new --spec`
// writes runs under that version's own CLI. CI installs each fixture first (compat/install.sh).

const FIXTURES = ['v6.4', 'v6.5'];
const AUTHORS = 'Migration20250101000000';
const BOOKS = 'Migration20250102000000';
const OURS = ['migrate_ui_lock', 'migrate_ui_revisions'];

/** A command run as a person would in that folder; MikroORM's CLI allowed to load the project's TypeScript. */
const run = (command: string, args: string[], cwd: string, timeoutMs?: number) =>
  runClean(command, args, cwd, { MIKRO_ORM_CLI_ALWAYS_ALLOW_TS: '1' }, timeoutMs);

function expectExit(result: Result, code = 0): Result {
  expect(result.code, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
  return result;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/** The version of every @mikro-orm/* package installed in `dir`. */
function mikroOrmVersions(dir: string): Record<string, string> {
  const scope = join(dir, 'node_modules/@mikro-orm');
  return Object.fromEntries(readdirSync(scope).map((name) => [`@mikro-orm/${name}`, readJson(join(scope, name, 'package.json')).version]));
}

/**
 * The fixture's own install (what CI does with `npm ci --prefix compat/vX`). Under CI a missing or stale one fails
 * the run; elsewhere it is installed here once (compat/install.sh) and kept for the next run.
 */
async function ensureInstalled(fixture: string): Promise<string> {
  const version = readJson(join(fixture, 'package.json')).dependencies['@mikro-orm/core'];
  const installed = existsSync(join(fixture, 'node_modules/@mikro-orm/core'));
  const current = installed && Object.values(mikroOrmVersions(fixture)).every((v) => v === version);
  if (!current) {
    if (process.env.CI) throw new Error(`${fixture}: MikroORM ${version} is not installed there; run compat/install.sh`);
    expectExit(await run(join(ROOT, 'compat/install.sh'), [fixture], ROOT, 900_000));
  }
  return version;
}

let work: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mui-v6range-'));
  // dist/ is built by the global setup; `prepare` would rebuild it under the other test files.
  const pack = expectExit(await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT));
  tarball = join(work, JSON.parse(pack.stdout)[0].filename);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(FIXTURES)('MikroORM %s fixture project', (name) => {
  const fixture = join(ROOT, 'compat', name);
  let app: string;
  let version: string;
  let install: Result;
  const db: TestDatabase = { dialect: 'sqlite', url: '', drop: async () => {} };
  const migrateUi = (...args: string[]) => run(join(app, 'node_modules/.bin/migrate-ui'), args, app);
  const mikroOrm = (command: string) => run(process.execPath, ['--import', 'tsx', join(app, 'node_modules/@mikro-orm/cli/esm'), command], app);
  const json = async (...args: string[]) => JSON.parse(expectExit(await migrateUi(...args, '--json')).stdout);

  beforeAll(async () => {
    version = await ensureInstalled(fixture);
    // Not `v6.4`: MikroORM 6 resolves its packages from the working folder, and takes a folder whose name has an
    // extension for a file (it would look in the parent's node_modules and find no migrator).
    app = join(work, `app-${name.replace(/\W/g, '-')}`);
    cpSync(fixture, app, { recursive: true, filter: (src) => !src.endsWith('.sqlite') });
    db.url = `sqlite:${join(app, 'app.sqlite')}`;
    install = await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], app, 170_000);
  }, 1_000_000);

  test("a plain npm install of the packed package succeeds and leaves the project's @mikro-orm/* versions as they were", () => {
    expectExit(install);
    expect(install.stderr).not.toMatch(/ERESOLVE|peer dep|overriding peer/i);
    const versions = mikroOrmVersions(app);
    expect(Object.keys(versions).sort()).toEqual([
      '@mikro-orm/cli',
      '@mikro-orm/core',
      '@mikro-orm/knex',
      '@mikro-orm/migrations',
      '@mikro-orm/sqlite',
    ]);
    for (const [pkg, v] of Object.entries(versions)) expect(v, pkg).toBe(version);
    expect(existsSync(join(app, 'node_modules/migrate-ui/node_modules/@mikro-orm'))).toBe(false);
    const declared = readJson(join(app, 'package.json')).dependencies;
    expect(declared).toEqual({ ...readJson(join(fixture, 'package.json')).dependencies, 'migrate-ui': expect.stringMatching(/migrate-ui-.*\.tgz$/) });
  });

  test('status lists both revisions pending; up applies them', async () => {
    const timeline = await json('status');
    expect(timeline.dialect).toBe('sqlite');
    expect(timeline.revisions.map((r: { name: string; status: string }) => `${r.name} ${r.status}`)).toEqual([
      `${AUTHORS} pending`,
      `${BOOKS} pending`,
    ]);
    expect((await json('up')).applied).toEqual([AUTHORS, BOOKS]);
    expect(await tableNames(db)).toEqual(['authors', 'books', ...OURS, 'mikro_orm_migrations']);
  });

  test('check: in sync, exit 0, with our tables in the database (MikroORM 6.4/6.5 would diff them as dropped)', async () => {
    const result = expectExit(await migrateUi('check'));
    expect(result.stdout).toContain('entities and schema are in sync');
    expect(await json('check')).toMatchObject({ inSync: true, schemaDiff: [], unskipped: [] });
  });

  test('new --from-entities: nothing to write while they agree; after an entity edit, a revision adding just that column', async () => {
    const nothing = expectExit(await migrateUi('new', 'x', '--from-entities'));
    expect(nothing.stdout).toContain('nothing to write');
    expect(readdirSync(join(app, 'migrations')).filter((f) => f.endsWith('.ts'))).toHaveLength(2);

    const book = join(app, 'entities/book.ts');
    const before = readFileSync(book, 'utf8');
    writeFileSync(book, before.replace("title: { type: 'string' },", "title: { type: 'string' },\n    isbn: { type: 'string', nullable: true },"));
    try {
      const written = await json('new', 'add_isbn', '--from-entities', '--print');
      // That column only: none of our tables, nor MikroORM's migrations table, is in the diff.
      expect(written.sql.sqlite).toEqual(['alter table `books` add column `isbn` text null']);
      expect(written.source).toContain("await op.addColumn('books', { name: 'isbn', type: 'text', nullable: true });");
    } finally {
      writeFileSync(book, before);
    }
  });

  test('down --yes reverts the last revision; up applies it again', async () => {
    expect((await json('down', '--yes')).reverted).toEqual([BOOKS]);
    expect(await tableNames(db)).not.toContain('books');
    expect((await json('up')).applied).toEqual([BOOKS]);
  });

  test("a revision new --spec writes runs under this MikroORM's own migration:up and migration:down", async () => {
    writeFileSync(
      join(app, 'spec.json'),
      JSON.stringify({ operations: [{ op: 'addColumn', table: 'authors', column: { name: 'bio', type: 'text', nullable: true } }] }),
    );
    const written = await json('new', 'add_bio', '--spec', 'spec.json');
    expect(written.file).toMatch(/Migration\d{14}_add_bio\.ts$/);
    const bioColumn = () => withSql(db, (sql) => sql.query<{ name: string }>("select name from pragma_table_info('authors') where name = 'bio'"));

    const up = expectExit(await mikroOrm('migration:up'));
    expect(up.stdout).toMatch(/Applied '.*_add_bio'/);
    expect(await bioColumn()).toHaveLength(1);
    // The entity edit `new` made matches what MikroORM's run did.
    expect(await json('check')).toMatchObject({ inSync: true, schemaDiff: [] });

    const down = expectExit(await mikroOrm('migration:down'));
    expect(down.stdout).toMatch(/Reverted '.*_add_bio'/);
    expect(await bioColumn()).toHaveLength(0);
    expect((await json('status')).pending).toBe(1);
  });
});

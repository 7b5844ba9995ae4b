import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { copyExample, EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { recordedRevisions, tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Issue 18: what a run costs beyond the revisions' own SQL, seen from inside the real binary by a preloaded observer
// (it only watches: every statement still reaches the database). Before: each revision's transaction held a savepoint
// of MikroORM's runner (two more round trips), `down` imported every file twice and asked the catalogue for the
// progress table once per revision, and every run loaded umzug's CLI with the Migrator it never uses.
const OBSERVER = `
const Module = require('node:module');
const { createRequire } = Module;
const { writeFileSync } = require('node:fs');
const from = createRequire(process.env.OBSERVE_BASE + '/package.json');
const seen = { statements: [], loads: {} };
const note = (sql) => seen.statements.push(String(typeof sql === 'string' ? sql : sql && sql.text));
try {
  const pg = from('pg');
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, ...rest) { note(config); return query.call(this, config, ...rest); };
} catch {}
try {
  const sqlite3 = from('sqlite3');
  for (const name of ['all', 'run', 'exec']) {
    const original = sqlite3.Database.prototype[name];
    sqlite3.Database.prototype[name] = function (sql, ...rest) { note(sql); return original.call(this, sql, ...rest); };
  }
} catch {}
try {
  const mariadb = from('mariadb/lib/connection-callback.js');
  const query = mariadb.prototype.query;
  mariadb.prototype.query = function (sql, ...rest) { note(typeof sql === 'string' ? sql : sql && sql.sql); return query.call(this, sql, ...rest); };
} catch {}
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request.startsWith(process.env.OBSERVE_MIGRATIONS)) seen.loads[request] = (seen.loads[request] || 0) + 1;
  return load.call(this, request, ...rest);
};
process.on('exit', () => {
  seen.umzug = Object.keys(require.cache).filter((path) => path.includes('/node_modules/umzug/')).length;
  writeFileSync(process.env.OBSERVE_OUT, JSON.stringify(seen));
});
`;

interface Observed {
  statements: string[];
  loads: Record<string, number>;
  umzug: number;
}

const project = copyExample();
project.write('observer.cjs', OBSERVER);
afterAll(() => project.remove());

describe.concurrent.each(DIALECTS)('what up and down base cost on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  test('one transaction per revision without a savepoint, each file imported once, no umzug, the progress table looked up once', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir });
    const out = join(project.dir, `observed-${dialect}.json`);
    const env = {
      NODE_OPTIONS: `--require ${join(project.dir, 'observer.cjs')}`,
      OBSERVE_BASE: process.cwd(),
      OBSERVE_MIGRATIONS: project.migrationsDir,
      OBSERVE_OUT: out,
    };
    const observe = async (args: string[]): Promise<Observed> => {
      writeFileSync(out, '');
      expectOk(await cli.run(args, { env }));
      return JSON.parse(readFileSync(out, 'utf8')) as Observed;
    };

    const up = await observe(['up']);
    expect(await recordedRevisions(db)).toEqual(R);
    // Without --yes, down first previews what it would lose: the live schema is read once for the whole plan.
    const refused = await cli.run(['down', 'base'], { env });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('down would lose data');
    const preview = JSON.parse(readFileSync(out, 'utf8')) as Observed;
    expect(await recordedRevisions(db)).toEqual(R);
    const down = await observe(['down', 'base', '--yes']);
    expect(await recordedRevisions(db)).toEqual([]);
    expect(await tableNames(db)).not.toContain('features');

    for (const run of [up, down]) {
      expect(run.umzug).toBe(0);
      expect(Object.keys(run.loads)).toHaveLength(R.length);
      expect(
        Object.values(run.loads).every((n) => n === 1),
        JSON.stringify(run.loads),
      ).toBe(true);
    }
    // What a run adds to the revisions' own SQL: the history read once, under the lock; one statement per revision for
    // its records on PostgreSQL (claim and MikroORM's row together; both rows deleted together), two elsewhere; MikroORM's
    // `set names` once a run, not once a revision (it stays set on the run's one connection).
    const history = (run: Observed) =>
      run.statements.filter((sql) => /mikro_orm_migrations|migrate_ui_revisions/.test(sql) && !/^create /i.test(sql));
    const reads = (run: Observed) => history(run).filter((sql) => /^select ([`"]name[`"], [`"]executed_at[`"]|name, checksum) from/i.test(sql));
    const perRevision = dialect === 'postgresql' ? 1 : 2;
    for (const run of [up, down]) {
      expect(reads(run)).toHaveLength(2);
      expect(run.statements.filter((sql) => /^set names/i.test(sql)).length).toBeLessThanOrEqual(1);
    }
    expect(history(up).length - 2).toBe(R.length * perRevision);
    // MySQL's DDL commits as it runs: a revert checks the record before its down() and forgets it after, both rows in
    // one statement (a delete from the two tables).
    expect(history(down).length - 2).toBe(R.length * perRevision);
    if (dialect === 'mariadb') {
      expect(history(down).filter((sql) => /^delete /i.test(sql))).toHaveLength(R.length);
      // Applying, the claim goes after the revision's own statements (each DDL statement commits there), beside
      // MikroORM's row: the two rows are one commit, not a commit before the revision and another after it.
      const claims = up.statements.flatMap((sql, i) => (/^insert into `migrate_ui_revisions`/.test(sql) ? [i] : []));
      expect(claims).toHaveLength(R.length);
      // (A revision that sends nothing of its own has the claim right after its begin.)
      expect(claims.filter((i) => !/^begin/i.test(up.statements[i - 1])).length).toBeGreaterThan(0);
      for (const i of claims) {
        expect(up.statements[i + 1]).toMatch(/^insert into `mikro_orm_migrations`/);
        expect(up.statements[i + 2]).toMatch(/^commit/i);
      }
      return;
    }
    expect(preview.statements.filter((sql) => /information_schema\.columns|pragma_table_info/.test(sql))).toHaveLength(1);
    for (const run of [up, down]) {
      expect(run.statements.filter((sql) => /^savepoint/i.test(sql))).toEqual([]);
      expect(run.statements.filter((sql) => /^begin/i.test(sql)).length).toBeGreaterThanOrEqual(R.length);
    }
    if (dialect === 'postgresql') {
      // Commits stop waiting for the disk one by one, and the run waits once for all of them before the lock goes.
      for (const run of [up, down]) {
        const at = (pattern: RegExp) => run.statements.findIndex((sql) => pattern.test(sql));
        const last = (pattern: RegExp) => run.statements.findLastIndex((sql) => pattern.test(sql));
        expect(at(/^set synchronous_commit = off/)).toBeGreaterThan(-1);
        expect(at(/^set synchronous_commit = off/)).toBeLessThan(at(/^begin/i));
        expect(at(/^reset synchronous_commit/)).toBeGreaterThan(last(/^commit/i));
        expect(at(/^select txid_current\(\)/)).toBeGreaterThan(at(/^reset synchronous_commit/));
        expect(at(/^select txid_current\(\)/)).toBeLessThan(at(/pg_advisory_unlock/));
      }
    }
    if (dialect === 'sqlite') {
      // The rollback journal is kept between the revisions' commits, and SQLite's own mode (and no journal file) after.
      for (const run of [up, down]) {
        const at = (pattern: RegExp) => run.statements.findIndex((sql) => pattern.test(sql));
        const last = (pattern: RegExp) => run.statements.findLastIndex((sql) => pattern.test(sql));
        expect(at(/^pragma journal_mode = persist/)).toBeGreaterThan(-1);
        expect(at(/^pragma journal_mode = persist/)).toBeLessThan(at(/^begin/i));
        expect(last(/^pragma journal_mode = delete/)).toBeGreaterThan(last(/^commit/i));
        // The lock's row goes while the journal is still kept: that commit creates and deletes no journal file.
        expect(last(/^delete from "migrate_ui_lock"/)).toBeGreaterThan(last(/^commit/i));
        expect(last(/^delete from "migrate_ui_lock"/)).toBeLessThan(last(/^pragma journal_mode = delete/));
      }
      // On a new database the history's tables are made with the journal kept too.
      expect(up.statements.findIndex((sql) => /^pragma journal_mode = persist/.test(sql))).toBeLessThan(
        up.statements.findIndex((sql) => /^create table [`"]?mikro_orm_migrations/i.test(sql)),
      );
      expect(existsSync(`${db.url.slice('sqlite:'.length)}-journal`)).toBe(false);
    }
    // Db.tableExists: once for the progress table (it was once per revision); the lock's table and the history's are
    // looked for only when a statement finds them missing.
    const lookups = down.statements.filter((sql) =>
      /information_schema\.tables where table_schema = coalesce|sqlite_master where type = 'table' and name = /.test(sql),
    );
    expect(lookups.length).toBeLessThanOrEqual(1);
    expect(down.statements.filter((sql) => /pg_catalog\.obj_description|from sqlite_master where type = 'table' and name != /.test(sql))).toEqual([]);
  });
});

// MikroORM's `set names` goes once a run: it stays set on the run's one connection. A revision that changes a setting
// of the connection itself (its own `set`) makes the next revision send it again, as MikroORM sends it every time.
const SETTING = (dialect: string) => `import { Migration } from '@mikro-orm/migrations';

export class Migration20260107090000_session_setting extends Migration {
  override async up(): Promise<void> {
    this.addSql(${JSON.stringify(dialect === 'postgresql' ? "set client_encoding = 'UTF8'" : 'set names utf8mb4 collate utf8mb4_bin')});
  }

  override async down(): Promise<void> {}
}
`;
const AFTER = `import { Migration } from '@mikro-orm/migrations';

export class Migration20260108090000_after_setting extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table after_setting (id integer not null primary key)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table after_setting');
  }
}
`;

describe.concurrent.each(DIALECTS.filter((d) => d !== 'sqlite'))('the connection settings of a run on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  test('go with the first revision, and again after a revision that changed one itself', async (ctx) => {
    const db = database(ctx);
    const setting = copyExample();
    ctx.onTestFinished(() => setting.remove());
    setting.write('observer.cjs', OBSERVER);
    setting.write('migrations/Migration20260107090000_session_setting.ts', SETTING(dialect));
    setting.write('migrations/Migration20260108090000_after_setting.ts', AFTER);
    const out = join(setting.dir, 'observed.json');
    const env = {
      NODE_OPTIONS: `--require ${join(setting.dir, 'observer.cjs')}`,
      OBSERVE_BASE: process.cwd(),
      OBSERVE_MIGRATIONS: setting.migrationsDir,
      OBSERVE_OUT: out,
    };
    expectOk(await cliOn(db, { cwd: setting.dir }).run(['up'], { env }));
    const { statements } = JSON.parse(readFileSync(out, 'utf8')) as Observed;
    expect(await recordedRevisions(db)).toEqual([...R, 'Migration20260107090000_session_setting', 'Migration20260108090000_after_setting']);
    const at = (pattern: RegExp) => statements.flatMap((sql, i) => (pattern.test(sql) ? [i] : []));
    const opening = dialect === 'postgresql' ? /^set names 'utf8'/ : /^set names utf8mb4;?$/;
    const ownSet = at(dialect === 'postgresql' ? /^set client_encoding/ : /collate utf8mb4_bin/);
    expect(ownSet).toHaveLength(1);
    // The first revision's opening, then none until the revision after the one that set something itself.
    expect(at(opening)).toEqual([at(opening)[0], at(/create table after_setting/)[0] - 1]);
    expect(at(opening)[0]).toBeLessThan(ownSet[0]);
  });
});

// What a start loads: knex asks for 40-odd lodash functions one file each, which pull in some 200 of lodash's inner
// files; they come from lodash's own full build instead (src/cli/bootstrap.ts), the same functions in one file.
const LOADED = `
process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.OBSERVE_OUT, JSON.stringify(Object.keys(require('node:module')._cache)));
});
`;

describe('what a start loads', () => {
  const database = useTestDatabase('sqlite');

  test("status --json loads none of lodash's inner files, and knex still works", async (ctx) => {
    const db = database(ctx);
    const loaded = copyExample();
    ctx.onTestFinished(() => loaded.remove());
    loaded.write('loaded.cjs', LOADED);
    const out = join(loaded.dir, 'loaded.json');
    const cli = cliOn(db, { cwd: loaded.dir });
    expectOk(await cli.run(['up']));
    const status = await cli.json<{ pending: number; revisions: unknown[] }>(['status'], {
      env: { NODE_OPTIONS: `--require ${join(loaded.dir, 'loaded.cjs')}`, OBSERVE_OUT: out },
    });
    expect(status.pending).toBe(0);
    expect(status.revisions).toHaveLength(R.length);
    const files = JSON.parse(readFileSync(out, 'utf8')) as string[];
    const lodash = files.filter((path) => /[/\\]node_modules[/\\]lodash[/\\]/.test(path));
    expect(files.some((path) => /[/\\]node_modules[/\\]knex[/\\]/.test(path))).toBe(true);
    expect(lodash.some((path) => /[/\\]lodash\.js$/.test(path))).toBe(true);
    expect(lodash.filter((path) => /[/\\]_\w+\.js$/.test(path))).toEqual([]);
  });
});

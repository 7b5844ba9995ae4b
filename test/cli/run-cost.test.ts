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
    if (dialect === 'mariadb') return; // Its driver's statements are not observed; the rest holds there too.
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
      }
      expect(existsSync(`${db.url.slice('sqlite:'.length)}-journal`)).toBe(false);
    }
    // Db.tableExists: once for the lock's table, once for the progress table (it was once per revision).
    const lookups = down.statements.filter((sql) =>
      /information_schema\.tables where table_schema = coalesce|sqlite_master where type = 'table' and name = /.test(sql),
    );
    expect(lookups.length).toBeLessThanOrEqual(2);
  });
});

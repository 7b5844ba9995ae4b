import { afterAll, describe, expect, test } from 'vitest';
import { startCli } from '../helpers/cli.js';
import type { TestDatabase } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { copyExample, EXAMPLE_REVISIONS } from '../helpers/project.js';
import { connectSql, withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Another run (one that did not wait for our lock) records a revision while this run is about to record it: the
// user reads one line saying so, exit 1, and the revision stays recorded once, by the other run.
const [, , THIRD] = EXAMPLE_REVISIONS;

/** Until this run waits on the other connection's row (or, MariaDB, is about to); fails at once if the run ended first. */
async function untilBlocked(db: TestDatabase, run: ReturnType<typeof startCli>): Promise<void> {
  // MariaDB: once the revision's table is there. Its DDL commits as it runs and comes before the claim, so the run
  // has planned (the third revision pending) and is about to record it or waits to: either way the other run's
  // commit now comes between. (The server's lock views did not show the wait reliably from here.)
  const sql =
    db.dialect === 'postgresql'
      ? `select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`
      : `select count(*) as n from information_schema.tables where table_schema = database() and table_name = 'features'`;
  // Long: on a loaded machine MariaDB's DDL before the claim (the revision's tables and indexes) takes its time.
  for (let i = 0; i < 2400; i++) {
    const [row] = await withSql(db, (c) => c.query<{ n: number | string }>(sql));
    if (Number(row.n) > 0) return;
    if (run.child.exitCode !== null) throw new Error(`the run ended before it waited: ${(await run.done).stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the run never waited on the other run');
}

describe.each(['postgresql', 'mariadb'] as const)('a revision applied by another run meanwhile, on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = copyExample();
  afterAll(() => project.remove());

  for (const json of [false, true]) {
    test(`up${json ? ' --json' : ''}: one line naming the revision and when the other run recorded it, exit 1, recorded once`, async (ctx) => {
      const db = database(ctx);
      await withSql(db, async (c) => {
        for (const table of [
          'features',
          'channel',
          'users',
          'mikro_orm_migrations',
          'migrate_ui_revisions',
          'migrate_ui_progress',
          'migrate_ui_lock',
        ])
          await c.query(`drop table if exists ${table}`);
      });
      const cli = cliOn(db, { cwd: project.dir });
      expectOk(await cli.run(['up', 'add_channel']));
      // The other run: it recorded the third revision (as migrate-ui records one) and has not committed yet.
      const other = await connectSql(db);
      ctx.onTestFinished(() => other.close().catch(() => undefined));
      await other.query('begin');
      await other.query(`insert into migrate_ui_revisions (name, checksum, kind, applied_at) values (?, 'other', 'schema', ?)`, [
        THIRD,
        Date.UTC(2026, 0, 2, 3, 4, 5),
      ]);
      await other.query('insert into mikro_orm_migrations (name) values (?)', [THIRD]);
      const run = startCli(['up', ...(json ? ['--json'] : []), '--db', db.url], { cwd: project.dir });
      await untilBlocked(db, run);
      await other.query('commit');
      const result = await run.done;
      expect(result.code, result.stderr).toBe(1);
      const said =
        dialect === 'postgresql'
          ? `${THIRD} was applied by another run (recorded at 2026-01-02T03:04:05.000Z); not applied again here`
          : `${THIRD} was applied by another run (recorded at 2026-01-02T03:04:05.000Z) while this one ran it; recorded once, by the other run`;
      if (json) {
        const out = JSON.parse(result.stdout);
        expect(out.applied).toEqual([]);
        expect(out.failed).toMatchObject({ revision: THIRD, message: said });
      } else {
        const lines = result.stderr.trimEnd().split('\n');
        expect(lines).toContain(`  error: ${said}`);
        expect(result.stderr).not.toMatch(/duplicate key|Duplicate entry|UNIQUE constraint|^Error:/m);
        expect(result.stderr).not.toContain('migrate-ui:');
      }
      const recorded = await withSql(db, (c) => c.query<{ name: string }>('select name from mikro_orm_migrations order by id'));
      expect(recorded.map((r) => r.name)).toEqual(EXAMPLE_REVISIONS.slice(0, 3));
      const ours = await withSql(db, (c) =>
        c.query<{ name: string; checksum: string }>('select name, checksum from migrate_ui_revisions where name = ?', [THIRD]),
      );
      expect(ours).toEqual([{ name: THIRD, checksum: 'other' }]);
    }, 180_000);
  }
});

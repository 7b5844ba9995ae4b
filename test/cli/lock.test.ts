import { hostname } from 'node:os';
import { afterAll, describe, expect, test } from 'vitest';
import { Project } from '../../src/index.js';
import { ROOT, runCli, startCli } from '../helpers/cli.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { deadPid, waitFor } from '../helpers/processes.js';
import { copyExample, EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { connectSql, recordedRevisions, withSql, type SqlClient } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

const ADVISORY_KEY = 74_211_609; // src/core/lock.ts
const LOCK_TABLE = 'migrate_ui_lock';

const insertHolder = (sql: SqlClient, pid: number, host: string, heartbeatAt = Date.now()) =>
  sql.query(`insert into ${LOCK_TABLE} (id, holder, pid, host, acquired_at, heartbeat_at) values (1, ?, ?, ?, ?, ?)`, [
    'test',
    pid,
    host,
    Date.parse('2026-01-02T03:04:05Z'),
    heartbeatAt,
  ]);

/** Takes the run lock from this test process the way migrate-ui does, with a holder row naming this process. */
async function holdLock(db: TestDatabase): Promise<() => Promise<void>> {
  const sql = await connectSql(db);
  if (db.dialect === 'postgresql') await sql.query(`select pg_advisory_lock(${ADVISORY_KEY})`);
  if (db.dialect === 'mariadb') await sql.query('select get_lock(?, 0)', [`migrate_ui:${new URL(db.url).pathname.slice(1)}`]);
  await insertHolder(sql, process.pid, hostname());
  return async () => {
    await sql.query(`delete from ${LOCK_TABLE}`);
    await sql.close(); // ends the session, and with it the advisory lock or GET_LOCK
  };
}

// The databases run side by side; the steps on one database run in order.
describe.concurrent.each(DIALECTS)('the run lock on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  it('a live holder makes up --lock-timeout 1 exit 3, naming its pid and host, and nothing runs', async (ctx) => {
    const db = database(ctx);
    expectOk(await cliOn(db).run(['up', '+0'])); // takes and releases the lock once: its table exists, nothing applied
    const release = await holdLock(db);
    try {
      const up = await cliOn(db).run(['up', '--lock-timeout', '1']);
      expect(up.code, up.stderr).toBe(3);
      expect(up.stderr).not.toContain('    at ');
      const who = `pid ${process.pid} on ${hostname()} since 2026-01-02T03:04:05.000Z`;
      expect(up.stderr).toContain(`waiting for the lock held by ${who}`);
      expect(up.stderr).toContain(`migrate-ui: the migration lock is held by ${who}; gave up after 1 s`);
    } finally {
      await release();
    }
    expect(await recordedRevisions(db)).toEqual([]);
  });

  it('two concurrent up runs both succeed and record every revision exactly once', async (ctx) => {
    const db = database(ctx);
    const args = ['up', '--json', '--db', db.url];
    const runs = await Promise.all([runCli(args), runCli(args)]);
    for (const run of runs) expectOk(run);
    const [a, b] = runs.map((run) => JSON.parse(run.stdout).applied as string[]);
    expect([...a, ...b].sort()).toEqual(R);
    expect(await recordedRevisions(db)).toEqual(R);
    const sums = await withSql(db, (sql) => sql.query<{ name: string }>('select name from migrate_ui_revisions order by name'));
    expect(sums.map((r) => r.name)).toEqual(R);
    expect(await withSql(db, (sql) => sql.query(`select * from ${LOCK_TABLE}`))).toEqual([]);
  });
});

describe('a stale SQLite lock', () => {
  const database = useTestDatabase('sqlite');
  // A revision that hangs (when asked to) while its run holds the lock, so the run can be killed mid-way.
  const project = copyExample();
  project.write(
    'migrations/Migration20260107090000_slow.ts',
    `import { Migration } from '@mikro-orm/migrations';
export class Migration20260107090000_slow extends Migration {
  override async up(): Promise<void> {
    if (process.env.MUI_TEST_HANG) await new Promise((resolve) => setTimeout(resolve, 120_000));
    this.addSql('create table slow_done (id integer not null primary key)');
  }
  override async down(): Promise<void> {
    this.addSql('drop table slow_done');
  }
}
`,
  );
  afterAll(() => project.remove());
  const it = test.sequential;

  it('from a killed run is taken over by the next up', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir });
    const first = startCli(['up', '--db', db.url], { cwd: project.dir, env: { MUI_TEST_HANG: '1' } });
    await waitFor(async () => {
      const rows = await withSql(db, (sql) => sql.query<{ pid: number }>(`select pid from ${LOCK_TABLE}`)).catch(() => []);
      return rows[0]?.pid === first.child.pid && (await recordedRevisions(db).catch(() => [])).length === R.length;
    }, 'the first run to apply the example and hang in the slow revision holding the lock');
    first.child.kill('SIGKILL');
    await first.done;

    const up = await cli.json(['up', '--lock-timeout', '5']);
    expect(up.applied).toEqual(['Migration20260107090000_slow']);
    expect(await recordedRevisions(db)).toEqual([...R, 'Migration20260107090000_slow']);
    expect(await withSql(db, (sql) => sql.query(`select * from ${LOCK_TABLE}`))).toEqual([]);
  });

  it('of a dead pid on this host is taken over at once', async (ctx) => {
    const db = database(ctx);
    const pid = await deadPid();
    await withSql(db, (sql) => insertHolder(sql, pid, hostname()));
    const down = await cliOn(db, { cwd: project.dir }).json(['down', '--yes', '--lock-timeout', '2']);
    expect(down.reverted).toEqual(['Migration20260107090000_slow']);
  });

  it('of another host is taken over once its heartbeat is older than 15 s, and waited for while it is fresh', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir });
    await withSql(db, (sql) => insertHolder(sql, 4242, 'elsewhere.example', Date.now()));
    const waited = await cli.run(['up', '--lock-timeout', '1']);
    expect(waited.code, waited.stderr).toBe(3);
    expect(waited.stderr).toContain('held by pid 4242 on elsewhere.example');

    await withSql(db, (sql) => sql.query(`update ${LOCK_TABLE} set heartbeat_at = ?`, [Date.now() - 60_000]));
    expect((await cli.json(['up', '--lock-timeout', '2'])).applied).toEqual(['Migration20260107090000_slow']);
  });
});

// After kill -9 or SIGTERM the holder row stays behind on PostgreSQL and MariaDB, but the lock went with the
// session: a holder is shown only while the database says the lock is really held.
describe.concurrent.each(['postgresql', 'mariadb'] as const)('a holder row left behind on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  test('is not shown as a holder, and up does not wait for it', async (ctx) => {
    const db = database(ctx);
    expectOk(await cliOn(db).run(['up', '+0']));
    await withSql(db, (sql) => insertHolder(sql, process.pid, hostname()));
    const project = await Project.open({ cwd: ROOT, dbUrl: db.url, env: {} });
    try {
      expect(await project.lockHolder()).toBeNull();
      await withSql(db, (sql) => sql.query(`delete from ${LOCK_TABLE}`));
      const release = await holdLock(db);
      try {
        expect(await project.lockHolder()).toMatchObject({ pid: process.pid, host: hostname() });
      } finally {
        await release();
      }
      await withSql(db, (sql) => insertHolder(sql, process.pid, hostname()));
      expect(await project.lockHolder()).toBeNull();
    } finally {
      await project.close();
    }
    const up = await cliOn(db).run(['up', '--lock-timeout', '2']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).not.toContain('waiting for the lock');
  });
});

describe('a SQLite holder', () => {
  const database = useTestDatabase('sqlite');
  const it = test.sequential;

  it('inside a long write transaction: a waiter waits up to --lock-timeout and names it (no SQLITE_BUSY)', async (ctx) => {
    const db = database(ctx);
    expectOk(await cliOn(db).run(['up', '+0']));
    const sql = await connectSql(db);
    try {
      await insertHolder(sql, process.pid, hostname());
      await sql.query('begin immediate');
      await sql.query('update migrate_ui_lock set heartbeat_at = ?', [Date.now()]);
      const started = Date.now();
      const up = await cliOn(db).run(['up', '--lock-timeout', '2']);
      expect(up.code, up.stderr).toBe(3);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(up.stderr).not.toContain('SQLITE_BUSY');
      expect(up.stderr).toContain(`migrate-ui: the migration lock is held by pid ${process.pid} on ${hostname()}`);
      await sql.query('rollback');
    } finally {
      await sql.query(`delete from ${LOCK_TABLE}`);
      await sql.close();
    }
  });

  it('whose pid now belongs to another live process but whose heartbeat is old is taken over', async (ctx) => {
    const db = database(ctx);
    // This test's own pid is alive; the heartbeat, a minute old, says the holder that wrote it is not.
    await withSql(db, (sql) => insertHolder(sql, process.pid, hostname(), Date.now() - 60_000));
    const up = await cliOn(db).json(['up', '--lock-timeout', '2']);
    expect(up.applied).toEqual(R);
  });
});

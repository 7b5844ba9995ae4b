import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { waitFor } from '../helpers/processes.js';
import { copyExample, EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { migration, slowMigration } from '../helpers/real-project.js';
import { recordedRevisions, tableNames, withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

const HEAD = R[5];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the run in `pid` holds the SQLite lock (so it is past start-up and inside its first revision). */
const holdsLock = (db: Parameters<typeof recordedRevisions>[0], pid: number | undefined) =>
  waitFor(async () => {
    const rows = await withSql(db, (sql) => sql.query<{ pid: number }>('select pid from migrate_ui_lock')).catch(() => []);
    return rows.some((r) => Number(r.pid) === pid);
  }, 'the run to take the lock');

// DESIGN §4: what runs is exactly the list of revisions the person confirmed. Before the fix, `down` checked
// what it would lose before waiting for the lock, then reverted whatever was current once it got it.
const PRECIOUS = 'Migration20260107090000_precious';
const planProject = copyExample();
planProject.write(
  `migrations/${PRECIOUS}.ts`,
  slowMigration(
    PRECIOUS,
    4000,
    ['create table precious (id integer not null primary key)', 'insert into precious (id) values (1), (2)'],
    ['drop table precious'],
  ),
);
afterAll(() => planProject.remove());

describe.concurrent.each(DIALECTS)('a plan that changes while waiting for the lock on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  test('down (no --yes) confirmed against the old current revision runs nothing once another up applied more', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: planProject.dir });
    expectOk(await cli.run(['up', HEAD]));
    const up = startCli(['up', '--db', db.url], { cwd: planProject.dir });
    // Down must plan while up holds the lock (inside the 4 s revision); a fixed sleep lost that race on a busy machine.
    await holdsLock(db, up.child.pid);
    const down = await cli.run(['down']);
    expect(down.code, down.stderr).toBe(2);
    expect(down.stderr).toContain(`the plan changed while waiting for the lock: confirmed ${HEAD}, would now run ${PRECIOUS}; nothing ran`);
    expect((await up.done).code).toBe(0);
    expect(await recordedRevisions(db)).toEqual([...R, PRECIOUS]);
    expect(await withSql(db, (sql) => sql.query('select id from precious order by id'))).toEqual([{ id: 1 }, { id: 2 }]);
  });
});

// DESIGN §4: no revision is ever applied or recorded twice, even when the lock's session dies mid-run.
// Before the fix the lock sat on an idle pooled connection: PostgreSQL's idle_session_timeout ended it, a
// second up took the lock, and both runs applied slow_insert.
const COUNTER = 'Migration20260107090000_counter';
const SLOW_INSERT = 'Migration20260108090000_slow_insert';
const lockProject = copyExample();
lockProject.write(`migrations/${COUNTER}.ts`, migration(COUNTER, ['create table counter (n int)'], ['drop table counter']));
lockProject.write(
  `migrations/${SLOW_INSERT}.ts`,
  migration(SLOW_INSERT, ['insert into counter (n) values (1)'], ['delete from counter']).replace(
    'this.addSql("insert into counter (n) values (1)");',
    `this.addSql("insert into counter (n) values (1)");
    this.addSql(this.driver.getPlatform().constructor.name.startsWith('PostgreSql') ? 'select pg_sleep(6)' : 'select sleep(6)');`,
  ),
);
afterAll(() => lockProject.remove());

const counted = (db: Parameters<typeof recordedRevisions>[0]) =>
  withSql(db, (sql) => sql.query<{ n: number | string }>('select count(*) as n from counter')).then((r) => Number(r[0].n));

describe('a lost lock session on postgresql', () => {
  const database = useTestDatabase('postgresql');
  const it = test.sequential;

  it('idle_session_timeout: two up runs 4.5 s apart apply and record slow_insert once', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: lockProject.dir });
    expectOk(await cli.run(['up', COUNTER]));
    const name = new URL(db.url).pathname.slice(1);
    await withSql(db, (sql) => sql.query(`alter database ${name} set idle_session_timeout = '3s'`));
    try {
      const first = startCli(['up', '--db', db.url], { cwd: lockProject.dir });
      await sleep(4500);
      const second = await cli.run(['up']);
      const done = await first.done;
      for (const run of [done, second]) {
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).not.toContain('pg_advisory_unlock');
      }
      expect(await counted(db)).toBe(1);
      expect((await recordedRevisions(db)).filter((n) => n === SLOW_INSERT)).toEqual([SLOW_INSERT]);
    } finally {
      await withSql(db, (sql) => sql.query(`alter database ${name} reset idle_session_timeout`));
    }
  });

  it('the session killed mid-revision: that run stops saying the connection was lost; the next applies it once', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: lockProject.dir });
    expectOk(await cli.run(['down', COUNTER, '--yes']));
    const first = startCli(['up', '--db', db.url], { cwd: lockProject.dir });
    const pid = await waitFor(async () => {
      const rows = await withSql(db, (sql) =>
        sql.query<{ pid: number }>(
          `select l.pid from pg_locks l join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory' and l.objid = 74211609 and a.query like '%pg_sleep%'`,
        ),
      );
      return rows[0]?.pid;
    }, 'the first run to be inside slow_insert');
    await withSql(db, (sql) => sql.query('select pg_terminate_backend(?)', [pid]));
    const stopped = await first.done;
    expect(stopped.code, stopped.stderr).toBe(2);
    const lines = stopped.stderr.trimEnd().split('\n');
    expect(lines.at(-2)).toMatch(new RegExp(`migrate-ui: the connection to the database was lost while ${SLOW_INSERT} ran`));
    expect(stopped.stderr).not.toMatch(/pg_advisory_unlock|Connection terminated unexpectedly\n/);
    expect(await counted(db)).toBe(0);
    expectOk(await cli.run(['up']));
    expect(await counted(db)).toBe(1);
    expect((await recordedRevisions(db)).filter((n) => n === SLOW_INSERT)).toEqual([SLOW_INSERT]);
  });
});

describe('a lost lock session on mariadb', () => {
  const database = useTestDatabase('mariadb');

  test('the GET_LOCK connection killed mid-revision: that run stops; the next applies slow_insert once', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: lockProject.dir });
    expectOk(await cli.run(['up', COUNTER]));
    const first = startCli(['up', '--db', db.url], { cwd: lockProject.dir });
    const lockName = `migrate_ui:${new URL(db.url).pathname.slice(1)}`;
    const id = await waitFor(async () => {
      const rows = await withSql(db, (sql) =>
        sql.query<{ id: number }>(`select id from information_schema.processlist where info like 'select sleep(6)%' and id = is_used_lock(?)`, [
          lockName,
        ]),
      );
      return rows[0]?.id;
    }, 'the first run to be inside slow_insert on the connection that holds the lock');
    await withSql(db, (sql) => sql.query(`kill ${Number(id)}`));
    const stopped = await first.done;
    expect(stopped.code, stopped.stderr).toBe(2);
    expect(stopped.stderr).toMatch(new RegExp(`the connection to the database was lost while ${SLOW_INSERT} ran`));
    expect(stopped.stderr).not.toMatch(/Connection Error|release_lock/);
    expectOk(await cli.run(['up']));
    expect(await counted(db)).toBe(1);
    expect((await recordedRevisions(db)).filter((n) => n === SLOW_INSERT)).toEqual([SLOW_INSERT]);
  });
});

// ctrl-c and SIGTERM stop after the current revision and say so; CI sees exit 130 and "stopped" in --json.
const SLOW = 'Migration20260107090000_slow';
const AFTER = 'Migration20260108090000_after';
const signalProject = copyExample();
// Its up() leaves a mark (the file MUI_TEST_MARK names) as its code starts: the signal then comes inside it.
signalProject.write(
  `migrations/${SLOW}.ts`,
  slowMigration(SLOW, 3000, ['create table slow_done (id integer not null primary key)'], ['drop table slow_done']).replace(
    'override async up(): Promise<void> {\n',
    "override async up(): Promise<void> {\n    if (process.env.MUI_TEST_MARK) (await import('node:fs')).writeFileSync(process.env.MUI_TEST_MARK, '');\n",
  ),
);

/** Starts `up` in the signal project and waits until it is inside SLOW's up() (a loaded machine may take seconds). */
async function upInsideSlow(db: Parameters<typeof recordedRevisions>[0], args: string[]) {
  const mark = join(tmpdir(), `mui-slow-${process.pid}-${Date.now()}`);
  const run = startCli([...args, '--db', db.url], { cwd: signalProject.dir, env: { MUI_TEST_MARK: mark } });
  await waitFor(async () => existsSync(mark), `the run to be inside ${SLOW}`);
  rmSync(mark);
  return run;
}
signalProject.write(
  `migrations/${AFTER}.ts`,
  migration(AFTER, ['create table after_done (id integer not null primary key)'], ['drop table after_done']),
);
afterAll(() => signalProject.remove());

describe('signals during up on sqlite', () => {
  const database = useTestDatabase('sqlite');
  const it = test.sequential;

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} in a revision: it finishes, the rest does not run, exit 130, --json says stopped and what did not run`, async (ctx) => {
      const db = database(ctx);
      const cli = cliOn(db, { cwd: signalProject.dir });
      expectOk(await cli.run(['up', HEAD]));
      const run = await upInsideSlow(db, ['up', '--json']);
      run.child.kill(signal);
      const result = await run.done;
      expect(result.code, result.stderr).toBe(130);
      expect(result.stderr).toContain(`${signal === 'SIGINT' ? 'ctrl-c' : 'SIGTERM'}: stopping after the current revision`);
      expect(JSON.parse(result.stdout)).toMatchObject({ applied: [SLOW], stopped: true, notRun: [AFTER] });
      expect(await recordedRevisions(db)).toEqual([...R, SLOW]);
      expect(await tableNames(db)).not.toContain('after_done');
      expectOk(await cli.run(['down', HEAD, '--yes']));
    });
  }

  it('a second ctrl-c aborts at once: the revision in progress is rolled back and not recorded', async (ctx) => {
    const db = database(ctx);
    const run = await upInsideSlow(db, ['up']);
    run.child.kill('SIGINT');
    await sleep(200);
    const second = Date.now();
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(Date.now() - second).toBeLessThan(1000);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('aborted');
    expect(await recordedRevisions(db)).toEqual(R);
    expect(await tableNames(db)).not.toContain('slow_done');
  });

  it('ctrl-c while waiting for the lock stops at once: nothing ran, exit 130', async (ctx) => {
    const db = database(ctx);
    // The aborted run above left its lock row (its process is gone, so the next run would take it over).
    await withSql(db, (sql) => sql.query('delete from migrate_ui_lock'));
    await withSql(db, (sql) =>
      sql.query('insert into migrate_ui_lock (id, holder, pid, host, acquired_at, heartbeat_at) values (1, ?, ?, ?, ?, ?)', [
        'test',
        process.pid,
        'elsewhere.example',
        Date.now(),
        Date.now(),
      ]),
    );
    try {
      const run = startCli(['up', '--db', db.url], { cwd: signalProject.dir });
      let stderr = '';
      run.child.stderr!.on('data', (d) => (stderr += d));
      await waitFor(async () => stderr.includes('waiting for the lock held by pid'), 'the run to wait for the lock');
      const sent = Date.now();
      run.child.kill('SIGINT');
      const result = await run.done;
      expect(Date.now() - sent).toBeLessThan(1500);
      expect(result.code).toBe(130);
      expect(result.stderr).toContain('stopped while waiting for the migration lock; nothing ran');
      expect(await recordedRevisions(db)).toEqual(R);
    } finally {
      await withSql(db, (sql) => sql.query('delete from migrate_ui_lock'));
    }
  });
});

// Issue 17: the lock's session killed while a revision's own code awaits (no statement in flight) is a lost
// connection, not a failed revision: PostgreSQL said "set names 'utf8'" failed and "fix the revision" (exit 1);
// MariaDB said "the database refused: select table_name … socket has unexpectedly been closed".
const WAITS = 'Migration20260107090000_waits_in_code';
const waitProject = copyExample();
// Its up() leaves a mark (the file MUI_TEST_MARK names) when its code starts waiting, so the test kills it then.
waitProject.write(
  `migrations/${WAITS}.ts`,
  slowMigration(WAITS, 4000, ['create table waited (id integer not null primary key)'], ['drop table waited']).replace(
    'override async up(): Promise<void> {\n',
    "override async up(): Promise<void> {\n    if (process.env.MUI_TEST_MARK) (await import('node:fs')).writeFileSync(process.env.MUI_TEST_MARK, '');\n",
  ),
);
afterAll(() => waitProject.remove());

/** The id of the database session that holds migrate-ui's lock: PostgreSQL's backend pid, MariaDB's connection id. */
async function lockSession(db: Parameters<typeof recordedRevisions>[0]): Promise<number | undefined> {
  const query =
    db.dialect === 'postgresql'
      ? "select pid as id from pg_locks where locktype = 'advisory' and objid = 74211609 and granted and database = (select oid from pg_database where datname = current_database())"
      : 'select is_used_lock(?) as id';
  const params = db.dialect === 'postgresql' ? [] : [`migrate_ui:${new URL(db.url).pathname.slice(1)}`];
  const rows = await withSql(db, (sql) => sql.query<{ id: number | null }>(query, params));
  return rows[0]?.id == null ? undefined : Number(rows[0].id);
}

describe.concurrent.each(['postgresql', 'mariadb'] as const)('the lock session killed while a revision awaits in code on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  test('exit 2, "the connection to the database was lost", the revision not recorded; the next up applies it once', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: waitProject.dir });
    expectOk(await cli.run(['up', HEAD]));
    const mark = join(tmpdir(), `mui-mark-${process.pid}-${dialect}`);
    rmSync(mark, { force: true });
    const run = startCli(['up', '--db', db.url], { cwd: waitProject.dir, env: { MUI_TEST_MARK: mark } });
    await waitFor(async () => existsSync(mark), `${WAITS} to start waiting in its code`);
    const id = await waitFor(() => lockSession(db), 'the session that holds the lock');
    await withSql(db, (sql) => (dialect === 'postgresql' ? sql.query('select pg_terminate_backend(?)', [id]) : sql.query(`kill ${id}`)));
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(2);
    expect(stopped.stderr).not.toContain('    at ');
    const message = stopped.stderr.split('\n').find((line) => line.startsWith('migrate-ui: '));
    expect(message, stopped.stderr).toMatch(new RegExp(`^migrate-ui: the connection to the database was lost while ${WAITS} ran`));
    expect(message).toContain(`${WAITS} was not recorded`);
    expect(stopped.stderr).not.toMatch(/set names|fix the revision|the database refused|select table_name/);
    expect(await recordedRevisions(db)).toEqual(R);
    expectOk(await cli.run(['up']));
    expect(await recordedRevisions(db)).toEqual([...R, WAITS]);
    expect(await tableNames(db)).toContain('waited');
  });
});

// Issue 17: a second ctrl-c while waiting for another run's lock said "aborted: the revision in progress was not
// recorded" (SQLite, PostgreSQL) though nothing had started.
const HELD = 'Migration20260107090000_holds_the_lock';
const heldProject = copyExample();
// Its up() holds the lock while the file MUI_TEST_GATE names exists: the test decides when the holder lets go.
heldProject.write(
  `migrations/${HELD}.ts`,
  migration(HELD, ['create table held (id integer not null primary key)'], ['drop table held']).replace(
    'override async up(): Promise<void> {\n',
    `override async up(): Promise<void> {
    const { existsSync } = await import('node:fs');
    while (process.env.MUI_TEST_GATE && existsSync(process.env.MUI_TEST_GATE)) await new Promise((resolve) => setTimeout(resolve, 50));
`,
  ),
);
afterAll(() => heldProject.remove());

describe.concurrent.each(DIALECTS)('two ctrl-c while waiting for the lock of another process on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  test('say it stopped while waiting and nothing ran, exit 130; the holder applies its revision once', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: heldProject.dir });
    expectOk(await cli.run(['up', HEAD]));
    const gate = join(tmpdir(), `mui-gate-${process.pid}-${dialect}`);
    writeFileSync(gate, '');
    const holder = startCli(['up', '--db', db.url], { cwd: heldProject.dir, env: { MUI_TEST_GATE: gate } });
    await waitFor(async () => {
      const rows = await withSql(db, (sql) => sql.query<{ pid: number }>('select pid from migrate_ui_lock')).catch(() => []);
      return rows.some((r) => Number(r.pid) === holder.child.pid);
    }, 'the holder to take the lock');
    const waiter = startCli(['up', '--db', db.url], { cwd: heldProject.dir });
    let stderr = '';
    waiter.child.stderr!.on('data', (d) => (stderr += d));
    await waitFor(async () => stderr.includes(`waiting for the lock held by pid ${holder.child.pid}`), 'the second run to wait');
    // The second as soon as the first is taken (two signals sent back to back would arrive as one).
    waiter.child.kill('SIGINT');
    await waitFor(async () => stderr.includes('ctrl-c: stopping'), 'the first ctrl-c to be taken', 5000);
    waiter.child.kill('SIGINT');
    const stopped = await waiter.done;
    rmSync(gate);
    // -1: ended by the second SIGINT itself in its last moments (a shell reports 130 for that too).
    expect([130, -1], stopped.stderr).toContain(stopped.code);
    expect(stopped.stderr).toContain('stopped while waiting for the migration lock; nothing ran');
    expect(stopped.stderr).not.toMatch(/aborted|in progress|rolls it back/);
    expectOk(await holder.done);
    expect(await recordedRevisions(db)).toEqual([...R, HELD]);
  });
});

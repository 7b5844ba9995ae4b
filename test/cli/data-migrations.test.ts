import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { runCli, startCli } from '../helpers/cli.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { waitFor } from '../helpers/processes.js';
import { connectSql, recordedRevisions, type SqlClient } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { type DataProject, dataProject, freshCounters, openOn, progressRow } from '../core/data/data-project.js';

const ROWS = 2000;
// A callback that is not idempotent (counter + 1), slowed down so that a test can act while it runs.
const COUNTER_STEP = `[{ table: 'counters', select: ['counter'], batch: (rows) => rows.map((r) => ({ id: r.id, counter: Number(r.counter) + 1 })) }]`;
const SLOW = '{ initialBatchSize: 50, minBatchSize: 50, maxBatchSize: 50, pauseMs: 40 }';
// Slower still where a test pauses, resumes, waits for watch's rate (measured over whole seconds) and then cancels:
// the run must still be going when it cancels.
const SLOWER = '{ initialBatchSize: 50, minBatchSize: 50, maxBatchSize: 50, pauseMs: 120 }';

// Data migrations through the real binary: killed, paused, resumed and cancelled from another process, watched.
describe.concurrent.each(DIALECTS)('data migrations from the command line on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;
  let project: DataProject;
  let sql: SqlClient;
  let other: Project;

  beforeAll(() => {
    project = dataProject();
  });
  afterAll(async () => {
    await other?.close();
    await sql?.close();
    project.remove();
  });

  const cli = (db: TestDatabase, args: string[]) => [...args, '--config', project.configPath, '--db', db.url];
  const progressOf = (name: string) => progressRow(sql.query, name);
  const count = async (query: string) => Number(Object.values((await sql.query(query))[0])[0]);
  /** A fresh counters table of ROWS rows at 0, and a slow counting revision over it. */
  const counters = async (db: TestDatabase, name: string, batching = SLOW) => {
    sql ??= await connectSql(db);
    await freshCounters(sql.query, ROWS);
    return project.addDataRevision(name, COUNTER_STEP, batching);
  };

  it('kill -9 in the middle, then up again: it continues from the checkpoint and each row is counted exactly once', async (ctx) => {
    const db = database(ctx);
    const name = await counters(db, 'count_once');
    const run = startCli(cli(db, ['up']));
    await waitFor(async () => ((await progressOf(name))?.rowsDone ?? 0) >= 300, 'a few batches');
    run.child.kill('SIGKILL');
    await run.done;
    const killed = (await progressOf(name))!;
    expect(killed.rowsDone).toBeLessThan(ROWS);
    // The checkpoint and the rows committed together: exactly the rows it says are done were counted.
    expect(await count('select count(*) from counters where counter = 1')).toBe(killed.rowsDone);
    expect(await count('select count(*) from counters where counter > 1')).toBe(0);
    expect(await recordedRevisions(db)).not.toContain(name);

    const again = await runCli(cli(db, ['up']));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`applied  ${name}`);
    expect(again.stderr).toMatch(new RegExp(`${name} step 1/1: [\\d,]+ / 2,000 rows \\(\\d+%\\) · [\\d,]+ rows/s · batch 50`));
    expect(await count('select count(*) from counters where counter <> 1')).toBe(0);
    expect(await progressOf(name)).toEqual({ status: 'done', rowsDone: ROWS });
    expect(await recordedRevisions(db)).toContain(name);
  });

  it('pause and resume from another process, watched by watch --json; cancel stops it (exit 130) and up resumes it', async (ctx) => {
    const db = database(ctx);
    const name = await counters(db, 'controlled', SLOWER);
    other ??= await openOn(project, db);
    const run = startCli(cli(db, ['up', '--json']));
    const watch = startCli(cli(db, ['watch', '--json']));
    let watched = '';
    watch.child.stdout!.on('data', (chunk) => (watched += chunk));
    const watchSaw = (status: string) =>
      waitFor(async () => watched.includes(`"revision":"${name}","status":"${status}"`), `watch to show ${status}`);
    await waitFor(async () => ((await progressOf(name))?.rowsDone ?? 0) >= 100, 'a few batches');
    await watchSaw('running');

    expect(await other.controlDataMigration(name, 'pause')).toBe(1);
    await waitFor(async () => (await runCli(cli(db, ['status', '--json']))).stdout.includes('"paused"'), 'status to say paused');
    const pausedAt = (await progressOf(name))!.rowsDone;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // At most the batch in flight when the pause came.
    expect((await progressOf(name))!.rowsDone - pausedAt).toBeLessThanOrEqual(50);
    const held = (await progressOf(name))!.rowsDone;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await progressOf(name))!.rowsDone).toBe(held);

    expect(await other.controlDataMigration(name, 'resume')).toBe(1);
    await waitFor(async () => (await progressOf(name))!.rowsDone >= held + 200, 'progress after resume');
    await waitFor(
      async () => /"status":"running","rowsDone":\d+,"rowsTotal":2000,"rowsPerSecond":[1-9]\d*,"etaSeconds":[1-9]/.test(watched),
      'watch to show a rate',
    );
    expect(await other.controlDataMigration(name, 'cancel')).toBe(1);
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ applied: [], stopped: true, notRun: [name] });
    expect(stopped.stderr).toContain(`${name} paused (step 1)`);
    expect(stopped.stderr).toContain(`${name} resumed (step 1)`);
    expect(stopped.stderr).toMatch(new RegExp(`${name} cancelled after [\\d,]+ rows of step 1`));
    const cancelled = (await progressOf(name))!;
    expect(cancelled.status).toBe('cancelled');
    expect(await count('select count(*) from counters where counter = 1')).toBe(cancelled.rowsDone);
    // Plain status says how far the pending data migration got.
    const statusLines = (await runCli(cli(db, ['status']))).stdout;
    expect(statusLines).toMatch(
      new RegExp(`· pending\\s+${name}.*\\n\\s+data migration cancelled: ${cancelled.rowsDone.toLocaleString('en-US')} / 2,000 rows \\(\\d+%\\)`),
    );

    await watchSaw('cancelled');
    watch.child.kill('SIGINT');
    const ended = await watch.done;
    expect(ended.code, ended.stderr).toBe(0);
    const seen = ended.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { at: string; dataMigrations: any[] });
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const line of seen) expect(new Date(line.at).toISOString()).toBe(line.at);
    const ours = seen.map((line) => line.dataMigrations.find((d) => d.revision === name)).filter(Boolean);
    expect(ours.map((d) => d.status)).toEqual(expect.arrayContaining(['running', 'paused', 'cancelled']));
    expect(ours.some((d) => d.status === 'running' && d.rowsPerSecond > 0 && d.etaSeconds > 0 && d.rowsTotal === ROWS)).toBe(true);

    const resumed = await runCli(cli(db, ['up']));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await count('select count(*) from counters where counter <> 1')).toBe(0);
    const status = JSON.parse((await runCli(cli(db, ['status', '--json']))).stdout);
    expect(status.dataMigrations).toContainEqual({ revision: name, status: 'done', rowsDone: ROWS, rowsTotal: ROWS });
    expect(status.revisions.find((r: any) => r.name === name)).toMatchObject({ status: 'applied', kind: 'data' });
  });

  it('watch is in --help; without --json and without a terminal it prints a text line a second', async (ctx) => {
    expect((await runCli(['--help'])).stdout).toContain('migrate-ui watch [--json]');
    const db = database(ctx);
    const watch = startCli(cli(db, ['watch']));
    // Two lines printed (a second apart), however long the process took to start on a busy machine.
    let printed = '';
    watch.child.stdout?.on('data', (d) => (printed += d));
    for (let waited = 0; printed.trim().split('\n').length < 2 && waited < 30_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    watch.child.kill('SIGTERM');
    const { code, stdout } = await watch.done;
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d Migration\d+_count_once: done · 2,000 \/ 2,000 rows \(100%\)$/);
  });
});

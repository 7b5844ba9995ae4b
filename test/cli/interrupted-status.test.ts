import { afterAll, describe, expect, test } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/processes.js';
import { connectSql, type SqlClient } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { dataProject, freshCounters, progressRow } from '../core/data/data-project.js';

const ROWS = 2000;
const COUNTER_STEP = `[{ table: 'counters', select: ['counter'], batch: (rows) => rows.map((r) => ({ id: r.id, counter: Number(r.counter) + 1 })) }]`;
const SLOW = '{ initialBatchSize: 50, minBatchSize: 50, maxBatchSize: 50, pauseMs: 60 }';

// `status --json` and `watch --json` say what `status` and the TUI say of a data migration whose process was killed:
// interrupted, not running; and running while it runs.

/** The entry of `name` in what `status --json` printed. */
const entryOf = (stdout: string, name: string) =>
  (JSON.parse(stdout).dataMigrations as Array<{ revision: string; status: string; rowsDone: number }>).find((d) => d.revision === name);

/** The first line `watch --json` prints, then stopped. */
async function watchOnce(args: string[]): Promise<string> {
  const watch = startCli(['watch', '--json', ...args]);
  let out = '';
  watch.child.stdout!.on('data', (chunk) => (out += chunk));
  await waitFor(async () => out.includes('\n'), 'a line from watch --json');
  watch.child.kill('SIGTERM');
  await watch.done;
  return out.split('\n')[0];
}

describe('a data migration whose process is killed, on SQLite', () => {
  const database = useTestDatabase('sqlite');
  const project = dataProject();
  let sql: SqlClient | undefined;
  afterAll(async () => {
    await sql?.close();
    project.remove();
  });

  test('a data migration killed with kill -9 is interrupted in status --json and watch --json; running while its process lives', async (ctx) => {
    const db = database(ctx);
    const args = ['--config', project.configPath, '--db', db.url];
    sql = await connectSql(db);
    await freshCounters(sql.query, ROWS);
    const name = project.addDataRevision('interrupted_json', COUNTER_STEP, SLOW);
    const run = startCli(['up', ...args]);
    await waitFor(async () => ((await progressRow(sql!.query, name))?.rowsDone ?? 0) >= 200, 'a few batches');

    const live = await runCli(['status', '--json', ...args]);
    expect(live.code, live.stderr).toBe(0);
    expect(entryOf(live.stdout, name)?.status).toBe('running');
    expect(JSON.parse(await watchOnce(args)).dataMigrations).toContainEqual(expect.objectContaining({ revision: name, status: 'running' }));

    run.child.kill('SIGKILL');
    await run.done;
    // The table still says running: only the process being gone tells.
    expect((await progressRow(sql.query, name))?.status).toBe('running');
    const text = await runCli(['status', ...args]);
    expect(text.stdout).toContain('data migration interrupted (its process is gone; up resumes it)');
    const after = await runCli(['status', '--json', ...args]);
    expect(after.code, after.stderr).toBe(0);
    const entry = entryOf(after.stdout, name);
    expect(entry?.status).toBe('interrupted');
    expect(entry?.rowsDone).toBeGreaterThanOrEqual(200);
    expect(JSON.parse(await watchOnce(args)).dataMigrations).toContainEqual(expect.objectContaining({ revision: name, status: 'interrupted' }));

    // `up` again resumes it: done, and said so.
    const again = await runCli(['up', ...args]);
    expect(again.code, again.stderr).toBe(0);
    expect(entryOf((await runCli(['status', '--json', ...args])).stdout, name)?.status).toBe('done');
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../../src/core/project.js';
import { type DataProject, dataProject, freshCounters, openOn, progressRow } from '../../core/data/data-project.js';
import { runCli, startCli } from '../../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase, type TestDialect } from '../../helpers/databases.js';
import { frameLines, keys, plain, press, pressAndWait, waitForFrame } from '../../helpers/ink.js';
import { waitFor } from '../../helpers/processes.js';
import { renderApp, selectRow, shownName } from '../../helpers/render-app.js';
import { connectSql, type SqlClient } from '../../helpers/sql.js';

const ROWS = 2000;
const WATCHED_ROWS = 5000;
// Not idempotent (counter + 1) and slowed down (50 rows a batch, 40 ms between batches): a test can act while it runs.
const COUNTER_STEP = `[{ table: 'counters', select: ['counter'], batch: (rows) => rows.map((r) => ({ id: r.id, counter: Number(r.counter) + 1 })) }]`;
const SLOW = '{ initialBatchSize: 50, minBatchSize: 50, maxBatchSize: 50, pauseMs: 40 }';

/** What the database says of a data migration, and of the rows it counted. */
function probe(sql: SqlClient) {
  const count = async (query: string) => Number(Object.values((await sql.query(query))[0])[0]);
  return {
    count,
    progress: (name: string) => progressRow(sql.query, name),
    async counters(project: DataProject, name: string, rows = ROWS) {
      await freshCounters(sql.query, rows);
      return project.addDataRevision(name, COUNTER_STEP, SLOW);
    },
  };
}

/** The data project opened on a fresh database of `dialect`, with a direct connection to it (neither when the server is unreachable). */
interface OpenedData {
  project: DataProject;
  db: TestDatabase | null;
  sql?: SqlClient;
  opened?: Project;
}

async function openData(dialect: TestDialect): Promise<OpenedData> {
  const project = dataProject();
  const db = await createTestDatabase(dialect);
  if (!db) return { project, db };
  return { project, db, sql: await connectSql(db), opened: await openOn(project, db) };
}

async function closeData({ project, db, sql, opened }: OpenedData): Promise<void> {
  await opened?.close();
  await sql?.close();
  await db?.drop();
  project.remove();
}

/** The status bar: the last line of the frame. */
const statusBar = (frame: string) => frameLines(frame).at(-1) ?? '';

// The run view's bars and its p and c keys, on the app's own run (SQLite).
describe('the run view of a data migration', () => {
  let project: DataProject;
  let sql: SqlClient;
  let opened: Project;
  let all: OpenedData;

  beforeAll(async () => {
    all = await openData('sqlite');
    ({ project, sql, opened } = all as Required<OpenedData>);
  });
  afterAll(async () => {
    if (all) await closeData(all);
  });

  it('shows bars, rate and batch size; p pauses and resumes, c cancels (resumable), and u finishes it from the checkpoint', async () => {
    const db$ = probe(sql);
    const name = await db$.counters(project, 'counted');
    const app = await renderApp(opened);
    await selectRow(app, name);
    await pressAndWait(app.stdin, app.lastFrame, 'u', 'Apply 1 revision?');
    press(app.stdin, 'y');
    let frame = await waitForFrame(app.lastFrame, (f) => /overall\s+▕█+.*▏\s+\d+%\s+[\d,]+ \/ 2,000 rows/.test(f) && /[\d,]+ rows\/s · /.test(f));
    expect(frame).toMatch(/[\d,]+ rows\/s · (ETA \d+ s · )?batch 50 · elapsed \d+ s/);
    expect(statusBar(frame)).toMatch(/p {2}pause {3}c {2}cancel {3}ctrl-c {2}stop/);

    frame = await pressAndWait(app.stdin, app.lastFrame, 'p', (f) => /^ {4}paused$/m.test(f) && f.includes('0 rows/s'));
    expect(statusBar(frame)).toContain('p  resume');
    // Paused: its line stands still (no spinner), and no rate decays while it waits.
    expect(frameLines(frame).find((l) => l.startsWith(`  ‖ ${shownName(name)}`))).toBeDefined();
    expect(frame).not.toMatch(new RegExp(`[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] ${shownName(name)}`));
    expect(frame).toMatch(/^ {4}0 rows\/s · batch 50 · elapsed \d+ s$/m);
    expect((await db$.progress(name))?.status).toBe('paused');
    const held = (await db$.progress(name))!.rowsDone;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await db$.progress(name))!.rowsDone).toBe(held);

    frame = await pressAndWait(app.stdin, app.lastFrame, 'p', (f) => statusBar(f).includes('p  pause') && !/^ {4}paused$/m.test(f));
    await waitFor(async () => ((await db$.progress(name))?.rowsDone ?? 0) > held, 'rows after resume');

    frame = await pressAndWait(
      app.stdin,
      app.lastFrame,
      'c',
      (f) => f.includes('cancelled (resumable)') && f.includes('stopped: 0 revisions applied'),
    );
    expect(frame).toContain('its checkpoint is kept: u continues from there');
    const cancelled = (await db$.progress(name))!;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.rowsDone).toBeLessThan(ROWS);
    expect(await db$.count('select count(*) from counters where counter = 1')).toBe(cancelled.rowsDone);

    // Pending again, and saying where it stopped: on its row, in details and in the confirmation.
    const at = `cancelled at ${Math.floor((cancelled.rowsDone / ROWS) * 100)}%`;
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.esc, (f) => f.includes('enter  details') && f.includes(at));
    // At 80 columns the row has room for the short form; details and the confirmation say how it goes on.
    const slug = name.replace(/^Migration\d+_/, '');
    expect(frameLines(frame).find((l) => l.includes(`○ pending  ${slug}`))).toMatch(new RegExp(`○ pending {2}${slug} · ${at}`));
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, (f) => f.includes(`data      ${at}`));
    expect(frame).toMatch(new RegExp(`^ {2}data {6}${at}, resumes from the checkpoint$`, 'm'));
    await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'enter  details');
    frame = await pressAndWait(app.stdin, app.lastFrame, 'u', (f) => f.includes('Apply 1 revision?') && f.includes(at));
    expect(frame).toContain(`1. ${name}\n     ${at}, resumes from the checkpoint`);
    frame = await pressAndWait(app.stdin, app.lastFrame, 'y', '✓ done: 1 revision applied', 20_000);
    expect(frame).toMatch(/overall\s+▕█{10,}▏ 100%\s+2,000 \/ 2,000 rows/);
    expect(await db$.count('select count(*) from counters where counter <> 1')).toBe(0);
    expect(await db$.progress(name)).toEqual({ status: 'done', rowsDone: ROWS });
    app.unmount();
  });

  it('draws the bars at most four times a second, however fast the batches come', async () => {
    await freshCounters(sql.query, 12_000);
    // Ten rows a batch and no pause: hundreds of batches a second (1,200 of them: on a fast machine 600 took under a second).
    const name = project.addDataRevision(
      'many_batches',
      `[{ table: 'counters', set: { counter: 'counter + 1' } }]`,
      '{ initialBatchSize: 10, minBatchSize: 10, maxBatchSize: 10 }',
    );
    const app = await renderApp(opened);
    await selectRow(app, name);
    await pressAndWait(app.stdin, app.lastFrame, 'u', 'Apply 1 revision?');
    const before = app.frames.length;
    const started = Date.now();
    await pressAndWait(app.stdin, app.lastFrame, 'y', '✓ done: 1 revision applied', 60_000);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(1);
    // 1,200 batches, each with its progress event; the screen took at most four frames a second (and a few for the run's start and end).
    expect(app.frames.length - before).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 6);
    expect(await probe(sql).count('select count(*) from counters where counter <> 1')).toBe(0);
    app.unmount();
  });
});

// The watch screen (`w`, and `migrate-ui watch` in a terminal) controlling a run of another process.
describe.each(DIALECTS)('the watch screen on %s', (dialect) => {
  let project: DataProject;
  let db: TestDatabase | null;
  let sql: SqlClient;
  let opened: Project;

  let all: OpenedData;

  beforeAll(async () => {
    all = await openData(dialect);
    ({ project, db, sql, opened } = all as Required<OpenedData>);
  });
  afterAll(async () => {
    if (all) await closeData(all);
  });

  it('w with nothing run yet says so; esc goes back', async (ctx) => {
    if (!db) return ctx.skip(`${dialect} is unreachable`);
    const app = await renderApp(opened);
    const frame = await pressAndWait(app.stdin, app.lastFrame, 'w', 'No data migration has run on this database yet.');
    expect(statusBar(frame)).toBe(' esc  back   ?  help   q  quit');
    await pressAndWait(app.stdin, app.lastFrame, keys.esc, (f) => f.includes('base — the empty database') && !f.includes('Data migrations:'));
    app.unmount();
  });

  it('shows another process’s backfill; p pauses and resumes it, c cancels it, and up finishes it', async (ctx) => {
    if (!db) return ctx.skip(`${dialect} is unreachable`);
    const db$ = probe(sql);
    // 5,000 rows (about five seconds of batches): with 2,000, a fast database could be near the end by the time the
    // watch screen had measured a rate and the pause came, leaving fewer than 100 rows to see after the resume.
    const name = await db$.counters(project, 'watched', WATCHED_ROWS);
    const run = startCli(['up', '--config', project.configPath, '--db', db.url]);
    await waitFor(async () => ((await db$.progress(name))?.rowsDone ?? 0) >= 100, 'a few batches');
    const app = await renderApp(opened, { watch: true });
    let frame = await waitForFrame(app.lastFrame, (f) => f.includes(`› ▶ ${name}  running`) && /rows\/s/.test(f));
    expect(frame).toMatch(/overall\s+▕█+.*▏\s+\d+%\s+[\d,]+ \/ 5,000 rows/);
    expect(statusBar(frame)).toBe(' p  pause   c  cancel   esc  back   ?  help   q  quit');

    frame = await pressAndWait(app.stdin, app.lastFrame, 'p', `› ‖ ${name}  paused`);
    expect(statusBar(frame)).toContain('p  resume');
    // Paused: 0 rows/s, not a rate that decays over the paused seconds.
    expect(frame).toMatch(/^ {4}0 rows\/s · batch 50 · elapsed \d+ s$/m);
    const held = (await db$.progress(name))!.rowsDone;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // The runner in the other process waits: at most the batch in flight when the pause came.
    expect((await db$.progress(name))!.rowsDone - held).toBeLessThanOrEqual(50);

    await pressAndWait(app.stdin, app.lastFrame, 'p', `› ▶ ${name}  running`);
    await waitFor(async () => ((await db$.progress(name))?.rowsDone ?? 0) > held + 100, 'rows after resume');
    frame = await pressAndWait(app.stdin, app.lastFrame, 'c', `${name}  cancelled (resumable)`);
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    const cancelled = (await db$.progress(name))!;
    expect(cancelled.status).toBe('cancelled');
    expect(await db$.count('select count(*) from counters where counter = 1')).toBe(cancelled.rowsDone);

    const again = await runCli(['up', '--config', project.configPath, '--db', db.url]);
    expect(again.code, again.stderr).toBe(0);
    frame = await waitForFrame(app.lastFrame, `› ✓ ${name}  done`);
    expect(plain(frame)).toMatch(/overall\s+▕█{10,}▏ 100%\s+5,000 \/ 5,000 rows/);
    expect(await db$.count('select count(*) from counters where counter <> 1')).toBe(0);
    app.unmount();
  });
});

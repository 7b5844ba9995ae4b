import { describe, expect, it } from 'vitest';
import type { DataMigrationProgress } from '../../../src/core/data/progress-report.js';
import type { RunEvent } from '../../../src/core/events.js';
import { dataLines } from '../../../src/ui/data/data-lines.js';
import { RunDataTracker, WatchTracker } from '../../../src/ui/data/data-view.js';
import { bar, sparkline } from '../../../src/ui/data/glyphs.js';
import { runLines } from '../../../src/ui/run/run-lines.js';
import type { RunState } from '../../../src/ui/run/run-state.js';
import { makeTheme } from '../../../src/ui/theme.js';

const T = Date.UTC(2026, 10, 26, 12, 0, 0);
const theme = makeTheme(false);
const REVISION = 'Migration20260105090000_backfill_feature_slug';

function progress(rowsDone: number, over: Partial<Extract<RunEvent, { type: 'batch:progress' }>> = {}): RunEvent {
  return {
    type: 'batch:progress',
    revision: REVISION,
    step: 1,
    steps: 2,
    rowsDone,
    rowsTotal: 100_000,
    batchSize: 2000,
    lastBatchMs: 120,
    rowsPerSecond: 0,
    state: 'running',
    ...over,
  };
}

/** Step 1 of 2 over 100,000 rows at 2,000 rows a batch, ten batches a second, for `seconds`. */
function runFor(tracker: RunDataTracker, seconds: number, from = 0): number {
  tracker.apply({ type: 'data:step-start', revision: REVISION, step: 1, steps: 2, table: 'features', rowsDone: 0, rowsTotal: 100_000 }, T);
  let rows = from;
  for (let ms = 0; ms < seconds * 1000; ms += 100) {
    rows += 2000;
    tracker.apply(progress(rows), T + ms);
  }
  return rows;
}

const text = (lines: Array<{ text: string }>) => lines.map((l) => l.text).join('\n');

describe('bars and sparklines', () => {
  it('fills a bar in eighths of a cell, so it grows smoothly', () => {
    expect(bar(0, 10)).toBe(' '.repeat(10));
    expect(bar(0.5, 10)).toBe(`${'█'.repeat(5)}     `);
    expect(bar(0.0125, 10)).toBe(`▏${' '.repeat(9)}`);
    expect(bar(0.55, 10)).toBe(`${'█'.repeat(5)}▌    `);
    expect(bar(1.5, 4)).toBe('████');
  });

  it('draws a sparkline scaled to its largest value, a pause as a gap, the newest values on the right', () => {
    expect(sparkline([1, 2, 4, 8], 10)).toBe('▁▂▄█');
    expect(sparkline([8, 0, 8], 10)).toBe('█ █');
    // Six values into three cells: averaged in pairs.
    expect(sparkline([8, 8, 0, 0, 4, 4], 3)).toBe('█ ▄');
    expect(sparkline([], 5)).toBe('');
  });
});

describe('a run’s data migration, from its events', () => {
  it('shows the bar per step and overall, rows per second, ETA, batch size, elapsed and the sparklines', () => {
    const tracker = new RunDataTracker();
    runFor(tracker, 3);
    const [view] = tracker.views(T + 3000);
    expect(view.status).toBe('running');
    expect(view.rate).toEqual([20_000, 20_000, 20_000]);
    const lines = text(dataLines(view, 100, theme));
    expect(lines).toContain('overall   ▕');
    expect(lines).toMatch(/step 1\/2\s+▕█+.*▏\s+60%\s+features/);
    expect(lines).toMatch(/step 2\/2\s+▕\s+▏\s+\?\s+waiting/);
    // Step 2 has not counted its rows yet: the ETA is step 1's.
    expect(lines).toContain('20,000 rows/s · ETA 2 s (step 1) · batch 2,000 · elapsed 3 s');
    expect(lines).toMatch(/rows\/s ███\s+batch ███\s+≤ 120 ms/);
  });

  it('plots the slowest batch of each second, and its peak is the slowest batch of the minute', () => {
    const tracker = new RunDataTracker();
    runFor(tracker, 2);
    // One slow batch among ten fast ones in the third second (a lock wait, a checkpoint).
    let rows = 40_000;
    for (let ms = 2000; ms < 3000; ms += 100) {
      rows += 2000;
      tracker.apply(progress(rows, { lastBatchMs: ms === 2500 ? 480 : 120 }), T + ms);
    }
    const [view] = tracker.views(T + 3000);
    expect(view.batchMs).toEqual([120, 120, 480]);
    expect(text(dataLines(view, 100, theme))).toMatch(/batch ▂▂█\s+≤ 480 ms/);
  });

  it('gives no ETA before 1% is done', () => {
    const tracker = new RunDataTracker();
    tracker.apply({ type: 'data:step-start', revision: REVISION, step: 1, steps: 1, table: 'features', rowsDone: 0, rowsTotal: 1_000_000 }, T);
    tracker.apply(progress(5000, { steps: 1, rowsTotal: 1_000_000 }), T + 500);
    tracker.apply(progress(9000, { steps: 1, rowsTotal: 1_000_000 }), T + 1500);
    expect(tracker.views(T + 2000)[0].etaSeconds).toBeUndefined();
    tracker.apply(progress(12_000, { steps: 1, rowsTotal: 1_000_000 }), T + 2500);
    expect(tracker.views(T + 3000)[0].etaSeconds).toBeGreaterThan(0);
  });

  it('says a pause was asked for until the runner pauses, then paused, at 0 rows/s while it waits', () => {
    const tracker = new RunDataTracker();
    const rows = runFor(tracker, 2);
    tracker.asked(REVISION, 'pause');
    expect(text(dataLines(tracker.views(T + 2000)[0], 100, theme))).toContain('pausing after the current batch…');
    tracker.apply({ type: 'data:paused', revision: REVISION, step: 1 }, T + 2100);
    for (let ms = 2100; ms < 6000; ms += 1000) tracker.apply(progress(rows, { state: 'paused' }), T + ms);
    const [view] = tracker.views(T + 6000);
    expect(view.status).toBe('paused');
    expect(view.note).toBeUndefined();
    expect(view.rate).toEqual([20_000, 20_000, 0, 0, 0, 0]);
    // Paused, nothing moves: 0 rows/s (not a rate decaying over the paused seconds), no ETA.
    expect(view.rowsPerSecond).toBe(0);
    expect(view.etaSeconds).toBeUndefined();
    expect(text(dataLines(view, 100, theme))).toMatch(/^ {4}paused$/m);
    expect(text(dataLines(view, 100, theme))).toContain('0 rows/s · batch 2,000 · elapsed 6 s');
  });

  it('after a resume, takes rate and ETA from the seconds since the resume, not from the whole run', () => {
    const tracker = new RunDataTracker();
    // 20,000 rows/s for 2 s, paused for 20 s, then resumed at a fifth of the speed (4,000 rows/s).
    let rows = runFor(tracker, 2);
    tracker.apply({ type: 'data:paused', revision: REVISION, step: 1 }, T + 2000);
    for (let ms = 3000; ms < 22_000; ms += 1000) tracker.apply(progress(rows, { state: 'paused' }), T + ms);
    tracker.apply({ type: 'data:resumed', revision: REVISION, step: 1 }, T + 22_000);
    // Just resumed: no rate yet, rather than one made of the paused seconds.
    expect(tracker.views(T + 22_500)[0].rowsPerSecond).toBeUndefined();
    for (let ms = 22_000; ms < 25_000; ms += 100) {
      rows += 400;
      tracker.apply(progress(rows), T + ms);
    }
    const [view] = tracker.views(T + 25_000);
    expect(view.rowsPerSecond).toBe(4000);
    // Step 1 has 100,000 - 52,000 rows left at 4,000 rows/s.
    expect(view.etaSeconds).toBe(12);
    expect(text(dataLines(view, 100, theme))).toContain('4,000 rows/s · ETA 12 s (step 1)');
  });

  it('counts elapsed time from the data migration’s first start, as the progress table (and watch) does', () => {
    const tracker = new RunDataTracker();
    // Resumed by this run 14 s after an earlier run started it.
    tracker.apply(
      {
        type: 'data:step-start',
        revision: REVISION,
        step: 1,
        steps: 1,
        table: 'features',
        rowsDone: 30_000,
        rowsTotal: 100_000,
        startedAt: T - 14_000,
      },
      T,
    );
    tracker.apply(progress(32_000, { steps: 1 }), T + 500);
    expect(tracker.views(T + 1000)[0].elapsedMs).toBe(15_000);
  });

  it('a cancel asked for during the last batch: done, and says the cancel came too late (no "cancelling…" beside done)', () => {
    const tracker = new RunDataTracker();
    tracker.apply({ type: 'data:step-start', revision: REVISION, step: 1, steps: 1, table: 'features', rowsDone: 0, rowsTotal: 10_000 }, T);
    tracker.apply(progress(8000, { steps: 1, rowsTotal: 10_000 }), T + 800);
    tracker.asked(REVISION, 'cancel');
    expect(tracker.views(T + 900)[0].note).toBe('cancelling after the current batch…');
    tracker.apply({ type: 'data:step-done', revision: REVISION, step: 1, steps: 1, rowsDone: 10_000, durationMs: 1000 }, T + 1000);
    const [view] = tracker.views(T + 1100);
    expect(view.status).toBe('done');
    const lines = text(dataLines(view, 100, theme));
    expect(lines).not.toContain('cancelling');
    expect(lines).toContain('done before the cancel took effect: its last batch was running');
  });

  it('keeps a retry’s error in view, and a cancel as resumable', () => {
    const tracker = new RunDataTracker();
    runFor(tracker, 1);
    tracker.apply(
      { type: 'batch:retry', revision: REVISION, step: 1, attempt: 1, retries: 3, delayMs: 400, batchSize: 1000, message: 'deadlock detected' },
      T + 1000,
    );
    expect(text(dataLines(tracker.views(T + 1100)[0], 100, theme))).toContain('a batch failed (deadlock detected); try 1 of 3 in 400 ms');
    tracker.apply({ type: 'data:cancelled', revision: REVISION, step: 1, rowsDone: 20_000, by: 'cancel' }, T + 1500);
    const lines = text(dataLines(tracker.views(T + 5000)[0], 100, theme));
    expect(lines).toContain('cancelled (resumable)');
    expect(lines).toContain('its checkpoint is kept: u continues from there');
    // Over: the rate of the run it had (20,000 rows in 1.5 s), and no ETA for work nobody is doing.
    expect(lines).toContain('13,333 rows/s · batch 1,000 · elapsed 1 s');
  });

  it('once done: full bars, the whole run’s rate, no ETA', () => {
    const tracker = new RunDataTracker();
    runFor(tracker, 2);
    tracker.apply({ type: 'data:step-done', revision: REVISION, step: 1, steps: 2, rowsDone: 40_000, durationMs: 2000 }, T + 2000);
    tracker.apply({ type: 'data:step-start', revision: REVISION, step: 2, steps: 2, table: 'users', rowsDone: 0, rowsTotal: 0 }, T + 2000);
    tracker.apply({ type: 'data:step-done', revision: REVISION, step: 2, steps: 2, rowsDone: 0, durationMs: 1 }, T + 2000);
    const [view] = tracker.views(T + 9000);
    expect(view.status).toBe('done');
    expect(view.share).toBe(1);
    expect(view.etaSeconds).toBeUndefined();
    expect(view.rowsPerSecond).toBe(20_000);
    expect(text(dataLines(view, 100, theme))).toMatch(/overall\s+▕█{10,}▏ 100%\s+40,000 \/ 40,000 rows/);
  });

  it('with no rows to change: no 0 / 0 rows bar, it says so', () => {
    const tracker = new RunDataTracker();
    tracker.apply({ type: 'data:step-start', revision: REVISION, step: 1, steps: 1, table: 'features', rowsDone: 0, rowsTotal: 0 }, T);
    tracker.apply({ type: 'data:step-done', revision: REVISION, step: 1, steps: 1, rowsDone: 0, durationMs: 3 }, T + 3);
    const lines = text(dataLines(tracker.views(T + 3)[0], 100, theme));
    expect(lines).toBe('    done · no rows to change\n    elapsed 0 s');
    expect(lines).not.toMatch(/▕|0 \/ 0 rows/);
  });

  it('the run view names each revision as the timeline does: slug, then date; no bars under a schema revision', () => {
    const state: RunState = {
      phase: 'done',
      direction: 'up',
      target: 'Migration20260106090000_add_feature_slug_index',
      holder: null,
      durationMs: 40,
      lines: [
        { name: 'Migration20260104090000_add_feature_slug', state: 'done', durationMs: 12 },
        { name: REVISION, state: 'done', durationMs: 20 },
        { name: 'Migration20260106090000_add_feature_slug_index', state: 'done', durationMs: 8 },
      ],
    };
    const tracker = new RunDataTracker();
    runFor(tracker, 1);
    const { lines } = runLines(state, 100, '⠋', theme, tracker.views(T + 1000));
    const shown = lines.map((l) => l.text);
    const slug = (name: string) => name.padEnd('add_feature_slug_index'.length);
    expect(shown[0]).toBe(`  ✓ ${slug('add_feature_slug')}  2026-01-04  12 ms`);
    expect(shown[1]).toBe(`  ✓ ${slug('backfill_feature_slug')}  2026-01-05  20 ms`);
    // The data migration's bars, then the schema revision's line with nothing under it.
    expect(shown.slice(2).findIndex((l) => l.startsWith('  ✓ add_feature_slug_index  2026-01-06  8 ms'))).toBeGreaterThan(0);
    expect(shown.at(-2)).toBe('  ✓ add_feature_slug_index  2026-01-06  8 ms');
    // Narrow: the date goes first, then the slug is cut in the middle.
    expect(runLines(state, 40, '⠋', theme).lines.map((l) => l.text)).toContain('  ✓ add_feature_slug_index  8 ms');
    expect(runLines(state, 30, '⠋', theme).lines.map((l) => l.text)).toContain('  ✓ add_fea…_index  8 ms');
  });

  it('fits 80 columns and truncates below', () => {
    const tracker = new RunDataTracker();
    runFor(tracker, 2);
    for (const width of [80, 50])
      for (const line of dataLines(tracker.views(T + 2000)[0], width, theme)) expect(line.text.length).toBeLessThanOrEqual(width);
  });
});

describe('data migrations of any process, from the progress table', () => {
  const read = (rowsDone: number, updatedAt: number, over: Partial<DataMigrationProgress> = {}): DataMigrationProgress => ({
    revision: REVISION,
    status: 'running',
    rowsDone,
    rowsTotal: 100_000,
    step: 1,
    steps: 1,
    batchSize: 1000,
    startedAt: T,
    updatedAt,
    holder: '4242@host#abc',
    stale: false,
    gone: false,
    rows: [
      {
        revision: REVISION,
        step: 1,
        status: 'running',
        rowsDone,
        rowsTotal: 100_000,
        lastKey: [rowsDone],
        batchSize: 1000,
        startedAt: T,
        updatedAt,
        holder: '4242@host#abc',
      },
    ],
    ...over,
  });

  it('measures the rate and the time between checkpoints from successive reads', () => {
    const watch = new WatchTracker();
    watch.update([read(0, T)], T);
    watch.update([read(5000, T + 1000)], T + 1000);
    const [view] = watch.update([read(10_000, T + 2000)], T + 2000);
    expect(view.rate).toEqual([0, 5000]);
    // 5,000 rows between two reads a second apart: 5,000 rows/s (the read at T found the rows done before watching).
    expect(view.rowsPerSecond).toBe(5000);
    expect(view.batchMs).toEqual([0, 200]);
    expect(view.elapsedMs).toBe(2000);
  });

  it('takes no batch time from a read that follows a pause (the pause is not a slow batch)', () => {
    const watch = new WatchTracker();
    watch.update([read(0, T)], T);
    watch.update([read(1000, T + 3000, { status: 'paused' })], T + 1000);
    watch.update([read(2000, T + 4000)], T + 2000);
    // The read after the resume moved 1,000 rows over the paused second: no batch took that long.
    const [view] = watch.update([read(2000, T + 4000)], T + 3000);
    expect(view.rate).toEqual([0, 1000, 1000]);
    expect(view.batchMs).toEqual([0, 0, 0]);
  });

  it('shows a requested pause until a read finds it paused, and a holder gone quiet as stalled', () => {
    const watch = new WatchTracker();
    watch.update([read(1000, T)], T);
    watch.asked(REVISION, 'pause');
    expect(watch.update([read(2000, T + 1000)], T + 1000)[0].note).toBe('pausing after the current batch…');
    const [paused] = watch.update([read(2000, T + 2000, { status: 'paused' })], T + 2000);
    expect(paused.note).toBeUndefined();
    // Nothing moved for a minute: no empty sparkline line.
    const [idle] = watch.update([read(2000, T + 2000, { status: 'paused' })], T + 70_000);
    expect(text(dataLines(idle, 100, theme))).not.toMatch(/^ {4}rows\/s/m);
    expect(idle.rowsPerSecond).toBe(0);
    const [stale] = watch.update([read(2000, T + 2000, { stale: true })], T + 60_000);
    expect(stale.status).toBe('stalled');
    expect(text(dataLines(stale, 100, theme, `› ‖ ${REVISION}`))).toContain('no heartbeat: its process is gone? `up` again resumes it');
  });
});

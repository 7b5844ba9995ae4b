import { describe, expect, it } from 'vitest';
import { printDataProgress, watchLine } from '../../src/cli/data-progress.js';
import { type DataMigrationProgress, RateTracker } from '../../src/core/data/progress-report.js';
import { palette } from '../../src/cli/print.js';
import type { RunEvent } from '../../src/core/events.js';

const progress = (rowsDone: number, state: 'running' | 'paused'): RunEvent => ({
  type: 'batch:progress',
  revision: 'Migration1_backfill',
  step: 1,
  steps: 1,
  rowsDone,
  rowsTotal: 100_000,
  batchSize: 5000,
  lastBatchMs: 120,
  rowsPerSecond: 10_000,
  state,
});

// Headless `up`'s progress line on stderr, at most one a second; rate and ETA over the last whole seconds, as the TUI's.
describe('the headless progress line', () => {
  it('gives the rate of the last seconds and an ETA while batches run, 0 rows/s while paused, and after a resume the rate since it', () => {
    const lines: string[] = [];
    let clock = 0;
    const print = printDataProgress(
      palette(false),
      (line) => lines.push(line),
      1000,
      () => clock,
    );
    // 5,000 rows every half second: 10,000 a second.
    for (let rows = 0; rows <= 30_000; rows += 5000) {
      print(progress(rows, 'running'));
      clock += 500;
    }
    // Paused for two seconds: 0 rows/s, no ETA.
    for (let beat = 0; beat < 2; beat++) {
      print(progress(30_000, 'paused'));
      clock += 1000;
    }
    print(progress(30_000, 'paused'));
    // Resumed at 2,000 rows a second: the rate of the seconds since the resume, not of the whole run.
    print({ type: 'data:resumed', revision: 'Migration1_backfill', step: 1 });
    for (let rows = 31_000; rows <= 36_000; rows += 1000) {
      clock += 500;
      print(progress(rows, 'running'));
    }
    expect(lines).toEqual([
      '  Migration1_backfill step 1/1: 10,000 / 100,000 rows (10%) · 10,000 rows/s · batch 5,000 · ETA 9 s',
      '  Migration1_backfill step 1/1: 20,000 / 100,000 rows (20%) · 10,000 rows/s · batch 5,000 · ETA 8 s',
      '  Migration1_backfill step 1/1: 30,000 / 100,000 rows (30%) · 10,000 rows/s · batch 5,000 · ETA 7 s',
      '  Migration1_backfill step 1/1: 30,000 / 100,000 rows (30%) · 0 rows/s · batch 5,000 · paused',
      '  Migration1_backfill step 1/1: 30,000 / 100,000 rows (30%) · 0 rows/s · batch 5,000 · paused',
      '  Migration1_backfill resumed (step 1)',
      // Only the seconds since the resume: not the 10,000 rows/s before the pause, nor a mean over the paused seconds.
      '  Migration1_backfill step 1/1: 32,000 / 100,000 rows (32%) · 2,000 rows/s · batch 5,000 · ETA 34 s',
      '  Migration1_backfill step 1/1: 34,000 / 100,000 rows (34%) · 2,000 rows/s · batch 5,000 · ETA 33 s',
      '  Migration1_backfill step 1/1: 36,000 / 100,000 rows (36%) · 2,000 rows/s · batch 5,000 · ETA 32 s',
    ]);
  });
});

// `watch` in a pipe (and --json): rates from successive reads of the progress table.
describe('the watch line', () => {
  const read = (rowsDone: number, status: DataMigrationProgress['status']): DataMigrationProgress => ({
    revision: 'Migration1_backfill',
    status,
    rowsDone,
    rowsTotal: 100_000,
    step: 1,
    steps: 1,
    batchSize: 1000,
    startedAt: 0,
    updatedAt: 0,
    holder: '1@host#a',
    stale: false,
    gone: false,
    rows: [],
  });

  it('says 0 rows/s while paused, and after a resume takes the rate from the reads since it', () => {
    const rates = new RateTracker();
    const line = (p: DataMigrationProgress, at: number) => watchLine(p, rates.update([p], at).get(p.revision)!);
    // 10,000 rows a second for three seconds.
    for (let s = 0; s <= 3; s++) line(read(s * 10_000, 'running'), s * 1000);
    expect(line(read(40_000, 'running'), 4000)).toMatch(/· [\d,]+ rows\/s · ETA/);
    expect(line(read(40_000, 'paused'), 5000)).toBe('Migration1_backfill: paused · 40,000 / 100,000 rows (40%) · 0 rows/s');
    expect(line(read(40_000, 'paused'), 9000)).toContain('· 0 rows/s');
    // Resumed at 1,000 rows a second: not the 10,000 of before, nor a mean over the paused seconds.
    line(read(40_000, 'running'), 10_000);
    line(read(41_000, 'running'), 11_000);
    // Rows count when a read finds them, a read late: the first seconds read low, never the old rate.
    const rate = Number(/· ([\d,]+) rows\/s · ETA/.exec(line(read(42_000, 'running'), 12_000))?.[1].replace(',', ''));
    expect(rate).toBeGreaterThanOrEqual(500);
    expect(rate).toBeLessThanOrEqual(1000);
  });
});

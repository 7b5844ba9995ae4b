import { describe, expect, it } from 'vitest';
import { printDataProgress } from '../../src/cli/data-progress.js';
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
  it('gives the rate of the last seconds and an ETA while batches run, none while paused', () => {
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
    // Paused for two seconds: the rate falls with them.
    for (let beat = 0; beat < 2; beat++) {
      print(progress(30_000, 'paused'));
      clock += 1000;
    }
    print(progress(30_000, 'paused'));
    expect(lines).toEqual([
      '  Migration1_backfill step 1/1: 10,000 / 100,000 rows (10%) · 5,000 rows/s · batch 5,000 · ETA 18 s',
      '  Migration1_backfill step 1/1: 20,000 / 100,000 rows (20%) · 7,500 rows/s · batch 5,000 · ETA 11 s',
      '  Migration1_backfill step 1/1: 30,000 / 100,000 rows (30%) · 8,333 rows/s · batch 5,000 · ETA 9 s',
      '  Migration1_backfill step 1/1: 30,000 / 100,000 rows (30%) · 7,500 rows/s · batch 5,000 · paused',
      '  Migration1_backfill step 1/1: 30,000 / 100,000 rows (30%) · 6,000 rows/s · batch 5,000 · paused',
    ]);
  });
});

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

// Headless `up`'s progress line on stderr, at most one a second.
describe('the headless progress line', () => {
  it('gives an ETA while batches run, none while paused', () => {
    const lines: string[] = [];
    let clock = 0;
    const print = printDataProgress(
      palette(false),
      (line) => lines.push(line),
      1000,
      () => clock,
    );
    clock = 1000;
    print(progress(20_000, 'running'));
    clock = 2000;
    print(progress(20_000, 'paused'));
    expect(lines).toEqual([
      '  Migration1_backfill step 1/1: 20,000 / 100,000 rows (20%) · 10,000 rows/s · batch 5,000 · ETA 8 s',
      '  Migration1_backfill step 1/1: 20,000 / 100,000 rows (20%) · 10,000 rows/s · batch 5,000 · paused',
    ]);
  });
});

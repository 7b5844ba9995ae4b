import { describe, expect, it } from 'vitest';
import type { DataMigrationProgress } from '../../../src/core/data/progress-report.js';
import { checkpointText } from '../../../src/ui/data/checkpoint-text.js';

const at = (status: DataMigrationProgress['status'], rowsDone: number, rowsTotal: number, stale = false, gone = false): DataMigrationProgress => ({
  revision: 'Migration20260105090000_backfill_feature_slug',
  status,
  rowsDone,
  rowsTotal,
  step: 1,
  steps: 1,
  batchSize: 1000,
  startedAt: 0,
  updatedAt: 0,
  holder: null,
  stale: stale || gone,
  gone,
  rows: [],
});

describe('where a data migration stopped, in words', () => {
  it('says how far a cancelled, failed or abandoned one got and that it resumes from its checkpoint', () => {
    expect(checkpointText(at('cancelled', 27_400, 100_000))).toBe('cancelled at 27%, resumes from the checkpoint');
    expect(checkpointText(at('cancelled', 27_400, 100_000), true)).toBe('cancelled at 27%');
    expect(checkpointText(at('failed', 500, 1000))).toBe('failed at 50%, resumes from the checkpoint');
    expect(checkpointText(at('running', 10, 1000, true))).toBe('stopped at 1%, resumes from the checkpoint');
    expect(checkpointText(at('cancelled', 1234, 0))).toBe('cancelled after 1,234 rows, resumes from the checkpoint');
  });

  it('says nothing of one that is done or running in a live process, and a paused one waits for a resume', () => {
    expect(checkpointText(at('done', 1000, 1000))).toBeUndefined();
    expect(checkpointText(at('running', 10, 1000))).toBeUndefined();
    expect(checkpointText(at('paused', 300, 1000))).toBe('paused at 30%, waiting to be resumed (watch: p)');
  });
});

import { STALE_AFTER_MS } from '../lock.js';
import { holderGone } from './holder.js';
import { ProgressEstimator, type RateEstimate } from './progress-estimator.js';
import type { ProgressRow, StepStatus } from './progress-store.js';

export type { RateEstimate } from './progress-estimator.js';

/** One data migration as `status --json`, `watch` and the TUI show it: its steps' rows added up. */
export interface DataMigrationProgress {
  revision: string;
  status: StepStatus;
  rowsDone: number;
  /** The steps' estimates added up (never below rowsDone). */
  rowsTotal: number;
  /** The step running now (or the last one), from 1, and how many there are. */
  step: number;
  steps: number;
  batchSize: number;
  /** Epoch ms: the first step's start, and the last checkpoint or heartbeat. */
  startedAt: number;
  updatedAt: number;
  holder: string | null;
  /** Marked running (or paused), but its run is over: no heartbeat for a while, or `gone`. `up` again resumes it. */
  stale: boolean;
  /** Its holder was a process on this machine that no longer exists: interrupted, known at once (no heartbeat to wait for). */
  gone: boolean;
  rows: ProgressRow[];
}

/** What `status --json` and `watch --json` say of a data migration: its steps' status, or what became of a run that is over. */
export type ShownStatus = StepStatus | 'interrupted' | 'stalled';

/** The word `status` shows: `interrupted` when its process on this machine is gone, `stalled` without a heartbeat. */
export function shownStatus(p: DataMigrationProgress): ShownStatus {
  if (p.gone) return 'interrupted';
  return p.stale ? 'stalled' : p.status;
}

/** Which status a revision shows when its steps differ: the one that needs attention first. */
const PRECEDENCE: StepStatus[] = ['failed', 'paused', 'cancelled', 'running', 'done'];

/** Adds up the step rows of each revision, in revision order. */
export function summarise(rows: ProgressRow[], now = Date.now()): DataMigrationProgress[] {
  const byRevision = new Map<string, ProgressRow[]>();
  for (const row of rows) byRevision.set(row.revision, [...(byRevision.get(row.revision) ?? []), row]);
  return [...byRevision.entries()].map(([revision, steps]) => {
    const status = PRECEDENCE.find((s) => steps.some((row) => row.status === s)) ?? 'running';
    const current = steps.find((row) => row.status !== 'done') ?? steps[steps.length - 1];
    const rowsDone = steps.reduce((sum, row) => sum + row.rowsDone, 0);
    const rowsTotal = steps.reduce((sum, row) => sum + Math.max(row.rowsTotal ?? 0, row.rowsDone), 0);
    const updatedAt = Math.max(...steps.map((row) => row.updatedAt));
    // A killed run leaves its steps marked running (or paused) until its heartbeat goes stale; on this machine its
    // process says so at once.
    const gone = (status === 'running' || status === 'paused') && holderGone(current.holder);
    return {
      revision,
      status,
      rowsDone,
      rowsTotal,
      step: current.step,
      steps: steps.length,
      batchSize: current.batchSize,
      startedAt: Math.min(...steps.map((row) => row.startedAt)),
      updatedAt,
      holder: current.holder,
      stale: gone || (status === 'running' && now - updatedAt > STALE_AFTER_MS),
      gone,
      rows: steps,
    };
  });
}

/**
 * Measures each revision's rows per second from successive reads of the progress table (another process's run), as
 * the watch screen does: one `ProgressEstimator` per revision.
 */
export class RateTracker {
  readonly #estimators = new Map<string, { estimator: ProgressEstimator; status: StepStatus }>();

  /**
   * Adds this read's totals; returns the rate and ETA of each revision where the reads so far allow them: 0 rows/s
   * while paused, and after a resume the rate of the seconds since it.
   */
  update(progress: DataMigrationProgress[], now = Date.now()): Map<string, RateEstimate> {
    const estimates = new Map<string, RateEstimate>();
    for (const p of progress) {
      let seen = this.#estimators.get(p.revision);
      if (!seen || (seen.status !== 'running' && p.status === 'running')) {
        seen = { estimator: new ProgressEstimator(), status: p.status };
        this.#estimators.set(p.revision, seen);
      }
      seen.status = p.status;
      const { estimator } = seen;
      estimator.observe(p.rowsDone, now);
      if (p.status === 'done') estimates.set(p.revision, { rowsPerSecond: 0, etaSeconds: 0 });
      else if (p.status === 'paused' && !p.stale) estimates.set(p.revision, { rowsPerSecond: 0 });
      else if (p.status !== 'running' || p.stale) estimates.set(p.revision, {});
      else estimates.set(p.revision, estimator.estimate(p.rowsTotal - p.rowsDone, true, now));
    }
    return estimates;
  }
}

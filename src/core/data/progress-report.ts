import { STALE_AFTER_MS } from '../lock.js';
import type { ProgressRow, StepStatus } from './progress-store.js';

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
  /** Marked running, but no heartbeat for a while: its process is probably gone (`up` again resumes it). */
  stale: boolean;
  rows: ProgressRow[];
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
      stale: status === 'running' && now - updatedAt > STALE_AFTER_MS,
      rows: steps,
    };
  });
}

/** The rate and the time left of a data migration, where known. */
export interface RateEstimate {
  rowsPerSecond?: number;
  etaSeconds?: number;
}

/** How long a window of samples the rate is measured over. */
const WINDOW_MS = 10_000;

/** Measures each revision's rows per second from successive reads of the progress table (another process's run). */
export class RateTracker {
  readonly #samples = new Map<string, Array<{ at: number; rows: number }>>();

  /** Adds this read's samples; returns the rate and ETA of each running revision where two reads allow it. */
  update(progress: DataMigrationProgress[], now = Date.now()): Map<string, RateEstimate> {
    const estimates = new Map<string, RateEstimate>();
    for (const p of progress) {
      const samples = (this.#samples.get(p.revision) ?? []).filter((s) => now - s.at <= WINDOW_MS);
      samples.push({ at: now, rows: p.rowsDone });
      this.#samples.set(p.revision, samples);
      if (p.status !== 'running' || p.stale) {
        estimates.set(p.revision, p.status === 'done' ? { rowsPerSecond: 0, etaSeconds: 0 } : {});
        continue;
      }
      const first = samples[0];
      const span = (now - first.at) / 1000;
      if (span < 0.5) {
        estimates.set(p.revision, {});
        continue;
      }
      const rowsPerSecond = Math.max(0, Math.round((p.rowsDone - first.rows) / span));
      const left = Math.max(0, p.rowsTotal - p.rowsDone);
      estimates.set(p.revision, rowsPerSecond > 0 ? { rowsPerSecond, etaSeconds: Math.ceil(left / rowsPerSecond) } : { rowsPerSecond });
    }
    return estimates;
  }
}

import type { DataMigrationProgress } from '../../core/index.js';
import { count } from '../../core/data/progress-text.js';

/**
 * A data migration that stopped short of its end, in words: "cancelled at 27%, resumes from the checkpoint" (the
 * timeline's row, details and the confirmation say it alike); `short` leaves out how it goes on ("cancelled at 27%").
 * Undefined for one that is done, or running in a live process (the run view and watch show that one).
 */
export function checkpointText(p: DataMigrationProgress, short = false): string | undefined {
  if (p.status === 'done' || (p.status === 'running' && !p.stale)) return undefined;
  const at = p.rowsTotal > 0 ? `at ${Math.floor((Math.min(p.rowsDone, p.rowsTotal) / p.rowsTotal) * 100)}%` : `after ${count(p.rowsDone)} rows`;
  // Paused, its process waits for a resume (p, or watch); the others go on when `up` runs it again.
  if (p.status === 'paused' && !p.stale) return `paused ${at}${short ? '' : ', waiting to be resumed (watch: p)'}`;
  // Its process gone (killed, crashed): interrupted, known at once; no heartbeat for a while: stopped, most likely.
  const word = p.gone ? 'interrupted' : p.stale ? 'stopped' : p.status;
  return `${word} ${at}${short ? '' : ', resumes from the checkpoint'}`;
}

import type { DataMigrationProgress, RunEvent } from '../core/index.js';
import { ProgressEstimator, type RateEstimate } from '../core/data/progress-estimator.js';
import { shownStatus } from '../core/data/progress-report.js';
import { count, rowsText } from '../core/data/progress-text.js';
import { durationText } from '../ui/duration.js';
import type { Palette } from './print.js';

/**
 * Prints a data migration's progress while `up` runs headless: one line at most every `everyMs` (stderr), plus a
 * line for each pause, resume, cancel and retry. Rate and ETA are the TUI's and `watch`'s: rows per second over
 * the last seconds since the step started or resumed (ProgressEstimator), so a slowdown shows in them; 0 while
 * paused.
 */
export function printDataProgress(p: Palette, write: (line: string) => void, everyMs = 1000, now = () => Date.now()): (event: RunEvent) => void {
  let last = 0;
  let step = '';
  let estimator = new ProgressEstimator({ now });
  let lastRows = 0;
  return (event) => {
    switch (event.type) {
      case 'batch:progress': {
        const at = now();
        if (`${event.revision} ${event.step}` !== step) {
          step = `${event.revision} ${event.step}`;
          estimator = new ProgressEstimator({ now });
        }
        estimator.observe(event.rowsDone, at);
        lastRows = event.rowsDone;
        // A step with nothing to do (an empty table) says nothing: `applied` follows at once.
        if (event.rowsDone === 0 && event.state === 'running') return;
        if (at - last < everyMs) return;
        last = at;
        const left = event.rowsTotal === null ? 0 : event.rowsTotal - event.rowsDone;
        // A paused one's heartbeat line: 0 rows/s and no ETA, nothing moves until it is resumed.
        const paused = event.state === 'paused';
        const { rowsPerSecond, etaSeconds } = paused ? { rowsPerSecond: 0, etaSeconds: undefined } : estimator.estimate(left, left > 0, at);
        const parts = [`${event.revision} step ${event.step}/${event.steps}: ${rowsText(event.rowsDone, event.rowsTotal)}`];
        if (rowsPerSecond !== undefined) parts.push(`${count(rowsPerSecond)} rows/s`);
        parts.push(`batch ${count(event.batchSize)}`);
        if (etaSeconds !== undefined) parts.push(`ETA ${durationText(etaSeconds * 1000, 'eta')}`);
        if (event.state !== 'running') parts.push(event.state);
        write(p.dim(`  ${parts.join(' · ')}`));
        break;
      }
      case 'batch:retry':
        write(
          p.yellow(
            `  a batch of ${event.revision} step ${event.step} failed (${event.message}); try ${event.attempt} of ${event.retries} in ${event.delayMs} ms`,
          ),
        );
        break;
      case 'data:paused':
        write(p.yellow(`  ${event.revision} paused (step ${event.step}); waiting to be resumed`));
        break;
      case 'data:resumed':
        // The rate from here on: the paused seconds are not how fast it runs.
        estimator = new ProgressEstimator({ now });
        estimator.observe(lastRows, now());
        write(`  ${event.revision} resumed (step ${event.step})`);
        break;
      case 'data:cancelled':
        write(
          p.yellow(
            `  ${event.revision} ${event.by === 'cancel' ? 'cancelled' : 'stopped'} after ${count(event.rowsDone)} rows of step ${event.step}; \`up\` continues from there`,
          ),
        );
        break;
      default:
        break;
    }
  };
}

/** One data migration as a `watch` text line. */
export function watchLine(d: DataMigrationProgress, rate: RateEstimate): string {
  const state = d.gone ? 'interrupted (its process is gone; up resumes it)' : `${d.status}${d.stale ? ' (no heartbeat: its process is gone?)' : ''}`;
  const parts = [`${d.revision}: ${state}`, rowsText(d.rowsDone, d.rowsTotal)];
  if (d.steps > 1) parts.push(`step ${d.step}/${d.steps}`);
  if (rate.rowsPerSecond !== undefined && (d.status === 'running' || d.status === 'paused')) parts.push(`${count(rate.rowsPerSecond)} rows/s`);
  if (rate.etaSeconds !== undefined && d.status === 'running') parts.push(`ETA ${durationText(rate.etaSeconds * 1000, 'eta')}`);
  return parts.join(' · ');
}

/** The entry of `status --json` and `watch --json` (DESIGN §3), with rate and ETA where known (watch). */
export function dataMigrationJson(d: DataMigrationProgress, rate?: RateEstimate): Record<string, unknown> {
  return { revision: d.revision, status: shownStatus(d), rowsDone: d.rowsDone, rowsTotal: d.rowsTotal, ...(rate ?? {}) };
}

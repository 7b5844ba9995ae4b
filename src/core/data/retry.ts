import { LockLostError } from '../errors.js';
import type { DataState } from '../events.js';
import { sleep } from '../sleep.js';
import { isConnectionLoss, isTimeout, messageLine } from '../orm/index.js';
import type { BatchSizer } from './batch-size.js';
import type { StepRun } from './step-runner.js';

const MAX_BACKOFF_MS = 5_000;

/** Runs a batch; a failure is tried again (smaller after a timeout) with growing pauses, then marks the step failed and throws. */
export async function withRetries<T>(
  run: StepRun,
  step: number,
  sizer: BatchSizer,
  progress: (state: DataState) => void,
  batch: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await batch();
    } catch (error) {
      // A lost connection or lock cannot be retried on this connection: the run ends, the checkpoint stays.
      if (error instanceof LockLostError || isConnectionLoss(error)) throw error;
      if (attempt > run.batching.retries || run.signal.aborted) {
        await run.store.finish(run.revision, step, run.holder, 'failed').catch(() => undefined);
        throw error;
      }
      if (isTimeout(error)) sizer.halve();
      const delayMs = Math.min(MAX_BACKOFF_MS, 100 * 2 ** (attempt - 1));
      const message = messageLine(error);
      run.emit({
        type: 'batch:retry',
        revision: run.revision,
        step,
        attempt,
        retries: run.batching.retries,
        delayMs,
        batchSize: sizer.size,
        message,
      });
      progress('retrying');
      await sleep(delayMs, run.signal);
    }
  }
}

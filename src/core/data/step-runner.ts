import { performance } from 'node:perf_hooks';
import type { Database, Transaction } from '../database.js';
import { LockLostError } from '../errors.js';
import type { DataState, RunEvent } from '../events.js';
import type { Backfill } from './backfill.js';
import { BatchSizer } from './batch-size.js';
import type { SqlRunner } from './keyset.js';
import type { ProgressRow, ProgressStore, StepStatus } from './progress-store.js';
import { sleep } from '../sleep.js';
import { withRetries } from './retry.js';
import type { ResolvedBatching, Row } from './steps.js';

/** How one step ended: every row done, cancelled from the progress table, or the run was asked to stop. */
export type StepEnd = 'done' | 'cancelled' | 'stopped';

/** What a step runs with: the run's connection, the checkpoint store, who holds it, and how to tell and stop. */
export interface StepRun {
  db: Database;
  store: ProgressStore;
  revision: string;
  steps: number;
  holder: string;
  batching: ResolvedBatching;
  /** The run lock as a condition on the heartbeat (SQLite), so a batch commits only while the run holds it. */
  guard?: { sql: string; params: unknown[] };
  signal: AbortSignal;
  emit(event: RunEvent): void;
}

const PAUSE_POLL_MS = 1_000;

/** A runner of SQL in one transaction, through the driver (so a failure names its statement). */
function inTransaction(db: Database, trx: Transaction): SqlRunner {
  return {
    all: async (sql, params = []) => (await db.driver.execute(sql, params, 'all', trx)) as unknown as Row[],
    run: async (sql, params = []) => ((await db.driver.execute(sql, params, 'run', trx)) as { affectedRows?: number }).affectedRows ?? 0,
  };
}

/**
 * Runs one step from its checkpoint: batch after batch, each (statement, checkpoint) in one short transaction; between
 * batches it acts on the step's status as the checkpoint found it (paused waits, cancelled stops) and on the run's stop
 * signal.
 */
export async function runStep(run: StepRun, backfill: Backfill, row: ProgressRow): Promise<StepEnd> {
  const { db, store, revision, holder, batching, emit } = run;
  const step = backfill.index + 1;
  const outside: SqlRunner = { all: (sql, params) => db.query(sql, params), run: (sql, params) => db.run(sql, params) };
  let { rowsDone, lastKey, rowsTotal } = row;
  const sizer = new BatchSizer(batching, row.batchSize || undefined);
  rowsTotal ??= rowsDone + (await backfill.estimate(outside, lastKey));
  emit({ type: 'data:step-start', revision, step, steps: run.steps, table: backfill.step.table, rowsDone, rowsTotal, startedAt: row.startedAt });
  const started = performance.now();
  const doneAtStart = rowsDone;
  let lastBatchMs = 0;
  // The size of the batch that last ran, as its checkpoint stored it (watch reads that): the sizer's next one may differ.
  let lastSize = sizer.size;
  const progress = (state: DataState) => {
    const seconds = (performance.now() - started) / 1000;
    const rowsPerSecond = seconds > 0 ? Math.round((rowsDone - doneAtStart) / seconds) : 0;
    const total = rowsTotal === null ? null : Math.max(rowsTotal, rowsDone);
    emit({
      type: 'batch:progress',
      revision,
      step,
      steps: run.steps,
      rowsDone,
      rowsTotal: total,
      batchSize: lastSize,
      lastBatchMs,
      rowsPerSecond,
      state,
    });
  };
  const lost = () => new LockLostError(`${revision} step ${step} was taken over by another run (or the migration lock was lost); stopped`);
  /** The step's status as the last checkpoint found it (as holdSteps read it, before the first). */
  let status: StepStatus | undefined = row.status;
  for (;;) {
    const control = await waitWhilePaused(run, step, status, () => progress('paused'));
    if (control !== 'go') {
      if (control === 'stopped') await store.finish(revision, step, holder, 'cancelled').catch(() => undefined);
      emit({ type: 'data:cancelled', revision, step, rowsDone, by: control === 'stopped' ? 'stop' : 'cancel' });
      return control;
    }
    const batchStarted = performance.now();
    let size = sizer.size;
    const outcome = await withRetries(run, step, sizer, progress, async () => {
      size = sizer.size;
      // A set-based step's range is read before its transaction, whose first statement is then the UPDATE: on SQLite
      // the first write takes the write lock, waiting for it, where a read first may be refused it at once.
      const range = await backfill.range(outside, lastKey, size);
      if (range === null) return { rows: 0, lastKey: null, end: true };
      return db.transaction(async (trx) => {
        // A callback step reads its rows first: the heartbeat is its first write.
        if (range === undefined && !(await store.beat(revision, step, holder, trx, run.guard))) throw lost();
        const result = await backfill.batch(inTransaction(db, trx), lastKey, size, { step, batchSize: size }, range);
        if (result.lastKey === null) return result;
        const total = rowsTotal === null ? null : Math.max(rowsTotal, rowsDone + result.rows);
        const checkpoint = {
          revision,
          step,
          holder,
          rowsDone: rowsDone + result.rows,
          rowsTotal: total,
          lastKey: result.lastKey,
          batchSize: sizer.size,
        };
        // Written only while this run holds the step and the run lock: a lost one rolls the batch back.
        status = await store.checkpoint(trx, checkpoint, { done: result.end, guard: run.guard });
        if (!status) throw lost();
        return result;
      });
    });
    lastBatchMs = Math.round(performance.now() - batchStarted);
    lastSize = size;
    if (outcome.lastKey === null) await store.finish(revision, step, holder, 'done', rowsDone);
    else {
      rowsDone += outcome.rows;
      lastKey = outcome.lastKey;
    }
    if (outcome.end) {
      rowsTotal = rowsDone;
      progress('running');
      emit({ type: 'data:step-done', revision, step, steps: run.steps, rowsDone, durationMs: Math.round(performance.now() - started) });
      return 'done';
    }
    // A batch takes as long as the keys it walks, the size asked for, however many rows its `where` kept (a step's
    // last batch walks fewer: its rate matters no more).
    sizer.observe(size, lastBatchMs);
    progress('running');
    if (batching.pauseMs > 0) {
      progress('throttled');
      await sleep(batching.pauseMs, run.signal);
    }
  }
}

/**
 * The step's status between batches, as the last batch's checkpoint found it (read again unless it was running): waits
 * while paused (keeping its heartbeat), says whether to go on.
 */
async function waitWhilePaused(
  run: StepRun,
  step: number,
  known: StepStatus | undefined,
  onPaused: () => void,
): Promise<'go' | 'cancelled' | 'stopped'> {
  let paused = false;
  for (let first = true; ; first = false) {
    if (run.signal.aborted) return 'stopped';
    const status = first && known === 'running' ? known : await run.store.status(run.revision, step);
    if (status === 'cancelled') return 'cancelled';
    if (status !== 'paused') {
      if (paused) run.emit({ type: 'data:resumed', revision: run.revision, step });
      if (status !== 'running') return 'cancelled';
      return 'go';
    }
    if (!paused) run.emit({ type: 'data:paused', revision: run.revision, step });
    paused = true;
    onPaused();
    await run.store.beat(run.revision, step, run.holder, undefined, run.guard);
    await sleep(PAUSE_POLL_MS, run.signal);
  }
}

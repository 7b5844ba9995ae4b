import type { SqlDriver } from '../orm/port.js';
import { Backfill } from './backfill.js';
import { dialectOfDriver, type SqlRunner } from './keyset.js';
import { type BatchingOptions, checkStep, type DataStep, type Row, resolveBatching } from './steps.js';

/**
 * Runs the steps batch after batch, walking each table by key, with the first batch size throughout: what a
 * DataMigration does when MikroORM's own CLI runs it (no checkpoint, no pause; each batch commits as MikroORM's
 * context allows).
 */
export async function runStepsPlainly(
  steps: DataStep[],
  options: BatchingOptions,
  driver: SqlDriver,
  execute: (sql: string, params?: unknown[]) => Promise<unknown>,
): Promise<void> {
  const batching = resolveBatching(options);
  const platform = driver.getPlatform();
  const sql = { dialect: dialectOfDriver(driver), quote: (id: string) => platform.quoteIdentifier(id) };
  const db: SqlRunner = {
    all: async (text, params) => ((await execute(text, params)) ?? []) as Row[],
    // MikroORM's execute() returns rows, not a count; the plain loop keeps none.
    run: async (text, params) => {
      await execute(text, params);
      return 0;
    },
  };
  for (const [index, step] of steps.entries()) {
    const backfill = new Backfill(checkStep(step, index), index, sql);
    let last: unknown[] | null = null;
    for (;;) {
      const outcome = await backfill.batch(db, last, batching.initialBatchSize);
      if (outcome.lastKey === null || outcome.end) break;
      last = outcome.lastKey;
    }
  }
}

import type { Migration as MikroMigration } from '@mikro-orm/migrations';
import { mikroOrm } from '../modules.js';
import { DATA_MIGRATION } from './brand.js';
import { runStepsPlainly } from './plain-loop.js';
import type { BatchingOptions, DataStep } from './steps.js';

// MikroORM's own Migration, through the pinned resolver: the project's copy, so MikroORM's CLI and ours both know it.
const { Migration } = mikroOrm<{ Migration: typeof MikroMigration }>('@mikro-orm/migrations');

/**
 * A revision that changes data in batches: its steps walk a table by key and commit batch by batch, with a
 * checkpoint, so a run can pause, stop and resume. migrate-ui runs it with its data executor; MikroORM's own CLI,
 * which knows nothing of steps, runs up() below: the same steps in a plain loop, without checkpoints.
 */
export abstract class DataMigration extends Migration {
  static readonly [DATA_MIGRATION] = true;

  /** The steps, run in order: set-based (`set`) or callback (`batch`). */
  abstract steps(): DataStep[];

  /** Batch sizing and pacing; every field has a default. */
  batching(): BatchingOptions {
    return {};
  }

  /**
   * Schema changes the steps need (a column to fill), run once before the first batch, in a transaction of their
   * own that also creates the steps' checkpoints: a resumed run never runs them twice.
   */
  async beforeSteps(): Promise<void> {}

  /** Schema changes after the last step (a filled column made NOT NULL), in the transaction that records the revision. */
  async afterSteps(): Promise<void> {}

  /**
   * The plain loop MikroORM's CLI runs (migrate-ui's runner never calls it), inside MikroORM's transaction: a
   * migration MikroORM runs outside one gets no connection of its own while `allOrNothing` holds the pool.
   */
  override async up(): Promise<void> {
    await this.beforeSteps();
    await runStepsPlainly(this.steps(), this.batching(), this.driver, (sql, params) => this.execute(sql, params));
    await this.afterSteps();
  }
}

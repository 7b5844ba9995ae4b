import type { Transaction } from '../database.js';
import type { BatchingOptions, DataStep } from './steps.js';

/** Marks DataMigration classes; a registered symbol, so a copy of migrate-ui loaded twice still knows its own. */
export const DATA_MIGRATION = Symbol.for('migrate-ui.DataMigration');

/** What the data executor needs of a DataMigration, without loading MikroORM's Migration class to ask. */
export interface DataMigrationLike {
  steps(): DataStep[];
  batching(): BatchingOptions;
  /** Schema changes before the first step and after the last (absent in a DataMigration of an older migrate-ui). */
  beforeSteps?(): Promise<void>;
  afterSteps?(): Promise<void>;
  /** MikroORM's Migration: where its execute() sends statements, what its addSql() queued, and forgetting both. */
  setTransactionContext(trx: Transaction): void;
  getQueries(): unknown[];
  reset(): void;
}

/** Whether a migration instance is a DataMigration (of any copy of migrate-ui). */
export function isDataMigration(migration: unknown): migration is DataMigrationLike {
  const made = (migration as { constructor?: Record<symbol, unknown> } | null)?.constructor;
  return Boolean(made && made[DATA_MIGRATION] === true && typeof (migration as DataMigrationLike).steps === 'function');
}

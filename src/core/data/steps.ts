/** A row as the database driver returns it: column name → value. */
export type Row = Record<string, unknown>;

/** What a callback step can do inside its batch's transaction. */
export interface BatchContext {
  /** The step's number, from 1. */
  step: number;
  /** Rows asked for in this batch (the callback may get fewer, at the end of the table). */
  batchSize: number;
  /** Runs SQL in the batch's transaction (`?` placeholders); it commits or rolls back with the batch. */
  execute(sql: string, params?: unknown[]): Promise<Row[]>;
}

/** An update a callback returns: the row's key columns, plus the columns to set and their new values. */
export type RowUpdate = Row;

interface StepBase {
  /** The table to walk (optionally `schema.table`). */
  table: string;
  /** The column(s) to walk by, unique together; default: the table's primary key. */
  key?: string | string[];
  /** A SQL condition: only rows that match it are part of the step (and counted). */
  where?: string;
}

/** A set-based step: one UPDATE per batch, `set` maps a column to a SQL expression. */
export interface SetStep extends StepBase {
  set: Record<string, string>;
}

/** A callback step: each batch's rows go to `batch`, which returns the updates to write. */
export interface CallbackStep extends StepBase {
  /** Columns to read besides the key; default: every column. */
  select?: string[];
  batch(rows: Row[], ctx: BatchContext): RowUpdate[] | undefined | Promise<RowUpdate[] | undefined>;
}

export type DataStep = SetStep | CallbackStep;

/** How a data migration batches. */
export interface BatchingOptions {
  /** The duration each batch aims for (ms); default 200. */
  targetBatchMs?: number;
  /**
   * Batch size bounds; defaults 100 and 50,000, or 1,000,000 for a set-based step: its rows never come into memory,
   * and the target duration bounds its batches.
   */
  minBatchSize?: number;
  maxBatchSize?: number;
  /** The first batch's size; default 1,000. */
  initialBatchSize?: number;
  /** A pause between batches (ms), to leave the database room; default 0. */
  pauseMs?: number;
  /** How often a failed batch is tried again before the revision fails; default 3. */
  retries?: number;
}

export type ResolvedBatching = Required<BatchingOptions>;

/** The options with their defaults, clamped to sane values; `setBased`: for a set-based step (a higher default bound). */
export function resolveBatching(options: BatchingOptions = {}, setBased = false): ResolvedBatching {
  const min = Math.max(1, Math.floor(options.minBatchSize ?? 100));
  const max = Math.max(min, Math.floor(options.maxBatchSize ?? (setBased ? 1_000_000 : 50_000)));
  return {
    targetBatchMs: Math.max(1, options.targetBatchMs ?? 200),
    minBatchSize: min,
    maxBatchSize: max,
    initialBatchSize: Math.min(max, Math.max(min, Math.floor(options.initialBatchSize ?? 1_000))),
    pauseMs: Math.max(0, options.pauseMs ?? 0),
    retries: Math.max(0, Math.floor(options.retries ?? 3)),
  };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** A step whose names were checked: identifiers only, never SQL. */
export interface CheckedStep {
  table: string;
  key?: string[];
  where?: string;
  set?: Array<[column: string, expression: string]>;
  select?: string[];
  batch?: CallbackStep['batch'];
}

/** Throws a one-line error naming the step and field when a name is not a plain identifier. */
export function checkStep(step: DataStep, index: number): CheckedStep {
  const where = `step ${index + 1}`;
  if (!step || typeof step !== 'object') throw new Error(`${where} is not a step object`);
  const name = (value: unknown, field: string, max = 64): string => {
    if (typeof value !== 'string' || value.length > max || !IDENTIFIER.test(value)) {
      throw new Error(`${where}: ${field} ${JSON.stringify(value)} is not a plain identifier (letters, digits, _ and $)`);
    }
    return value;
  };
  const parts = typeof step.table === 'string' ? step.table.split('.') : [step.table];
  if (parts.length > 2) throw new Error(`${where}: table ${JSON.stringify(step.table)} has more than a schema and a name`);
  for (const part of parts) name(part, 'table');
  const key = step.key === undefined ? undefined : (Array.isArray(step.key) ? step.key : [step.key]).map((k) => name(k, 'key'));
  if (key?.length === 0) throw new Error(`${where}: key is empty`);
  const sql = (value: unknown, field: string): string => {
    if (typeof value !== 'string' || value.trim() === '') throw new Error(`${where}: ${field} must be SQL text`);
    // MikroORM fills `?` with parameters: one inside an expression would take the place of a key value.
    if (value.includes('?')) throw new Error(`${where}: ${field} must not contain "?"`);
    return value;
  };
  const checked: CheckedStep = { table: step.table, key, where: step.where === undefined ? undefined : sql(step.where, 'where') };
  if ('set' in step && step.set !== undefined) {
    const set = Object.entries(step.set).map(([column, expression]): [string, string] => [
      name(column, 'set column'),
      sql(expression, `set.${column}`),
    ]);
    if (set.length === 0) throw new Error(`${where}: set is empty`);
    if (key && set.some(([column]) => key.includes(column))) throw new Error(`${where}: set changes a key column`);
    checked.set = set;
  } else if ('batch' in step && typeof step.batch === 'function') {
    checked.batch = step.batch;
    checked.select = step.select?.map((column) => name(column, 'select column'));
  } else throw new Error(`${where} needs either set (SQL expressions) or batch (a function)`);
  return checked;
}

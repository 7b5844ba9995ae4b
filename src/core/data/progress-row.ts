/** A step's state in `migrate_ui_progress`. */
export type StepStatus = 'running' | 'paused' | 'cancelled' | 'failed' | 'done';

/** One step's row of `migrate_ui_progress` (DESIGN §6). */
export interface ProgressRow {
  revision: string;
  /** From 1. */
  step: number;
  status: StepStatus;
  rowsDone: number;
  /** An estimate; null until the step has counted. */
  rowsTotal: number | null;
  /** The key of the last row done, as a tuple; null before the first batch. */
  lastKey: unknown[] | null;
  batchSize: number;
  /** Epoch milliseconds. */
  startedAt: number;
  /** Epoch milliseconds of the holder's last checkpoint or heartbeat. */
  updatedAt: number;
  /** `pid@host#token` of the process running it. */
  holder: string | null;
}

export interface RawRow {
  revision: string;
  step: number | string;
  status: string;
  rows_done: number | string;
  rows_total: number | string | null;
  last_key: string | null;
  batch_size: number | string;
  started_at: number | string;
  updated_at: number | string;
  holder: string | null;
}

export const COLUMNS = 'revision, step, status, rows_done, rows_total, last_key, batch_size, started_at, updated_at, holder';

/** A row as the driver returns it, parsed: numbers from bigint text, the key tuple from JSON. */
export function parse(raw: RawRow): ProgressRow {
  const num = (value: unknown) => Number(value ?? 0);
  return {
    revision: raw.revision,
    step: num(raw.step),
    status: raw.status as StepStatus,
    rowsDone: num(raw.rows_done),
    rowsTotal: raw.rows_total == null ? null : num(raw.rows_total),
    lastKey: raw.last_key ? (JSON.parse(raw.last_key) as unknown[]) : null,
    batchSize: num(raw.batch_size),
    startedAt: num(raw.started_at),
    updatedAt: num(raw.updated_at),
    holder: raw.holder,
  };
}

// The spec of DESIGN §5: a revision as a list of operations. Plain data: the form, the CLI and
// --from-entities all produce it; one engine renders it (file, SQL, entity edits) and reverses it.

export const COLUMN_TYPES = [
  'string',
  'text',
  'integer',
  'bigint',
  'boolean',
  'float',
  'double',
  'decimal',
  'json',
  'date',
  'datetime',
  'uuid',
  'blob',
] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** A default value: a literal, or raw SQL (`{ sql: 'current_timestamp' }`) where a literal cannot say it. */
export type ColumnDefault = string | number | boolean | null | { sql: string };

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable?: boolean;
  default?: ColumnDefault;
  primary?: boolean;
  /** An integer or bigint primary key the database numbers (MikroORM's default for a numeric key). createTable only. */
  autoincrement?: boolean;
  unique?: boolean;
  /** For `string`: the varchar length (255 when left out). */
  length?: number;
  /** For `decimal`. */
  precision?: number;
  scale?: number;
}

export type ReferentialAction = 'cascade' | 'restrict' | 'set null' | 'no action';

import type { Operation } from './ops/index.js';

export type { Operation, OperationName } from './ops/index.js';

export interface Spec {
  operations: Operation[];
}

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

/** A column's definition, as its schema (ops/spec-kit.ts) says it. */
export type ColumnSpec = SpecOf<typeof column>;
/** A default value: a literal, or raw SQL (`{ sql: 'current_timestamp' }`) where a literal cannot say it. */
export type ColumnDefault = Exclude<ColumnSpec['default'], undefined>;

export const REFERENTIAL_ACTIONS = ['cascade', 'restrict', 'set null', 'no action'] as const;
export type ReferentialAction = (typeof REFERENTIAL_ACTIONS)[number];

import type { Operation } from './ops/index.js';
import type { column, SpecOf } from './ops/spec-kit.js';

export type { Operation, OperationName } from './ops/index.js';

/** A spec file: its operations, and the JSON Schema an editor completes it from (`$schema`, not read otherwise). */
export interface Spec {
  $schema?: string;
  operations: Operation[];
}

import type { LiveColumn } from '../snapshot.js';
import type { ColumnSpec } from '../spec.js';

export const GIVE_NAME = 'give it a shorter "name"';
export const SHORTER = 'use shorter table or column names, or leave unique out and add a createIndex with a "name"';

/** MariaDB reads a decimal's default back with its scale (0 as 0.00): the file and the entity say it so, and `check` agrees. */
export function portableDefault(column: ColumnSpec): ColumnSpec {
  if (column.type !== 'decimal' || typeof column.default !== 'number' || column.scale === undefined) return column;
  return { ...column, default: { sql: column.default.toFixed(column.scale) } };
}

/** A column's type as a foreign key compares it (the spec's type; the database's where the spec has no name for it). */
export const keyType = (column: LiveColumn) => column.type ?? column.dbType;
/** Text types are one kind: SQLite reads a varchar back as text. */
export const keyKind = (column: LiveColumn) => (['string', 'text', 'uuid'].includes(keyType(column)) ? 'text' : keyType(column));

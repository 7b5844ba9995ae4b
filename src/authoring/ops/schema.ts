import type { LiveColumn, LiveTable, SchemaSnapshot } from '../snapshot.js';
import type { ColumnSpec } from '../spec.js';

/** Why a step cannot be resolved (an unknown table or column): validation reports these before anything is rendered. */
export class PlanError extends Error {
  constructor(
    readonly index: number,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** PostgreSQL cuts names at 63 bytes, MySQL refuses past 64: a portable name fits both. */
export const MAX_IDENTIFIER = 63;

/** MikroORM's naming of indexes and foreign keys (its naming strategy's indexName). */
export type IndexNamer = (table: string, columns: string[], type: 'index' | 'unique' | 'foreign') => string;

/** The spec's column from a live one; undefined when its type is one the spec cannot name. */
export function columnFromLive(column: LiveColumn): ColumnSpec | undefined {
  if (!column.type) return undefined;
  const spec: ColumnSpec = { name: column.name, type: column.type };
  if (column.nullable) spec.nullable = true;
  // A numbered key's default is the database's own counter (nextval on PostgreSQL): the key says it.
  if (column.default !== undefined && !column.autoincrement) spec.default = column.default;
  if (column.primary) spec.primary = true;
  if (column.autoincrement) spec.autoincrement = true;
  if (column.type === 'string' && column.length && column.length !== 255) spec.length = column.length;
  if (column.type === 'decimal') Object.assign(spec, { precision: column.precision, scale: column.scale });
  return spec;
}

export function liveFromColumn(column: ColumnSpec): LiveColumn {
  return {
    name: column.name,
    type: column.type,
    dbType: column.type,
    nullable: Boolean(column.nullable),
    default: column.default,
    primary: Boolean(column.primary),
    autoincrement: column.autoincrement,
    length: column.length,
    precision: column.precision,
    scale: column.scale,
  };
}

/**
 * The schema as a revision changes it, operation by operation: the planner resolves each step against what the steps
 * before left, and the form offers its choices from it.
 */
export class WorkingSchema {
  readonly tables: Map<string, LiveTable>;

  constructor(snapshot: SchemaSnapshot) {
    this.tables = new Map([...snapshot.tables].map(([name, t]) => [name, structuredClone(t)]));
  }

  table(index: number, name: string, field = 'table'): LiveTable {
    const table = this.tables.get(name);
    if (!table) throw new PlanError(index, field, `table ${name} does not exist`);
    return table;
  }

  column(index: number, table: string, name: string, field = 'column'): LiveColumn {
    const column = this.table(index, table).columns.find((c) => c.name === name);
    if (!column) throw new PlanError(index, field, `table ${table} has no column ${name}`);
    return column;
  }

  spec(index: number, table: string, name: string, field = 'column'): ColumnSpec {
    const live = this.column(index, table, name, field);
    if (live.madeBy)
      throw new PlanError(
        index,
        field,
        `${table}.${name} comes from the pending revision ${live.madeBy}, written by hand: its whole definition is known once it is applied; run up first`,
      );
    const spec = columnFromLive(live);
    if (!spec)
      throw new PlanError(
        index,
        field,
        `${table}.${name} is of type ${live.dbType}, which a generated revision cannot restore; use an sql operation`,
      );
    return spec;
  }
}

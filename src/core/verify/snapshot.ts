import { OWN_TABLES } from '../check.js';
import type { Database } from '../database.js';
import { orm } from '../orm/index.js';
import type { LiveSchema } from '../orm/port.js';

/** One column as a schema proof compares it. */
export interface ColumnShape {
  type: string;
  nullable: boolean;
  default: string | null;
  primary: boolean;
  autoincrement: boolean;
  unsigned: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  enumItems?: string[];
}

export interface IndexShape {
  columns: string[];
  unique: boolean;
  primary: boolean;
  expression?: string;
}

export interface ForeignKeyShape {
  columns: string[];
  references: string;
  referencedColumns: string[];
  onUpdate?: string;
  onDelete?: string;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  indexes: Record<string, IndexShape>;
  foreignKeys: Record<string, ForeignKeyShape>;
  checks: Record<string, string>;
}

/** The schema of a database as plain data, tables by name: what `verify` compares and `diff` shows. */
export type SchemaSnapshot = Record<string, TableShape>;

/** The snapshot of MikroORM's introspection of `schema`, without our side tables, its migrations table and `skip`. */
export function snapshotOf(schema: LiveSchema, skip: (table: string) => boolean): SchemaSnapshot {
  const snapshot: SchemaSnapshot = {};
  for (const table of schema.getTables()) {
    const name = table.schema && table.schema !== 'public' ? `${table.schema}.${table.name}` : table.name;
    if (skip(table.name)) continue;
    const shape: TableShape = { columns: {}, indexes: {}, foreignKeys: {}, checks: {} };
    for (const c of table.getColumns()) {
      shape.columns[c.name] = clean({
        type: c.type.toLowerCase(),
        nullable: Boolean(c.nullable),
        default: c.default ?? null,
        primary: Boolean(c.primary),
        autoincrement: Boolean(c.autoincrement),
        unsigned: Boolean(c.unsigned),
        length: c.length ?? undefined,
        precision: c.precision ?? undefined,
        scale: c.scale ?? undefined,
        enumItems: c.enumItems?.length ? [...c.enumItems] : undefined,
      });
    }
    for (const i of table.getIndexes()) {
      shape.indexes[i.keyName] = clean({
        columns: [...i.columnNames],
        unique: Boolean(i.unique),
        primary: Boolean(i.primary),
        expression: i.expression ?? undefined,
      });
    }
    for (const fk of Object.values(table.getForeignKeys())) {
      shape.foreignKeys[fk.constraintName] = clean({
        columns: [...fk.columnNames],
        references: fk.referencedTableName,
        referencedColumns: [...fk.referencedColumnNames],
        onUpdate: fk.updateRule?.toLowerCase(),
        onDelete: fk.deleteRule?.toLowerCase(),
      });
    }
    for (const check of table.getChecks()) shape.checks[check.name] = String(check.definition ?? check.expression);
    snapshot[name] = shape;
  }
  return snapshot;
}

/** The live schema of `db` as a snapshot (MikroORM's introspection; our tables left out). */
export async function takeSnapshot(db: Database): Promise<SchemaSnapshot> {
  const schema = await orm.readSchema(db.driver, db.mikroConfig, db.schema);
  return snapshotOf(schema, skipper(db));
}

/** Whether a table is ours, MikroORM's migrations table, or one the config's schemaGenerator.skipTables names. */
export function skipper(db: Database): (table: string) => boolean {
  const patterns = [...OWN_TABLES, db.config.migrationsTable, ...(db.config.options.schemaGenerator?.skipTables ?? [])];
  return (name) => patterns.some((p) => (typeof p === 'string' ? p.toLowerCase() === name.toLowerCase() : p.test(name)));
}

/** One difference between two snapshots, in the words of a schema: what kind of thing, where, and how. */
export interface SchemaChange {
  change: 'added' | 'removed' | 'changed';
  kind: 'table' | 'column' | 'index' | 'foreignKey' | 'check';
  table: string;
  /** The column, index, foreign key or check (absent for a table). */
  name?: string;
  /** For `changed`: each differing property, before and after. */
  properties?: Record<string, { from: unknown; to: unknown }>;
}

const PARTS = [
  ['columns', 'column'],
  ['indexes', 'index'],
  ['foreignKeys', 'foreignKey'],
  ['checks', 'check'],
] as const;

/** What it takes to go from `from` to `to`: tables, then each table's columns, indexes, foreign keys and checks. */
export function compareSnapshots(from: SchemaSnapshot, to: SchemaSnapshot): SchemaChange[] {
  const changes: SchemaChange[] = [];
  for (const table of sortedKeys(from, to)) {
    const a = from[table];
    const b = to[table];
    if (!a) changes.push({ change: 'added', kind: 'table', table });
    else if (!b) changes.push({ change: 'removed', kind: 'table', table });
    else
      for (const [part, kind] of PARTS) {
        const left = a[part] as Record<string, unknown>;
        const right = b[part] as Record<string, unknown>;
        for (const name of sortedKeys(left, right)) {
          if (!(name in left)) changes.push({ change: 'added', kind, table, name });
          else if (!(name in right)) changes.push({ change: 'removed', kind, table, name });
          else {
            const properties = changedProperties(left[name], right[name]);
            if (properties) changes.push({ change: 'changed', kind, table, name, properties });
          }
        }
      }
  }
  return changes;
}

function changedProperties(from: unknown, to: unknown): Record<string, { from: unknown; to: unknown }> | undefined {
  if (typeof from !== 'object' || typeof to !== 'object' || !from || !to)
    return JSON.stringify(from) === JSON.stringify(to) ? undefined : { definition: { from, to } };
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const a = from as Record<string, unknown>;
  const b = to as Record<string, unknown>;
  for (const key of sortedKeys(a, b)) if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out[key] = { from: a[key] ?? null, to: b[key] ?? null };
  return Object.keys(out).length ? out : undefined;
}

function sortedKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function clean<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

/** A change as one line: `+ column features.slug varchar(255) null`, `~ index features.ix (unique: false → true)`. */
export function describeChange(change: SchemaChange, to?: SchemaSnapshot, from?: SchemaSnapshot): string {
  const sign = { added: '+', removed: '-', changed: '~' }[change.change];
  const kind = change.kind === 'foreignKey' ? 'foreign key' : change.kind;
  const where = change.name ? `${change.table}.${change.name}` : change.table;
  let detail = '';
  if (change.properties)
    detail = ` (${Object.entries(change.properties)
      .map(([k, v]) => `${k}: ${JSON.stringify(v.from)} → ${JSON.stringify(v.to)}`)
      .join(', ')})`;
  else if (change.kind === 'column' && change.name) {
    const column = (change.change === 'added' ? to : from)?.[change.table]?.columns[change.name];
    if (column) detail = ` ${column.type}${column.nullable ? ' null' : ' not null'}${column.default !== null ? ` default ${column.default}` : ''}`;
  }
  return `${sign} ${kind} ${where}${detail}`;
}

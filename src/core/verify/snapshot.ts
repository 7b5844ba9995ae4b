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

/** The live schema of `db` as a snapshot (MikroORM's introspection; our tables left out); `tables`: only those. */
export async function takeSnapshot(db: Database, tables?: string[]): Promise<SchemaSnapshot> {
  if (tables?.length === 0) return {};
  const schema = await orm.readSchema(db.driver, db.mikroConfig, db.schema, tables);
  return snapshotOf(schema, skipper(db));
}

/**
 * The schema's definition as the catalog holds it, a text per table (our tables left out; '' for what belongs to no
 * table, PostgreSQL's enum types), or undefined where there is no such query. One query against a snapshot's
 * dozens: a table whose text is unchanged has an unchanged shape, so a proof introspects only the tables whose
 * text changed. A text holds more than a shape (comments, collations): a difference there only costs introspection.
 */
export async function schemaPrint(db: Database): Promise<Map<string, string> | undefined> {
  const sql = PRINT_SQL[db.dialect];
  if (!sql) return undefined;
  let rows: { t?: string; T?: string; x?: string; X?: string }[];
  try {
    rows = db.dialect === 'postgresql' ? await queryPrepared(db, 'migrate_ui_schema_print', sql) : await db.query(sql);
  } catch {
    // A catalog this query does not know: whole snapshots decide.
    return undefined;
  }
  const skip = skipper(db);
  return textsOf(
    rows.map((row) => ({ t: String(row.t ?? row.T ?? ''), x: String(row.x ?? row.X) })),
    (table) => Boolean(table) && skip(table),
  );
}

/** The catalog rows as a text per table: its lines sorted, tables `skip` names left out. */
export function textsOf(rows: Array<{ t: string; x: string }>, skip: (table: string) => boolean): Map<string, string> {
  const lines = new Map<string, string[]>();
  for (const { t, x } of rows) {
    if (skip(t)) continue;
    const kept = lines.get(t);
    if (kept) kept.push(x);
    else lines.set(t, [x]);
  }
  return new Map([...lines].map(([table, text]) => [table, text.sort().join('\n')]));
}

/**
 * PostgreSQL: `sql` as a statement prepared once a connection, its plan kept (a proof asks the catalog text three
 * times a revision, and planning it cost about as much as running it). A connection without it (a new one of the
 * pool, a pooler that keeps none) runs `sql` itself and prepares it for the next time. `args`: $1, $2… as literals.
 */
export async function queryPrepared<T>(db: Database, name: string, sql: string, args: PgArray[] = []): Promise<T[]> {
  const literals = args.map(pgArray);
  try {
    return await db.query<T>(`execute ${name}${literals.length ? `(${literals.join(', ')})` : ''}`);
  } catch {
    await db.run(`prepare ${name} as ${sql}`).catch(() => undefined);
    return db.query<T>(sql.replace(/\$(\d+)/g, (_, n: string) => literals[Number(n) - 1]));
  }
}

/** An array argument: text[] of any strings, or int8[]. */
export type PgArray = { text: string[] } | { int8: number[] };

/** An array as a PostgreSQL literal: strings as E'' strings (so backslashes and quotes stay theirs). */
function pgArray(array: PgArray): string {
  if ('int8' in array) return `array[${array.int8.map((n) => String(Math.trunc(n))).join(', ')}]::int8[]`;
  return `array[${array.text.map((v) => `E'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(', ')}]::text[]`;
}

/**
 * PostgreSQL's catalog text: a row per column, index and constraint of each relation (`t` its table, `o` the table's
 * oid, `i` and `s` an index's name and schema) and one per enum type (table ''). `oids`: an oid[] expression, the
 * relations' rows only for those (every enum's still; see catalog-log.ts), each catalog read by its index on them.
 */
export function pgPrintSql(oids?: string): string {
  const only = (column: string) => (oids ? ` and ${column} = any(${oids})` : '');
  // Indexes straight from pg_index (the rows and text of the pg_indexes view, a third less time without its joins).
  // Only relations made after initdb (oid ≥ 16384, FirstNormalObjectId, where the oid counter also wraps to): the
  // catalogs' thousands of columns are then skipped by the index on attrelid instead of read and filtered.
  return `select c.relname as t, c.oid::int8 as o, null as i, null as s, 'column ' || n.nspname || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text
      || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-') || ' ' || a.attidentity::text || a.attgenerated::text as x
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attrelid >= 16384 and a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f')
      and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'${only('a.attrelid')}
    union all
    select c.relname, c.oid::int8, ic.relname, n.nspname, 'index ' || n.nspname || ' ' || ic.relname || ' ' || pg_get_indexdef(i.indexrelid)
    from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace join pg_class ic on ic.oid = i.indexrelid
    where i.indrelid >= 16384 and c.relkind in ('r', 'm', 'p') and n.nspname not in ('pg_catalog', 'information_schema')${only('i.indrelid')}
    union all
    select c.relname, c.oid::int8, null, null, 'constraint ' || n.nspname || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
    from pg_constraint co join pg_class c on c.oid = co.conrelid join pg_namespace n on n.oid = c.relnamespace
    where co.conrelid >= 16384 and n.nspname not in ('pg_catalog', 'information_schema')${only('co.conrelid')}
    union all
    select '', 0, null, null, 'enum ' || n.nspname || ' ' || t.typname || ' ' || string_agg(e.enumlabel, ',' order by e.enumsortorder)
    from pg_enum e join pg_type t on t.oid = e.enumtypid join pg_namespace n on n.oid = t.typnamespace group by n.nspname, t.typname`;
}

const PRINT_SQL: Partial<Record<Database['dialect'], string>> = {
  // SQLite's schema is the statements in sqlite_master, rewritten by each alter.
  sqlite: `select tbl_name as t, type || ' ' || name || ' ' || coalesce(sql, '') as x from sqlite_master where name not like 'sqlite\\_%' escape '\\'`,
  postgresql: pgPrintSql(),
  mariadb: `select table_name as t, concat_ws(' ', 'column', column_name, column_type, is_nullable, coalesce(column_default, '-'), extra,
      coalesce(generation_expression, '-'), collation_name) as x
    from information_schema.columns where table_schema = database()
    union all
    select table_name, concat_ws(' ', 'index', index_name, non_unique, seq_in_index, column_name, coalesce(sub_part, '-'), index_type)
    from information_schema.statistics where table_schema = database()
    union all
    -- By table_schema, not constraint_schema (always the same schema): MariaDB opens only that schema's tables for a
    -- table_schema filter, every schema's for the other (11 ms against 0.5 ms, a third of each proof's catalog time).
    select table_name, concat_ws(' ', 'constraint', constraint_name, constraint_type)
    from information_schema.table_constraints where table_schema = database()
    union all
    select table_name, concat_ws(' ', 'reference', constraint_name, column_name, ordinal_position, referenced_table_name, referenced_column_name)
    from information_schema.key_column_usage where table_schema = database() and referenced_table_name is not null
    union all
    select table_name, concat_ws(' ', 'rule', constraint_name, referenced_table_name, update_rule, delete_rule)
    from information_schema.referential_constraints where constraint_schema = database()
    union all
    select table_name, concat_ws(' ', 'check', constraint_name, check_clause)
    from information_schema.check_constraints where constraint_schema = database()`,
};

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

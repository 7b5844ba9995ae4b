import type { SqlDialect } from './column-sql.js';

// The statements the operations of a generated revision run, written per dialect. They are word for word what
// knex's schema and query builders (MikroORM 6's) wrote for the same calls, which test/authoring/op/ddl-parity
// compares: files applied before keep running the same SQL, and no knex is needed (MikroORM 7 has none).

/** A column of a table being made or changed: its type as the platform names it, and its default as SQL. */
export interface ColumnDefinition {
  name: string;
  type: string;
  nullable: boolean;
  default?: string;
}

/** A primary key column the database numbers (autoincrement, serial, auto_increment). */
export interface NumberedColumn {
  name: string;
  increments: 'integer' | 'bigint';
}

export interface TableDefinition {
  columns: Array<ColumnDefinition | NumberedColumn>;
  /** The primary key's columns, besides a numbered one. */
  primary?: string[];
  unique?: Array<{ name: string; columns: string[] }>;
  /** Foreign keys written into the statement (SQLite, which cannot add one to a table later without a rebuild). */
  foreignKeys?: ForeignKeyDefinition[];
}

export interface ForeignKeyDefinition {
  name: string;
  columns: string[];
  table: string;
  references: string[];
  onDelete?: string;
  onUpdate?: string;
}

/** An SQL expression written into a statement as it is (a default, a backfill's value). */
export interface SqlExpression {
  sql: string;
}

/** A condition of a WHERE: SQL as written, a column compared with a value, in a list, or between two. */
export type Condition =
  | string
  | readonly [column: string, operator: '=' | '>', value: unknown]
  | readonly [column: string, operator: 'in', values: readonly unknown[]]
  | readonly [column: string, operator: 'between', range: readonly [unknown, unknown]];

export interface SelectQuery {
  /** Columns, `name as alias` where the result names it otherwise. */
  columns: string[];
  from: string;
  join?: { table: string; on: Array<[string, string]> };
  where?: Condition[];
  orderBy?: string;
  limit?: number;
}

/** A name quoted as the dialect quotes it; `schema.table` is two names. */
export function quote(dialect: SqlDialect, name: string): string {
  const alias = name.toLowerCase().indexOf(' as ');
  if (alias >= 0) return `${quote(dialect, name.slice(0, alias))} as ${quotePart(dialect, name.slice(alias + 4).trim())}`;
  return name
    .split('.')
    .map((part) => quotePart(dialect, part.trim()))
    .join('.');
}

function quotePart(dialect: SqlDialect, name: string): string {
  if (name === '*') return name;
  return dialect === 'postgresql' ? `"${name.replace(/"/g, '""')}"` : `\`${name.replace(/`/g, '``')}\``;
}

const list = (dialect: SqlDialect, names: readonly string[]) => names.map((n) => quote(dialect, n)).join(', ');

/** A value as an SQL literal: strings escaped the dialect's way, dates in local time, buffers as hex. */
export function literal(dialect: SqlDialect, value: unknown): string {
  if (value === undefined || value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return stringLiteral(dialect, localTime(value));
  if (Buffer.isBuffer(value)) return `X'${value.toString('hex')}'`;
  if (typeof value === 'object') return JSON.stringify(value);
  return stringLiteral(dialect, String(value));
}

const MYSQL_ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\x1a': '\\Z',
  '"': '\\"',
  "'": "\\'",
  '\\': '\\\\',
};

function stringLiteral(dialect: SqlDialect, value: string): string {
  // MySQL reads backslash escapes in strings; PostgreSQL only in E'' strings; SQLite never.
  if (dialect === 'mysql') return `'${value.replace(/[\0\b\t\n\r\x1a"'\\]/g, (c) => MYSQL_ESCAPES[c])}'`;
  const doubled = `'${value.replace(/'/g, "''")}'`;
  if (dialect === 'sqlite' || !value.includes('\\')) return doubled;
  return `E${doubled.replace(/\\/g, '\\\\')}`;
}

function localTime(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** The column as CREATE TABLE and ADD COLUMN write it: name, type, null or not null, default. */
export function columnDefinition(dialect: SqlDialect, column: ColumnDefinition): string {
  const value = column.default === undefined ? '' : ` default ${column.default}`;
  return `${quote(dialect, column.name)} ${column.type} ${column.nullable ? 'null' : 'not null'}${value}`;
}

function numberedColumn(dialect: SqlDialect, column: NumberedColumn, primaryKey: boolean): string {
  const name = quote(dialect, column.name);
  const key = primaryKey ? ' primary key' : '';
  if (dialect === 'sqlite') return `${name} integer not null primary key autoincrement`;
  if (dialect === 'postgresql') return `${name} ${column.increments === 'bigint' ? 'bigserial' : 'serial'}${key}`;
  return `${name} ${column.increments === 'bigint' ? 'bigint' : 'int'} unsigned not null auto_increment${key}`;
}

/**
 * CREATE TABLE, then its unique indexes. A numbered column is the primary key; given other primary key columns as
 * well, each database gets what knex made of it: SQLite a unique constraint on them beside an integer numbered
 * column, PostgreSQL a primary key of them alone, MySQL one of them and an integer numbered column (made
 * auto_increment again after).
 */
export function createTable(dialect: SqlDialect, table: string, definition: TableDefinition): string[] {
  const primary = definition.primary ?? [];
  const numbered = definition.columns.filter((c): c is NumberedColumn => 'increments' in c);
  const parts = definition.columns.map((c) => ('increments' in c ? numberedColumn(dialect, c, primary.length === 0) : columnDefinition(dialect, c)));
  const after: string[] = [];
  if (primary.length > 0 && dialect === 'sqlite') {
    parts.push(`${numbered.some((c) => c.increments === 'integer') ? 'unique' : 'primary key'} (${list(dialect, primary)})`);
  } else if (primary.length > 0 && dialect === 'postgresql') {
    parts.push(`constraint ${quote(dialect, `${table}_pkey`)} primary key (${list(dialect, primary)})`);
  } else if (primary.length > 0) {
    // knex looked for the integer ones only (a bigint one it did not recognise).
    const integers = numbered.filter((c) => c.increments === 'integer').map((c) => c.name);
    const key = [...primary];
    for (const name of integers) if (!key.includes(name)) key.unshift(name);
    parts.push(`primary key (${list(dialect, key)})`);
    if (integers.length > 0)
      after.push(`alter table ${quote(dialect, table)} modify column ${list(dialect, integers)} int unsigned not null auto_increment`);
  }
  for (const key of definition.foreignKeys ?? []) parts.push(`constraint ${quote(dialect, key.name)} ${foreignKeyClause(dialect, key)}`);
  const unique = (definition.unique ?? []).map((u) => createIndex(dialect, table, u.columns, { name: u.name, unique: true }));
  return [`create table ${quote(dialect, table)} (${parts.join(', ')})`, ...after, ...unique];
}

export function dropTable(dialect: SqlDialect, table: string): string {
  return `drop table ${quote(dialect, table)}`;
}

export function renameTable(dialect: SqlDialect, from: string, to: string): string {
  if (dialect === 'mysql') return `rename table ${quote(dialect, from)} to ${quote(dialect, to)}`;
  return `alter table ${quote(dialect, from)} rename to ${quote(dialect, to)}`;
}

export function addColumn(dialect: SqlDialect, table: string, column: ColumnDefinition): string {
  return `alter table ${quote(dialect, table)} add ${dialect === 'mysql' ? '' : 'column '}${columnDefinition(dialect, column)}`;
}

export function dropColumn(dialect: SqlDialect, table: string, column: string): string {
  return `alter table ${quote(dialect, table)} drop ${dialect === 'mysql' ? '' : 'column '}${quote(dialect, column)}`;
}

export function renameColumn(dialect: SqlDialect, table: string, from: string, to: string): string {
  // PostgreSQL's short form (COLUMN is optional there), as knex wrote it; the others spell it out.
  const column = dialect === 'postgresql' ? '' : 'column ';
  return `alter table ${quote(dialect, table)} rename ${column}${quote(dialect, from)} to ${quote(dialect, to)}`;
}

/**
 * Gives a column this whole definition. MySQL: one MODIFY. PostgreSQL: the type (through a cast; a uuid through
 * text, its default dropped first as the cast would break it), the default when there is one, the nullability.
 * SQLite has no such statement (the table is rebuilt).
 */
export function alterColumn(dialect: SqlDialect, table: string, column: ColumnDefinition): string[] {
  if (dialect === 'mysql') return [`alter table ${quote(dialect, table)} modify ${columnDefinition(dialect, column)}`];
  if (dialect === 'sqlite') throw new Error('SQLite cannot alter a column: the table is rebuilt');
  const alter = `alter table ${quote(dialect, table)} alter column ${quote(dialect, column.name)}`;
  const name = quote(dialect, column.name);
  const statements =
    column.type === 'uuid'
      ? [`${alter} drop default`, `${alter} type uuid using (${name}::text::uuid)`]
      : [`${alter} type ${column.type} using (${name}::${column.type})`];
  if (column.default !== undefined) statements.push(`${alter} set default ${column.default}`);
  statements.push(`${alter} ${column.nullable ? 'drop' : 'set'} not null`);
  return statements;
}

/** An index, or a unique one (PostgreSQL: a unique constraint; MySQL: a unique key). */
export function createIndex(dialect: SqlDialect, table: string, columns: string[], options: { name: string; unique?: boolean }): string {
  const name = quote(dialect, options.name);
  if (dialect === 'mysql')
    return `alter table ${quote(dialect, table)} add ${options.unique ? 'unique' : 'index'} ${name}(${list(dialect, columns)})`;
  if (dialect === 'postgresql' && options.unique)
    return `alter table ${quote(dialect, table)} add constraint ${name} unique (${list(dialect, columns)})`;
  return `create ${options.unique ? 'unique ' : ''}index ${name} on ${quote(dialect, table)} (${list(dialect, columns)})`;
}

export function dropIndex(dialect: SqlDialect, table: string, name: string, options: { unique?: boolean } = {}): string {
  if (dialect === 'mysql') return `alter table ${quote(dialect, table)} drop index ${quote(dialect, name)}`;
  if (dialect === 'postgresql' && options.unique) return dropConstraint(dialect, table, name);
  return `drop index ${quote(dialect, name)}`;
}

/** Renames an index (MySQL, PostgreSQL; SQLite has no such statement). */
export function renameIndex(dialect: SqlDialect, table: string, from: string, to: string): string {
  if (dialect === 'mysql') return `alter table ${quote(dialect, table)} rename index ${quote(dialect, from)} to ${quote(dialect, to)}`;
  return `alter index ${quote(dialect, from)} rename to ${quote(dialect, to)}`;
}

export function addForeignKey(dialect: SqlDialect, table: string, key: ForeignKeyDefinition): string {
  return `alter table ${quote(dialect, table)} add constraint ${quote(dialect, key.name)} ${foreignKeyClause(dialect, key)}`;
}

/** `foreign key (…) references t (…)` and its rules, as ADD CONSTRAINT and CREATE TABLE write it. */
function foreignKeyClause(dialect: SqlDialect, key: ForeignKeyDefinition): string {
  const onUpdate = key.onUpdate ? ` on update ${key.onUpdate}` : '';
  const onDelete = key.onDelete ? ` on delete ${key.onDelete}` : '';
  return `foreign key (${list(dialect, key.columns)}) references ${quote(dialect, key.table)} (${list(dialect, key.references)})${onUpdate}${onDelete}`;
}

export function dropForeignKey(dialect: SqlDialect, table: string, name: string): string {
  if (dialect === 'mysql') return `alter table ${quote(dialect, table)} drop foreign key ${quote(dialect, name)}`;
  return dropConstraint(dialect, table, name);
}

/** Renames a constraint (PostgreSQL). */
export function renameConstraint(dialect: SqlDialect, table: string, from: string, to: string): string {
  return `alter table ${quote(dialect, table)} rename constraint ${quote(dialect, from)} to ${quote(dialect, to)}`;
}

export function addCheck(dialect: SqlDialect, table: string, name: string, expression: string): string {
  return `alter table ${quote(dialect, table)} add constraint ${quote(dialect, name)} check (${expression})`;
}

export function dropConstraint(dialect: SqlDialect, table: string, name: string): string {
  return `alter table ${quote(dialect, table)} drop constraint ${quote(dialect, name)}`;
}

function where(dialect: SqlDialect, conditions: readonly Condition[] = []): string {
  if (conditions.length === 0) return '';
  const sql = conditions.map((condition) => {
    if (typeof condition === 'string') return condition;
    const [column, operator, value] = condition;
    if (operator === 'in') return `${quote(dialect, column)} in (${(value as unknown[]).map((v) => literal(dialect, v)).join(', ')})`;
    if (operator === 'between') {
      const [low, high] = value as readonly [unknown, unknown];
      return `${quote(dialect, column)} between ${literal(dialect, low)} and ${literal(dialect, high)}`;
    }
    return `${quote(dialect, column)} ${operator} ${literal(dialect, value)}`;
  });
  return ` where ${sql.join(' and ')}`;
}

export function select(dialect: SqlDialect, query: SelectQuery): string {
  const join = query.join
    ? ` inner join ${quote(dialect, query.join.table)} on ${query.join.on.map(([a, b]) => `${quote(dialect, a)} = ${quote(dialect, b)}`).join(' and ')}`
    : '';
  const order = query.orderBy ? ` order by ${quote(dialect, query.orderBy)} asc` : '';
  const limit = query.limit === undefined ? '' : ` limit ${query.limit}`;
  return `select ${list(dialect, query.columns)} from ${quote(dialect, query.from)}${join}${where(dialect, query.where)}${order}${limit}`;
}

/** An UPDATE: each column set to a value (a literal) or an expression (`{ sql }`, as written). */
export function update(dialect: SqlDialect, table: string, set: Record<string, unknown>, conditions?: Condition[]): string {
  const assignments = Object.entries(set).map(([column, value]) => {
    const sql = isExpression(value) ? value.sql : literal(dialect, value);
    return `${quote(dialect, column)} = ${sql}`;
  });
  return `update ${quote(dialect, table)} set ${assignments.join(', ')}${where(dialect, conditions)}`;
}

function isExpression(value: unknown): value is SqlExpression {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && !Buffer.isBuffer(value) && 'sql' in value;
}

// SQL of the same shape as a migrate-ui operation call (`op.dropColumn('features', 'slug')`), so the static lint of a
// file migrate-ui wrote runs the same rules as SQL does. Only the shape counts: the SQL is never run. Each operation's
// entry (authoring/ops) says its calls' shapes with these; the lint is handed the table of them (core holds no operation).
import type { Dialect } from '../url.js';
import type { Literal } from './revision-file.js';

export type Fields = { [key: string]: Literal };

/** The SQL of the same shape as one `op.<method>(…)` call, for the static lint; undefined where the arguments are not known. */
export type LintShape = (args: Array<Literal | undefined>, sql: LintSql, dialect: Dialect) => string[] | undefined;

/** Each `op.<method>` a generated file may call, with its shape. */
export type LintShapes = ReadonlyMap<string, LintShape>;

const TYPES: Record<string, Record<'postgresql' | 'mysql' | 'sqlite', string>> = {
  text: { postgresql: 'text', mysql: 'text', sqlite: 'text' },
  integer: { postgresql: 'int', mysql: 'int', sqlite: 'integer' },
  bigint: { postgresql: 'bigint', mysql: 'bigint', sqlite: 'bigint' },
  boolean: { postgresql: 'boolean', mysql: 'tinyint(1)', sqlite: 'integer' },
  float: { postgresql: 'real', mysql: 'float', sqlite: 'real' },
  double: { postgresql: 'double precision', mysql: 'double', sqlite: 'double' },
  json: { postgresql: 'jsonb', mysql: 'json', sqlite: 'json' },
  date: { postgresql: 'date', mysql: 'date', sqlite: 'date' },
  datetime: { postgresql: 'timestamptz', mysql: 'datetime', sqlite: 'datetime' },
  uuid: { postgresql: 'uuid', mysql: 'varchar(36)', sqlite: 'text' },
  blob: { postgresql: 'bytea', mysql: 'blob', sqlite: 'blob' },
};

function isText(value: Literal | undefined): value is string {
  return typeof value === 'string';
}

/** Writes an operation's statements for one dialect, names quoted as that dialect quotes them (each operation's lint shape uses it). */
export class LintSql {
  readonly family: 'postgresql' | 'mysql' | 'sqlite';

  constructor(dialect: Dialect) {
    this.family = dialect === 'mariadb' ? 'mysql' : dialect;
  }

  isFields(value: Literal | undefined): value is Fields {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  quote(name: string): string {
    return this.family === 'postgresql' ? `"${name.replace(/"/g, '""')}"` : `\`${name.replace(/`/g, '``')}\``;
  }

  names(values: Literal | undefined): string | undefined {
    return Array.isArray(values) && values.every(isText) ? values.map((name) => this.quote(name)).join(', ') : undefined;
  }

  /** A column spec's type as MikroORM's platforms declare it, near enough to judge narrowing. */
  type(column: Fields): string {
    const type = String(column.type);
    if (type === 'string') return `varchar(${typeof column.length === 'number' ? column.length : 255})`;
    if (type === 'decimal') return `numeric(${Number(column.precision ?? 10)},${Number(column.scale ?? 0)})`;
    return TYPES[type]?.[this.family] ?? type;
  }

  /** `name type [not null] [default …]` of a column spec; only whether a default exists matters here. */
  column(column: Fields): string {
    const hasDefault = column.default !== undefined && column.default !== null;
    return `${this.quote(String(column.name))} ${this.type(column)}${column.nullable ? ' null' : ' not null'}${hasDefault ? ' default 0' : ''}`;
  }

  /** SQLite's table rebuild as migrate-ui's runtime writes it: a new table, the rows copied, the old one dropped, the new renamed. */
  rebuild(table: string): string[] {
    const copy = this.quote(`${table}__migrate_ui_new`);
    return [
      `create table ${copy} (${this.quote('id')} integer)`,
      `insert into ${copy} select * from ${this.quote(table)}`,
      `drop table ${this.quote(table)}`,
      `alter table ${copy} rename to ${this.quote(table)}`,
    ];
  }

  index(table: string, columns: string, options: Fields): string[] {
    const name = this.quote(isText(options.name) ? options.name : `${table}_index`);
    if (this.family === 'mysql') return [`alter table ${this.quote(table)} add ${options.unique ? 'unique' : 'index'} ${name}(${columns})`];
    // On PostgreSQL a unique index is made (by knex) as a unique constraint.
    if (this.family === 'postgresql' && options.unique) return [`alter table ${this.quote(table)} add constraint ${name} unique (${columns})`];
    return [`create ${options.unique ? 'unique ' : ''}index ${name} on ${this.quote(table)} (${columns})`];
  }

  alterColumn(table: string, column: Fields): string[] {
    if (this.family === 'sqlite') return this.rebuild(table);
    const name = this.quote(String(column.name));
    const alter = `alter table ${this.quote(table)}`;
    if (this.family === 'mysql') return [`${alter} modify ${this.column(column)}`];
    return [`${alter} alter column ${name} type ${this.type(column)}, alter column ${name} ${column.nullable ? 'drop' : 'set'} not null`];
  }
}

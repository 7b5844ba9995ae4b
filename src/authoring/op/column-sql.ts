import type { Platform } from '@mikro-orm/core';
import type { ColumnDefault, ColumnSpec, ColumnType } from '../spec.js';

/** The SQL dialect an operation renders for, from the platform of the migration's driver (MySQL and MariaDB alike). */
export type SqlDialect = 'sqlite' | 'postgresql' | 'mysql';

/**
 * The column type as MikroORM derives it from an entity property of the same type on this platform, so a
 * column made here and a property with that type agree (`check` is in sync): varchar(255), jsonb, tinyint(1)…
 */
export function columnType(
  platform: Platform,
  column: Pick<ColumnSpec, 'type' | 'length' | 'precision' | 'scale' | 'primary' | 'autoincrement'>,
): string {
  // Asked per column per dialect: a spec of thousands of columns has a few dozen kinds of them.
  const key = `${column.type} ${column.length} ${column.precision} ${column.scale} ${column.primary} ${column.autoincrement}`;
  const known = COLUMN_TYPES.get(platform) ?? new Map<string, string>();
  COLUMN_TYPES.set(platform, known);
  const type = known.get(key) ?? platformColumnType(platform, column);
  known.set(key, type);
  return type;
}

const COLUMN_TYPES = new WeakMap<Platform, Map<string, string>>();

function platformColumnType(
  platform: Platform,
  column: Pick<ColumnSpec, 'type' | 'length' | 'precision' | 'scale' | 'primary' | 'autoincrement'>,
): string {
  const mapped = platform.getMappedType(column.type);
  const options = {
    length: column.type === 'string' ? (column.length ?? 255) : column.length,
    precision: column.precision,
    scale: column.scale,
    autoincrement: column.autoincrement,
  };
  // MikroORM makes numeric primary keys unsigned where the database has unsigned (MySQL); its schema helper adds it.
  const unsigned = Boolean(column.primary) && INTEGERS.includes(column.type) && platform.supportsUnsigned();
  return `${mapped.getColumnType(options as never, platform)}${unsigned ? ' unsigned' : ''}`;
}

export const INTEGERS: ColumnType[] = ['integer', 'bigint'];

/** A default as SQL: booleans and numbers as they are, strings quoted (quotes doubled), `{ sql }` verbatim. */
export function defaultSql(value: ColumnDefault | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 'null';
  if (typeof value === 'object') return value.sql;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

/** The types a default literal of JavaScript type `kind` can belong to. */
export const DEFAULT_KINDS: Record<ColumnType, Array<'string' | 'number' | 'boolean'>> = {
  string: ['string'],
  text: ['string'],
  uuid: ['string'],
  integer: ['number'],
  bigint: ['number', 'string'],
  float: ['number'],
  double: ['number'],
  decimal: ['number', 'string'],
  boolean: ['boolean'],
  json: ['string'],
  date: ['string'],
  datetime: ['string'],
  blob: [],
};

/** A value every column of the type accepts, for a NOT NULL column restored without its data (down() of a drop). */
export const NEUTRAL_VALUES: Record<ColumnType, string | number | boolean> = {
  string: '',
  text: '',
  uuid: '00000000-0000-0000-0000-000000000000',
  integer: 0,
  bigint: 0,
  float: 0,
  double: 0,
  decimal: 0,
  boolean: false,
  json: '{}',
  date: '1970-01-01',
  datetime: '1970-01-01 00:00:00',
  blob: '',
};

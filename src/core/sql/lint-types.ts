// Whether a column's new type holds less than its old one: the narrowing-type lint rule.
import type { Dialect } from '../url.js';

type Family = 'integer' | 'decimal' | 'float' | 'string' | 'binary' | 'datetime' | 'date' | 'time' | 'uuid' | 'json' | 'other';

/** A declared type as far as narrowing goes: its family and how much it holds. */
interface TypeCapacity {
  family: Family;
  /** Bytes for integers and floats, characters or bytes for strings, digits for decimals, fractional digits for times. */
  size: number;
  /** Digits after the point, for decimals. */
  scale: number;
  unsigned: boolean;
}

const INTEGER_BYTES: Record<string, number> = {
  tinyint: 1,
  int1: 1,
  smallint: 2,
  int2: 2,
  smallserial: 2,
  serial2: 2,
  mediumint: 3,
  int: 4,
  integer: 4,
  int4: 4,
  serial: 4,
  serial4: 4,
  bigint: 8,
  int8: 8,
  bigserial: 8,
  serial8: 8,
};
const INTEGER_DIGITS: Record<number, number> = { 1: 3, 2: 5, 3: 7, 4: 10, 8: 19 };
const DECIMALS = new Set(['numeric', 'decimal', 'dec', 'number', 'fixed']);
const CHARACTERS = new Set(['char', 'character', 'nchar', 'bpchar', 'national character']);
const VARYING = new Set(['varchar', 'character varying', 'nvarchar', 'national character varying', 'varchar2', 'string']);
const MYSQL_TEXTS: Record<string, number> = { tinytext: 255, text: 65_535, mediumtext: 16_777_215, longtext: 4_294_967_295 };
const BLOBS: Record<string, number> = { tinyblob: 255, blob: 65_535, mediumblob: 16_777_215, longblob: 4_294_967_295 };
const TIMESTAMPS = new Set(['timestamp', 'timestamptz', 'datetime', 'timestamp with time zone', 'timestamp without time zone', 'datetime2']);
const TIMES = new Set(['time', 'timetz', 'time with time zone', 'time without time zone']);
const CONVERTED_FROM_TEXT = new Set<Family>(['integer', 'decimal', 'float', 'datetime', 'date', 'time', 'uuid', 'json']);

function isMysql(dialect: Dialect): boolean {
  return dialect === 'mysql' || dialect === 'mariadb';
}

/** Reads a type as written (`varchar(50)`, `int unsigned`, `timestamp(6) with time zone`, `numeric(10,2)`). */
function capacityOf(written: string, dialect: Dialect): TypeCapacity {
  const text = written.toLowerCase().replace(/\s+(character\s+set|charset|collate)\s+.*$/, '');
  const args = (/\(([^)]*)\)/.exec(text)?.[1] ?? '')
    .split(',')
    .map((a) => Number.parseInt(a, 10))
    .filter((n) => !Number.isNaN(n));
  const words = text
    .replace(/\([^)]*\)/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const unsigned = words.includes('unsigned');
  const base = words.filter((w) => w !== 'unsigned' && w !== 'signed' && w !== 'zerofill').join(' ');
  const of = (family: Family, size: number, scale = 0): TypeCapacity => ({ family, size, scale, unsigned });
  if (text.includes('[') || base.endsWith(' array')) return of('other', 0);
  if (INTEGER_BYTES[base] !== undefined) return of('integer', INTEGER_BYTES[base]);
  if (DECIMALS.has(base)) {
    if (args.length === 0) return isMysql(dialect) ? of('decimal', 10) : of('decimal', Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    return of('decimal', args[0], args[1] ?? 0);
  }
  if (base === 'float4') return of('float', 4);
  if (base === 'float8' || base === 'double' || base === 'double precision') return of('float', 8);
  if (base === 'real') return of('float', isMysql(dialect) || dialect === 'sqlite' ? 8 : 4);
  if (base === 'float') {
    if (args.length === 0) return of('float', isMysql(dialect) ? 4 : 8);
    return of('float', args.length === 1 && args[0] > 24 ? 8 : 4);
  }
  if (CHARACTERS.has(base)) return of('string', args[0] ?? 1);
  if (VARYING.has(base)) return of('string', args[0] ?? Number.POSITIVE_INFINITY);
  if (base === 'citext' || base === 'clob') return of('string', Number.POSITIVE_INFINITY);
  if (MYSQL_TEXTS[base] !== undefined) return of('string', isMysql(dialect) ? MYSQL_TEXTS[base] : Number.POSITIVE_INFINITY);
  if (base === 'binary') return of('binary', args[0] ?? 1);
  if (base === 'varbinary') return of('binary', args[0] ?? Number.POSITIVE_INFINITY);
  if (base === 'bytea') return of('binary', Number.POSITIVE_INFINITY);
  if (BLOBS[base] !== undefined) return of('binary', isMysql(dialect) ? BLOBS[base] : Number.POSITIVE_INFINITY);
  if (TIMESTAMPS.has(base)) return of('datetime', args[0] ?? (isMysql(dialect) ? 0 : 6));
  if (TIMES.has(base)) return of('time', args[0] ?? (isMysql(dialect) ? 0 : 6));
  if (base === 'date') return of('date', 0);
  if (base === 'uuid') return of('uuid', 36);
  if (base === 'json' || base === 'jsonb') return of('json', Number.POSITIVE_INFINITY);
  return of('other', 0);
}

function sameFamily(from: TypeCapacity, to: TypeCapacity): string | undefined {
  switch (to.family) {
    case 'integer':
      if (to.size < from.size || (to.size === from.size && to.unsigned !== from.unsigned)) return 'values outside the new range make it fail';
      return undefined;
    case 'decimal':
      return to.scale < from.scale || to.size - to.scale < from.size - from.scale
        ? 'values with more digits make it fail, or are rounded'
        : undefined;
    case 'float':
      return to.size < from.size ? 'values lose precision' : undefined;
    case 'string':
    case 'binary':
      return to.size < from.size ? `values longer than ${to.size} make it fail, or are cut` : undefined;
    case 'datetime':
    case 'time':
      return to.size < from.size ? 'fractions of a second are cut' : undefined;
    default:
      return undefined;
  }
}

function acrossFamilies(from: TypeCapacity, to: TypeCapacity): string | undefined {
  if (from.family === 'decimal' && to.family === 'integer') {
    const fits = from.scale === 0 && from.size <= (INTEGER_DIGITS[to.size] ?? 0) - 1;
    return fits ? undefined : 'fractions are rounded away, and values outside the new range make it fail';
  }
  if (from.family === 'float' && (to.family === 'integer' || to.family === 'decimal')) return 'values are rounded, and large ones make it fail';
  if (from.family === 'integer' && to.family === 'decimal' && to.size - to.scale < (INTEGER_DIGITS[from.size] ?? 0)) {
    return 'values with more digits make it fail';
  }
  if (from.family === 'datetime' && to.family === 'date') return 'the time of day is cut';
  if (from.family === 'datetime' && to.family === 'time') return 'the date is cut';
  if ((from.family === 'uuid' || from.family === 'json') && to.family === 'string' && to.size < from.size) {
    return `values longer than ${to.size} make it fail, or are cut`;
  }
  if (from.family === 'string' && CONVERTED_FROM_TEXT.has(to.family)) return 'values that do not convert make it fail';
  return undefined;
}

/** Why `to` holds less than `from` (one phrase), or undefined when it holds as much or the types are not comparable. */
export function narrowingOf(from: string, to: string, dialect: Dialect): string | undefined {
  const before = capacityOf(from, dialect);
  const after = capacityOf(to, dialect);
  if (before.family === 'other' || after.family === 'other') return undefined;
  return before.family === after.family ? sameFamily(before, after) : acrossFamilies(before, after);
}

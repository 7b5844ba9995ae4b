import type { Dialect } from '../url.js';
import type { Row } from './steps.js';

/** A condition with its parameters. */
export interface Condition {
  sql: string;
  params: unknown[];
}

/** Runs SQL somewhere (a batch's transaction, a migration's context); `?` placeholders. */
export interface SqlRunner {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Returns the rows the statement matched (on MySQL too: its client asks for found rows, not changed ones). */
  run(sql: string, params?: unknown[]): Promise<number>;
}

/** The database a backfill writes SQL for: its dialect and how it quotes a (checked) identifier. */
export interface SqlDialect {
  dialect: Dialect;
  quote(identifier: string): string;
}

/** The dialect of a MikroORM driver, from its class: MySQL and MariaDB take the same SQL here. */
export function dialectOfDriver(driver: { constructor: { name: string } }): Dialect {
  const name = driver.constructor.name;
  if (/postgre/i.test(name)) return 'postgresql';
  if (/mariadb/i.test(name)) return 'mariadb';
  if (/mysql/i.test(name)) return 'mysql';
  return 'sqlite';
}

/**
 * Rows strictly after `last` in key order: `k > ?` for one column; for several, the expanded form
 * (`k1 >= ? and (k1 > ? or (k1 = ? and …))`) that every database turns into an index range.
 */
export function after(keys: string[], last: unknown[]): Condition {
  return compare(keys, last, '>');
}

/** Rows up to and including `upper` in key order. */
export function upTo(keys: string[], upper: unknown[]): Condition {
  return compare(keys, upper, '<=');
}

function compare(keys: string[], values: unknown[], op: '>' | '<='): Condition {
  if (keys.length === 1) return { sql: `${keys[0]} ${op} ?`, params: [values[0]] };
  const strict = op === '>' ? '>' : '<';
  const inner = (i: number): Condition => {
    if (i === keys.length - 1) return { sql: `${keys[i]} ${op} ?`, params: [values[i]] };
    const rest = inner(i + 1);
    return { sql: `${keys[i]} ${strict} ? or (${keys[i]} = ? and (${rest.sql}))`, params: [values[i], values[i], ...rest.params] };
  };
  const body = inner(0);
  const bound = op === '>' ? '>=' : '<=';
  return { sql: `${keys[0]} ${bound} ? and (${body.sql})`, params: [values[0], ...body.params] };
}

/** Joins conditions with `and`, each in parentheses; empty when there are none. */
export function whereClause(conditions: Array<Condition | undefined>): Condition {
  const present = conditions.filter((c): c is Condition => c !== undefined && c.sql !== '');
  if (present.length === 0) return { sql: '', params: [] };
  return { sql: ` where ${present.map((c) => `(${c.sql})`).join(' and ')}`, params: present.flatMap((c) => c.params) };
}

/** The key of a row as a tuple, in key order. */
export function keyOf(row: Row, columns: string[]): unknown[] {
  return columns.map((column) => {
    if (!(column in row)) throw new Error(`the row has no key column ${column}`);
    return normalise(row[column]);
  });
}

/** A key value as it survives JSON (the checkpoint): bigints as text, dates as ISO text. */
function normalise(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return value;
}

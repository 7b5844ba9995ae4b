import type { Transaction } from './orm/port.js';
import type { Dialect } from './url.js';

/**
 * What listing reads of a database (the history, the lock's holder, the data migrations' progress): the project's full
 * Database has it, and so has the CLI's light reader, which answers `status` without MikroORM (src/core/light-reader.ts).
 */
export interface DatabaseReader {
  readonly dialect: Dialect;
  /** Where MikroORM keeps its migrations table, and so where our side tables are. */
  readonly schema: string | undefined;
  readonly config: { readonly migrationsDir: string; readonly migrationsTable: string };
  /** The database's name as MikroORM resolved it (MySQL's named lock is called after it). */
  readonly dbName: string;
  /** A table name, quoted, in the schema of MikroORM's migrations table. */
  table(name: string): string;
  quote(identifier: string): string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], trx?: Transaction): Promise<T[]>;
  tableExists(table: string, trx?: Transaction): Promise<boolean>;
}

/** Quotes an identifier for `dialect`. */
export function quoteIdentifier(dialect: Dialect, identifier: string): string {
  return dialect === 'postgresql' || dialect === 'sqlite' ? `"${identifier.replace(/"/g, '""')}"` : `\`${identifier.replace(/`/g, '``')}\``;
}

/** A table name, quoted, in `schema` when there is one. */
export function qualifiedTable(dialect: Dialect, schema: string | undefined, name: string): string {
  return schema ? `${quoteIdentifier(dialect, schema)}.${quoteIdentifier(dialect, name)}` : quoteIdentifier(dialect, name);
}

/** Whether `table` exists in the schema of MikroORM's table, asked through `reader`. */
export async function tableExistsIn(reader: DatabaseReader, table: string, trx?: Transaction): Promise<boolean> {
  const sql = {
    sqlite: `select name from sqlite_master where type = 'table' and name = ?`,
    // The catalogue itself: information_schema checks privileges on every table of every schema (slow in a large fleet).
    postgresql: `select c.relname from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace where n.nspname = coalesce(?, current_schema()) and c.relname = ? and c.relkind in ('r', 'p', 'v', 'm', 'f')`,
    mysql: `select table_name from information_schema.tables where table_schema = database() and table_name = ?`,
    mariadb: `select table_name from information_schema.tables where table_schema = database() and table_name = ?`,
  }[reader.dialect];
  const params = reader.dialect === 'postgresql' ? [reader.schema ?? null, table] : [table];
  return (await reader.query(sql, params, trx)).length > 0;
}

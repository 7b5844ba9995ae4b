// What both implementations of the port do alike, each with its own major's packages.
import type { ExceptionConverter } from '@mikro-orm/core';
import { driverClass, type MikroOptions } from '../config.js';
import { mikroOrm } from '../modules.js';
import type { Dialect } from '../url.js';
import type { DatabaseErrorKind } from './port.js';

type Core = typeof import('@mikro-orm/core');

/** Where each client's exception converter lives on a major (MikroORM 6: its driver packages; 7: `@mikro-orm/sql`). */
export interface ConverterPackages {
  SqliteExceptionConverter: `@mikro-orm/${string}`;
  PostgreSqlExceptionConverter: `@mikro-orm/${string}`;
  MySqlExceptionConverter: `@mikro-orm/${string}`;
}

/**
 * What a database error is, in MikroORM's typed exceptions: one MikroORM already converted as it is, a client's own
 * (sqlite3 or better-sqlite3, pg, mysql2 or mariadb) through the exception converter of its platform, found by the
 * shape the client gives errors (and given a copy: PostgreSQL's appends the detail to the message it converts).
 * `poolTimeout` knows the pool's own "no connection came" error, which no converter does.
 */
export function errorKindBy(
  packages: ConverterPackages,
  poolTimeout: (error: unknown) => boolean,
): (error: unknown) => DatabaseErrorKind | undefined {
  const converters = new Map<string, ExceptionConverter | undefined>();
  /** A converter; undefined where its package is not installed (the error is then not its client's). */
  const load = (name: keyof ConverterPackages): ExceptionConverter | undefined => {
    if (!converters.has(name)) {
      try {
        const Converter = mikroOrm<Record<string, new () => ExceptionConverter>>(packages[name])[name];
        converters.set(name, Converter ? new Converter() : undefined);
      } catch {
        converters.set(name, undefined);
      }
    }
    return converters.get(name);
  };
  const converterOf = (error: Record<string, unknown>): ExceptionConverter | undefined => {
    const code = String(error.code ?? '');
    if (code.startsWith('SQLITE_')) return load('SqliteExceptionConverter');
    // pg's DatabaseError: a SQLSTATE code and a severity.
    if (error.severity !== undefined && /^[0-9A-Z]{5}$/.test(code)) return load('PostgreSqlExceptionConverter');
    // mysql2's and the mariadb connector's errors: a server error number and a SQLSTATE.
    if (typeof error.errno === 'number' && error.sqlState !== undefined) return load('MySqlExceptionConverter');
    return undefined;
  };
  return (error) => {
    if (poolTimeout(error)) return 'pool-timeout';
    const core = mikroOrm<Core>('@mikro-orm/core');
    let converted: Error | undefined;
    if (error instanceof core.DriverException) converted = error;
    else if (error instanceof Error)
      converted = converterOf(error as unknown as Record<string, unknown>)?.convertException(Object.create(error) as Error);
    if (!converted) return undefined;
    if (converted instanceof core.UniqueConstraintViolationException) return 'unique-violation';
    if (converted instanceof core.LockWaitTimeoutException) return 'lock-wait-timeout';
    if (converted instanceof core.TableNotFoundException) return 'table-not-found';
    return 'other';
  };
}

/**
 * The project's options for a driver of `dialect` that never connects (a preview's recorder for a database nobody is
 * connected to): its driver class, no address, no credentials, none of the project's driver options. Undefined where
 * the dialect's driver package is not installed.
 */
export function unconnectedOptions(dialect: Dialect, options: MikroOptions): MikroOptions | undefined {
  const driver = driverClass(dialect);
  if (!driver) return undefined;
  const connection = { driver, dbName: 'preview', clientUrl: undefined, host: undefined, port: undefined, user: undefined, password: undefined };
  return { ...options, ...connection, driverOptions: undefined } as MikroOptions;
}

/** The database client's own connect timeout option (pg's, mysql2's and the mariadb connector's; none for SQLite). */
export function connectTimeoutOption(dialect: Dialect, ms: number): Record<string, number> {
  if (dialect === 'postgresql') return { connectionTimeoutMillis: ms };
  return dialect === 'sqlite' ? {} : { connectTimeout: ms };
}

/** The options MikroORM's connection (6 and 7 alike) builds for its client: `getConnectionOptions()`, URL and defaults resolved. */
export function connectionClientOptions(driver: unknown): Record<string, unknown> {
  const connection = (driver as { getConnection(): { getConnectionOptions(): Record<string, unknown> } }).getConnection();
  return { ...connection.getConnectionOptions() };
}

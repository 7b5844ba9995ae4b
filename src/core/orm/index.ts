import { mikroOrmMajor } from '../modules.js';
import type { OrmPort } from './port.js';
import { v6 } from './v6/index.js';
import { v7 } from './v7/index.js';

export type * from './port.js';

let chosen: OrmPort | undefined;

/**
 * The implementation of the port for the @mikro-orm/core that loads, chosen on first use (after the CLI pinned
 * which copy that is). Neither implementation loads MikroORM when imported.
 */
function implementation(): OrmPort {
  if (!chosen) {
    let major = 6;
    try {
      major = mikroOrmMajor();
    } catch {
      // No MikroORM at all: the command fails later, saying so.
    }
    chosen = major >= 7 ? v7 : v6;
  }
  return chosen;
}

/** The implementation of the port for the installed MikroORM (6 or 7). */
export const orm: OrmPort = new Proxy({} as OrmPort, {
  get: (_, key) => implementation()[key as keyof OrmPort],
});

// What a database error means, for every caller: MikroORM's exception converter first (through the port, so each
// major supplies its own), then what its converters leave as a plain DriverException (timeouts, a lost connection).

type ErrorFields = { code?: unknown; errno?: unknown; sqlState?: unknown; name?: unknown; message?: unknown; syscall?: unknown; path?: unknown };

const fields = (error: unknown): ErrorFields => (error && typeof error === 'object' ? (error as ErrorFields) : {});

/** The first line of an error's message (the database's DETAIL and HINT lines, a stack, left out). */
export function messageLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** A file the command read or wrote failed (Node's fs errors carry the call and the path). */
export function isFileError(error: unknown): boolean {
  const e = fields(error);
  return typeof e.path === 'string' && typeof e.syscall === 'string';
}

/** Whether an error came from the database or its client (any SQLSTATE, server error code, or MikroORM exception). */
export function isDatabaseError(error: unknown): boolean {
  if (!error || isFileError(error)) return false;
  const e = fields(error);
  return e.sqlState !== undefined || /Exception$/.test(String(e.name)) || /^(E[A-Z]+|[0-9A-Z]{5}|ER_\w+|SQLITE_\w+)$/.test(String(e.code ?? ''));
}

/** Why a first connection can fail, as far as the driver says. */
export type ConnectFailure = 'refused' | 'unknown-host' | 'timed-out' | 'authentication' | 'no-database' | 'cannot-open';

/** Why a first connection failed, where the driver says (undefined: say what it said). */
export function connectFailure(error: unknown): ConnectFailure | undefined {
  const e = fields(error);
  const code = String(e.code ?? '');
  const message = messageLine(error);
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown-host';
  if (code === 'ETIMEDOUT' || orm.errorKind(error) === 'pool-timeout' || /timeout|timed out/i.test(message)) return 'timed-out';
  if (code === '28P01' || code === '28000' || code === 'ER_ACCESS_DENIED_ERROR' || /password authentication failed|access denied/i.test(message))
    return 'authentication';
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR') return 'no-database';
  if (code === 'SQLITE_CANTOPEN') return 'cannot-open';
  return undefined;
}

/** Whether a statement failed on a unique key (another run recorded the same row first). */
export function isUniqueViolation(error: unknown): boolean {
  if (orm.errorKind(error) === 'unique-violation') return true;
  const e = fields(error);
  return e.name === 'UniqueConstraintViolationException' || ['23505', 'ER_DUP_ENTRY'].includes(String(e.code));
}

/** Whether a database error says a table does not exist (PostgreSQL, MySQL/MariaDB, SQLite). */
export function isMissingTable(error: unknown): boolean {
  const e = fields(error);
  // The clients' own codes first: MikroORM's converter need not load for them (the CLI's light reader never loads it).
  if (e.name === 'TableNotFoundException' || e.code === '42P01' || e.code === 'ER_NO_SUCH_TABLE' || /no such table/i.test(String(e.message)))
    return true;
  return orm.errorKind(error) === 'table-not-found';
}

/** Whether a SQLite file is busy: another connection holds its write lock longer than our busy timeout. */
export function isBusy(error: unknown): boolean {
  const e = fields(error);
  return String(e.code).startsWith('SQLITE_') && (e.code === 'SQLITE_BUSY' || orm.errorKind(error) === 'lock-wait-timeout');
}

/** Whether a database error is a statement timeout or a lock wait that gave up: a smaller batch may pass. */
export function isTimeout(error: unknown): boolean {
  if (orm.errorKind(error) === 'lock-wait-timeout') return true;
  const e = fields(error);
  const code = String(e.code ?? e.sqlState ?? '');
  // MikroORM's converters leave these as plain DriverExceptions: PostgreSQL's statement timeout (57014) and
  // lock_timeout (55P03), MySQL's max_execution_time (3024) and MariaDB's max_statement_time (1969).
  return (
    ['57014', '55P03', 'ER_LOCK_WAIT_TIMEOUT', 'ER_QUERY_TIMEOUT', 'ER_STATEMENT_TIMEOUT', 'SQLITE_BUSY'].includes(code) ||
    [1205, 3024, 1969].includes(Number(e.errno)) ||
    /statement timeout|canceling statement|lock wait timeout|max_statement_time|maximum statement execution time|database is locked/i.test(
      String(e.message),
    )
  );
}

/**
 * Whether an error means the connection itself is gone (server restart, killed session, network). MikroORM's
 * ConnectionException is no guide: MySQL's converter gives it for a refused login or a denied command as well.
 */
export function isConnectionLoss(error: unknown): boolean {
  const e = fields(error);
  // Ours (errors.ts): a run's single connection is gone, and the migration lock with it.
  if (e.name === 'LockLostError') return true;
  const code = String(e.code ?? '');
  // SQLSTATE class 08: connection exception (MariaDB's connector says 08S01 when its socket closes).
  if (/^08/.test(String(e.sqlState ?? ''))) return true;
  return (
    [
      'ECONNRESET',
      'EPIPE',
      'ECONNREFUSED',
      'ETIMEDOUT',
      'PROTOCOL_CONNECTION_LOST',
      '57P01',
      '57P02',
      '57P03',
      'ER_CONNECTION_KILLED',
      'ER_SERVER_SHUTDOWN',
      'ER_CMD_CONNECTION_CLOSED',
      'ER_SOCKET_UNEXPECTED_CLOSE',
    ].includes(code) ||
    // pg's client after its socket died: "Client has encountered a connection error and is not queryable".
    /connection terminated|terminating connection|connection (was )?lost|server has gone away|connection is closed|connection closed|Connection ended|lost its connection|socket has unexpectedly been closed|not queryable/i.test(
      String(e.message),
    )
  );
}

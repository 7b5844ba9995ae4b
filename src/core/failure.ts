import { basename } from 'node:path';
import type { Direction } from './events.js';
import { LockLostError, MigrateUiError, RevisionFailedError } from './errors.js';
import { isConnectionLoss, isDatabaseError, messageLine } from './orm/index.js';
import type { SqlDriver } from './orm/port.js';
import { sourceLine } from './modules.js';
import { maskPasswords } from './secrets.js';
import type { Dialect } from './url.js';

export { isConnectionLoss } from './orm/index.js';

/** The statement a driver is running right now; cleared once it succeeds, so a later error in code names none. */
export interface StatementTracker {
  readonly current: string | undefined;
  reset(): void;
}

/** Renders whatever a migration queued (string, knex builder or raw) as SQL text. */
export function sqlText(query: unknown): string {
  if (typeof query === 'string') return query;
  const q = query as { toQuery?: () => string; toString?: () => string };
  return q?.toQuery?.() ?? String(q);
}

/** Follows every statement sent through `driver.execute` (MikroORM's runner, `this.execute`, the EntityManager). */
export function trackStatements(driver: SqlDriver): StatementTracker {
  let current: string | undefined;
  const execute = driver.execute.bind(driver) as (...args: unknown[]) => Promise<unknown>;
  (driver as { execute: unknown }).execute = async (...args: unknown[]) => {
    current = sqlText(args[0]);
    const result = await execute(...args);
    current = undefined;
    return result;
  };
  return {
    get current() {
      return current;
    },
    reset() {
      current = undefined;
    },
  };
}

interface DriverError {
  code?: string;
  errno?: number;
  sqlState?: string;
  name?: string;
  message?: string;
  detail?: string;
  hint?: string;
  stack?: string;
}

const SQL_START =
  /^\s*(select|insert|update|delete|create|alter|drop|truncate|rename|with|begin|commit|set|pragma|grant|revoke|comment|replace|call|do|lock|analyze|vacuum|reindex|cluster)\b/i;

/** The first line of the migration's own stack frame: where in the file the code failed. */
function whereInFile(stack: string | undefined, path: string | undefined): string | undefined {
  if (!stack || !path) return undefined;
  const file = basename(path);
  const frame = stack.split('\n').find((line) => line.includes(file));
  const at = frame && /:(\d+):(\d+)\)?\s*$/.exec(frame);
  return at ? `${file}:${sourceLine(path, Number(at[1]), Number(at[2]))}` : undefined;
}

/** A connection lost outside any revision (taking the lock, reading the history): the lock went with it. */
export function connectionLost(error: unknown): MigrateUiError {
  if (error instanceof MigrateUiError) return error;
  return new LockLostError(`the connection to the database was lost (${maskPasswords(withoutStatement(error))}); the migration lock went with it`, {
    cause: error,
  });
}

/** Turns whatever a revision threw into a RevisionFailedError naming the statement the database refused, or the code that threw. */
export function revisionFailure(
  name: string,
  direction: Direction,
  error: unknown,
  tracked: string | undefined,
  context: { dialect: Dialect; path?: string },
): MigrateUiError {
  if (error instanceof MigrateUiError) return error;
  if (isConnectionLoss(error)) {
    const what = context.dialect === 'mysql' || context.dialect === 'mariadb' ? 'its data changes rolled back, DDL it ran stays' : 'rolled back';
    return new LockLostError(
      `the connection to the database was lost while ${name} ran (${maskPasswords(withoutStatement(error))}): ${name} was not recorded (${what}); the migration lock went with it`,
      { cause: error },
    );
  }
  const e = (error ?? {}) as DriverError;
  const hint = failureHint(direction, context.dialect);
  if (!isDatabaseError(error)) {
    const where = whereInFile(e.stack, context.path);
    const message = `${e.name ?? 'Error'}: ${messageLine(error)}${where ? ` (at ${where})` : ''}`;
    return new RevisionFailedError(name, direction, undefined, maskPasswords(message), 'code', [], hint, { cause: error });
  }
  let message = messageLine(error);
  let statement = tracked;
  if (statement && message.startsWith(statement)) message = message.slice(statement.length).replace(/^\s*-\s*/, '');
  else {
    // knex prefixes its error with the statement: "<sql> - <database's message>".
    const split = message.indexOf(' - ');
    if (split > 0 && SQL_START.test(message)) {
      statement = message.slice(0, split);
      message = message.slice(split + 3);
    }
  }
  const details = [e.detail && `DETAIL: ${e.detail}`, e.hint && `HINT: ${e.hint}`].filter((d): d is string => Boolean(d)).map(maskPasswords);
  return new RevisionFailedError(name, direction, statement, maskPasswords(withoutConnectionId(message)), 'database', details, hint, {
    cause: error,
  });
}

/**
 * The MariaDB driver starts each message with "(conn:41, no: 1062, SQLState: 23000) ": the connection's id means
 * nothing to the reader and differs each run; the codes go after the database's text.
 */
function withoutConnectionId(message: string): string {
  const m = /^\(conn:\d+, no: (\d+), SQLState: (\w+)\) ([\s\S]*)$/.exec(message);
  return m ? `${m[3]} (error ${m[1]}, SQLSTATE ${m[2]})` : message;
}

function failureHint(direction: Direction, dialect: Dialect): string {
  if (dialect === 'mysql' || dialect === 'mariadb') {
    const server = dialect === 'mariadb' ? 'MariaDB' : 'MySQL';
    return `${server} commits DDL as it runs: statements before the failing one may be partly applied; check the schema before running again.`;
  }
  return direction === 'up'
    ? 'Earlier revisions stay applied; fix the revision and run again.'
    : 'Revisions reverted before it stay reverted; fix its down() and run again.';
}

/** The driver's own words, without the statement knex puts in front ("set names 'utf8'; - …"): it was only the next one due. */
function withoutStatement(error: unknown): string {
  const message = messageLine(error);
  const split = message.indexOf(' - ');
  return split > 0 && SQL_START.test(message) ? message.slice(split + 3) : message;
}

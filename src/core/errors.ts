import type { LockHolder } from './events.js';
import { isConnectionLoss, isDatabaseError, isFileError, messageLine } from './orm/index.js';
import { maskPasswords } from './secrets.js';

/** Exit codes of DESIGN §3, plus 130 for a run stopped early and 70 for a bug in migrate-ui itself. */
export const ExitCode = {
  ok: 0,
  migrationFailed: 1,
  usage: 2,
  lockTimeout: 3,
  checkDifference: 4,
  notProven: 5,
  bug: 70,
  stopped: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the user caused or can fix: a one-line message in the domain's words, a hint, and the exit code to leave with. */
export class MigrateUiError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** What to do next, in the domain's words (no command-line flags: the CLI and the TUI add their own). */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Wrong arguments, an unknown command or an unknown or ambiguous TARGET. */
export class UsageError extends MigrateUiError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/** No config file, or a config file that does not load or is not a MikroORM config. */
export class ConfigError extends MigrateUiError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, hint, options);
  }
}

/** No config file where the MikroORM CLI would look. */
export class NoConfigError extends ConfigError {}

/** MikroORM's discovery found no entity where the config points it: nothing to compare the schema with. */
export class NoEntitiesError extends ConfigError {
  constructor(
    /** The config's list MikroORM read: `entitiesTs` where it prefers TypeScript, else `entities`. */
    readonly list: 'entities' | 'entitiesTs',
    /** Its paths and globs (none where it lists classes only). */
    readonly paths: string[],
    readonly baseDir: string,
  ) {
    super(
      paths.length > 0
        ? `no entities found in the config's ${list} (${paths.join(', ')}, relative to ${baseDir}); nothing to compare the database with`
        : `no entities found: the config's ${list} lists none; nothing to compare the database with`,
    );
  }
}

/** The database cannot be reached, refuses the credentials, or the URL is malformed. */
export class ConnectionError extends MigrateUiError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, hint, options);
  }
}

/** What the database cannot do: one transaction around DDL on MySQL/MariaDB. */
export class UnsupportedError extends MigrateUiError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/** Another run held the lock longer than the run was willing to wait. */
export class LockTimeoutError extends MigrateUiError {
  constructor(
    message: string,
    readonly holder: LockHolder | null,
  ) {
    super(message, ExitCode.lockTimeout, 'Wait for that run to finish, or wait longer for the lock.');
  }
}

/** The run's session lost the lock (its connection died, or a stale SQLite lock was taken over): it stops. */
export class LockLostError extends MigrateUiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, 'Nothing after the last finished revision ran; check the timeline and run again.', options);
  }
}

/** A stop asked for from outside (ctrl-c, SIGTERM) ended the run before it started a revision. */
export class StoppedError extends MigrateUiError {
  constructor(message: string) {
    super(message, ExitCode.stopped);
  }
}

/** The revisions that would run under the lock are not the ones that were confirmed: nothing ran. */
export class PlanChangedError extends MigrateUiError {
  constructor(
    readonly confirmed: string[],
    readonly planned: string[],
  ) {
    super(
      `the plan changed while waiting for the lock: confirmed ${names(confirmed)}, would now run ${names(planned)}; nothing ran`,
      ExitCode.usage,
      'Another run changed the database; look at the new plan and confirm it.',
    );
  }
}

function names(list: string[]): string {
  if (list.length === 0) return 'nothing';
  return list.length > 3 ? `${list.slice(0, 3).join(', ')} and ${list.length - 3} more` : list.join(', ');
}

/** Where a revision's failure came from: a statement the database refused, or the migration's own code. */
export type FailureSource = 'database' | 'code';

/** A revision failed while it ran: which one, the statement and the database's own message (or the code's error). */
export class RevisionFailedError extends MigrateUiError {
  constructor(
    readonly revision: string,
    readonly direction: 'up' | 'down',
    readonly statement: string | undefined,
    readonly databaseMessage: string,
    readonly source: FailureSource,
    /** The database's DETAIL and HINT lines, where it gave them. */
    readonly details: string[],
    hint?: string,
    options?: { cause?: unknown },
  ) {
    super(`${revision} failed (${direction}): ${databaseMessage}`, ExitCode.migrationFailed, hint, options);
  }
}

/** A migration file that cannot be loaded or has no migration class. */
export class BrokenRevisionError extends MigrateUiError {
  constructor(
    readonly revision: string,
    reason: string,
    what = 'cannot be loaded',
    hint = 'Fix the file and run again; revisions before it are kept.',
  ) {
    super(`${revision} ${what}: ${reason}`, ExitCode.migrationFailed, hint);
  }
}

/** The exit code an error leaves with: its own for ours, 2 for the database refusing, 70 for a bug in migrate-ui. */
export function exitCodeOf(error: unknown): ExitCodeValue {
  if (error instanceof MigrateUiError) return error.exitCode;
  return isDatabaseError(error) || isFileError(error) ? ExitCode.usage : ExitCode.bug;
}

/** One line for any error, passwords masked: ours as they are, the database's with what it said, anything else as a bug. */
export function errorLine(error: unknown): string {
  if (error instanceof MigrateUiError) return maskPasswords(error.message);
  const message = messageLine(error);
  if (isFileError(error)) return maskPasswords(`a file could not be read or written: ${message}`);
  if (isConnectionLoss(error)) return maskPasswords(`the connection to the database was lost: ${message}`);
  if (isDatabaseError(error)) return maskPasswords(`the database refused: ${message}`);
  return maskPasswords(`unexpected error (a bug in migrate-ui): ${message}`);
}

/** One line saying why a module failed to import; for a syntax error (esbuild through tsx) the line and the problem. */
export function importFailure(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n');
  // esbuild's first line is only "Transform failed with 1 error:"; the second says where and what.
  const located = /^Transform failed/.test(lines[0]) ? /:(\d+):\d+: ERROR: (.*)$/.exec(lines[1] ?? '') : null;
  return located ? `syntax error at line ${located[1]}: ${located[2]}` : lines[0];
}

/** Exit codes of DESIGN §3. */
export const ExitCode = {
  ok: 0,
  migrationFailed: 1,
  usage: 2,
  lockTimeout: 3,
  checkDifference: 4,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the user caused or can fix: a one-line message, a hint, and the exit code to leave with. */
export class MigrateUiError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
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

/** The database cannot be reached, refuses the credentials, or the URL is malformed. */
export class ConnectionError extends MigrateUiError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, hint, options);
  }
}

/** Another run held the lock longer than --lock-timeout. */
export class LockTimeoutError extends MigrateUiError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.lockTimeout, hint);
  }
}

/** A revision failed while it ran: which one, the statement and the database's own message. */
export class RevisionFailedError extends MigrateUiError {
  constructor(
    readonly revision: string,
    readonly direction: 'up' | 'down',
    readonly statement: string | undefined,
    readonly databaseMessage: string,
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
  ) {
    super(`${revision} cannot be loaded: ${reason}`, ExitCode.migrationFailed, 'Fix the file and run again; revisions before it are kept.');
  }
}

/** One line saying why a module failed to import; for a syntax error (esbuild through tsx) the line and the problem. */
export function importFailure(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n');
  // esbuild's first line is only "Transform failed with 1 error:"; the second says where and what.
  const located = /^Transform failed/.test(lines[0]) ? /:(\d+):\d+: ERROR: (.*)$/.exec(lines[1] ?? '') : null;
  return located ? `syntax error at line ${located[1]}: ${located[2]}` : lines[0];
}

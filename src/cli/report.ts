import {
  errorLine,
  exitCodeOf,
  LockTimeoutError,
  NoConfigError,
  MigrateUiError,
  PlanChangedError,
  StoppedError,
  UnsupportedError,
} from '../core/errors.js';
import { maskPasswords } from '../core/secrets.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** What to do next, in the command line's words: the core's hint, or the flag that helps. */
export function cliHint(error: unknown): string | undefined {
  if (error instanceof NoConfigError) return 'Pass --config PATH, or run from a project with mikro-orm.config.ts.';
  if (error instanceof LockTimeoutError) return 'Wait for that run to finish, or raise --lock-timeout.';
  if (error instanceof UnsupportedError) return 'Run without --all-or-nothing; each revision then runs in its own transaction.';
  if (error instanceof PlanChangedError) return 'Another run changed the database: run the command again to see what it would do now.';
  if (error instanceof StoppedError) return undefined;
  if (error instanceof MigrateUiError) return error.hint;
  return exitCodeOf(error) === 70 ? 'This is a bug in migrate-ui; run with DEBUG=migrate-ui and report what it prints.' : undefined;
}

/** Prints an error as one or two lines (stack only under DEBUG=migrate-ui, passwords masked); returns its exit code. */
export function reportError(error: unknown, io: Io): number {
  io.stderr(`migrate-ui: ${errorLine(error)}`);
  const hint = cliHint(error);
  if (hint) io.stderr(`  ${maskPasswords(hint)}`);
  if (/\bmigrate-ui\b/.test(io.env.DEBUG ?? '')) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    io.stderr(maskPasswords(String((cause as Error)?.stack ?? cause)));
  }
  return exitCodeOf(error);
}

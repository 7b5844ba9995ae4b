import { errorLine, exitCodeOf, LockTimeoutError, MigrateUiError } from '../core/index.js';
import { maskPasswords } from '../core/secrets.js';

/** What to do next, in the terminal UI's words (keys, not flags): the core's hint where the UI has none of its own. */
export function tuiHint(error: unknown): string | undefined {
  if (error instanceof LockTimeoutError) return 'Wait for that run to finish and try again (--lock-timeout SECONDS waits longer).';
  if (error instanceof MigrateUiError) return error.hint && maskPasswords(error.hint);
  return exitCodeOf(error) === 70 ? 'This is a bug in migrate-ui; run it with DEBUG=migrate-ui and report what it prints on exit.' : undefined;
}

/** One line and a hint for the message bar or the run view, passwords masked. */
export function errorText(error: unknown): { line: string; hint?: string } {
  return { line: errorLine(error), hint: tuiHint(error) };
}

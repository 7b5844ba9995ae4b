import { expect } from 'vitest';
import { runCli, runJson, type CliResult } from './cli.js';
import type { TestDatabase } from './databases.js';

type RunOptions = Parameters<typeof runCli>[1];

/** The binary pointed at one test database (adds --db). */
export function cliOn(db: TestDatabase, base: RunOptions = {}) {
  return {
    run: (args: string[], options: RunOptions = {}) => runCli([...args, '--db', db.url], { ...base, ...options }),
    json: <T = any>(args: string[], options: RunOptions = {}) => runJson<T>([...args, '--db', db.url], { ...base, ...options }),
  };
}

/** Asserts a command failed the way DESIGN §3 wants: exit `code`, one or two lines on stderr, no stack trace. Returns the lines. */
export function expectShortError(result: CliResult, code: number): string[] {
  expect(result.stderr, 'a stack trace was printed').not.toContain('    at ');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines.length, result.stderr).toBeGreaterThanOrEqual(1);
  expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
  expect(result.code, result.stderr).toBe(code);
  return lines;
}

/** Asserts a command succeeded; shows its stderr when it did not. */
export function expectOk(result: CliResult): CliResult {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

/** Asserts `check` exited 0 saying the entities and the schema are in sync; shows its output when it did not. */
export function expectInSync(check: CliResult): void {
  expect(check.code, check.stdout + check.stderr).toBe(0);
  expect(check.stdout).toContain('entities and schema are in sync');
}

/** Writes the project's first revision from its entities (`new init --from-entities`) and applies it. */
export async function applyFirstRevision(cli: ReturnType<typeof cliOn>): Promise<void> {
  expectOk(await cli.run(['new', 'init', '--from-entities']));
  expectOk(await cli.run(['up']));
}

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/migrate-ui.js', import.meta.url));

const MIKRO_ORM_ENV = {
  MIKRO_ORM_ALLOW_GLOBAL_CLI: '1',
  MIKRO_ORM_CLI_ALWAYS_ALLOW_TS: '1',
  MIKRO_ORM_CLI_CONFIG: './mikro-orm.config.ts',
  NO_COLOR: '1',
};

/** Runs MikroORM's own CLI (`migration:up`, …) in the project at `dir` on its TypeScript config; its output, or it throws. */
export function mikroOrmCli(dir: string, command: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'node_modules/@mikro-orm/cli/esm'), command], {
    cwd: dir,
    env: { ...process.env, ...MIKRO_ORM_ENV },
    encoding: 'utf8',
    stdio: 'pipe',
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The binary started in the background (non-TTY), to be watched and killed while it runs. */
export interface RunningCli {
  child: ChildProcess;
  /** Resolves when it exits. */
  done: Promise<CliResult>;
}

/** Starts the real binary (non-TTY) and collects its output. */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    // As a user runs it: under VITEST, MikroORM would think the binary runs TypeScript (Utils.detectTsNode).
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '', VITEST: undefined, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr }));
  });
  return { child, done };
}

/** Runs the real binary (non-TTY) to the end; killed after `timeoutMs`. */
export async function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  const { child, done } = startCli(args, options);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the binary and parses its stdout as JSON. */
export async function runJson<T = any>(args: string[], options: Parameters<typeof runCli>[1] = {}): Promise<T> {
  const result = await runCli([...args, '--json'], options);
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}

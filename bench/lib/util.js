// Shared helpers for the benchmarks: timing child processes, statistics, temp folders and databases, machine description.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createServerDatabase } from '../../test/helpers/server-database.js';
import { randomBytes } from 'node:crypto';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'migrate-ui.js');
/** Temp projects live inside the repository (git-ignored) so their configs resolve @mikro-orm/* from our node_modules. */
export const TMP_ROOT = join(ROOT, '.bench-tmp');
export const MIKRO_CLI = join(ROOT, 'node_modules', '@mikro-orm', 'cli', 'esm.js');
export const TSX_CLI = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
export const PG_URL = process.env.MIGRATE_UI_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_URL = process.env.MIGRATE_UI_BENCH_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';

/** The environment every measured process gets: no colours, no inherited DATABASE_URL or MikroORM settings. */
export function cleanEnv(extra = {}) {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of Object.keys(env)) {
    if (key === 'DATABASE_URL' || key.startsWith('MIKRO_ORM_') || key === 'DEBUG' || key === 'NODE_OPTIONS') delete env[key];
  }
  return { ...env, ...extra };
}

/**
 * Spawns a process and measures its wall-clock time from spawn to exit.
 * Rejects when it exits non-zero (a failing command must never be timed as a fast one).
 */
export function timeProcess(command, args, { cwd = ROOT, env = cleanEnv(), timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${[command, ...args].join(' ')} exited ${code ?? signal}\n${stderr.slice(-2000)}\n${stdout.slice(-1000)}`));
      } else resolve({ ms, stdout, stderr });
    });
  });
}

/** Runs a process that prints one JSON line (its last stdout line) and returns that object. */
export async function runJsonProcess(command, args, options) {
  const { stdout } = await timeProcess(command, args, options);
  const last = stdout.trim().split('\n').at(-1);
  return JSON.parse(last);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median, min, max and the spread (max-min)/median of a sample. */
export function stats(values) {
  const m = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { median: m, min, max, n: values.length, spreadPct: m ? ((max - min) / m) * 100 : 0, values };
}

/**
 * Runs every contender `reps` times, interleaved: each round runs all of them once, in an order rotated by one
 * every round (so none always goes first or last), after `warmup` discarded rounds. Each function returns the
 * measured milliseconds. Returns the statistics of each contender and its raw samples in round order.
 */
export async function interleave(contenders, { reps, warmup = 1, onRound } = {}) {
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = -warmup; round < reps; round++) {
    const shift = ((round % names.length) + names.length) % names.length;
    const order = [...names.slice(shift), ...names.slice(0, shift)];
    for (const name of order) {
      const ms = await contenders[name]();
      if (round >= 0) samples[name].push(ms);
    }
    onRound?.(round, samples);
  }
  return Object.fromEntries(names.map((n) => [n, stats(samples[n])]));
}

/** ours/peer as the ratio of medians, with the spread of the per-round ratios (same round, same machine state). */
export function ratio(ours, peer) {
  const perRound = ours.values.map((v, i) => v / peer.values[i]);
  return { value: ours.median / peer.median, rounds: stats(perRound) };
}

/** A new folder under `root` (TMP_ROOT, or a fixture's .bench-tmp so that its node_modules resolve). */
export function makeTempDir(name, root = TMP_ROOT) {
  const dir = join(root, `${name}-${process.pid}-${randomBytes(3).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** A PostgreSQL server for the PostgreSQL variant, or null when none answers. */
export async function pgAvailable() {
  try {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Creates a PostgreSQL database of its own; returns its name, its URL and a drop() that removes it. */
export function createPgDatabase(prefix = 'mui_bench') {
  return createServerDatabase('postgresql', PG_URL, prefix);
}

/** Whether a MySQL or MariaDB server answers, for the benchmarks that use one. */
export async function mysqlAvailable() {
  try {
    const mysql = await import('mysql2/promise');
    const client = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 2000 });
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Creates a MySQL/MariaDB database of its own; returns its name, its URL and a drop() that removes it. */
export function createMysqlDatabase(prefix = 'mui_bench') {
  return createServerDatabase('mariadb', MYSQL_URL, prefix);
}

/** CPU model, cores, memory, Node version, OS and date, for RESULTS.md. */
export function machine() {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: os.cpus() it is.
  }
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    load: loadText(),
  };
}

/** The 1/5/15-minute load averages: other work on the machine shows up here. */
export function loadText() {
  return loadavg()
    .map((v) => v.toFixed(2))
    .join(' / ');
}

export function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function log(text) {
  process.stderr.write(`${text}\n`);
}

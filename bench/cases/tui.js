// Runs bench/tui-keypress.* when it exists (written separately) and turns its JSON lines
// `{ name, value, unit, target }` into table rows. No such file: no rows, no message.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, cleanEnv, log, timeProcess } from '../lib/util.js';

const CANDIDATES = ['tui-keypress.js', 'tui-keypress.mjs', 'tui-keypress.ts', 'tui-keypress.tsx', 'tui-keypress.mts'];

export function tuiBenchmarkFile() {
  // MIGRATE_UI_BENCH_TUI=PATH runs another file (to try the wiring without touching bench/).
  if (process.env.MIGRATE_UI_BENCH_TUI) return process.env.MIGRATE_UI_BENCH_TUI;
  for (const name of CANDIDATES) {
    const path = join(ROOT, 'bench', name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Reads a target such as 30, "≤ 30 ms", "<= 1 s", "30ms" into a maximum in the value's unit. */
export function parseTarget(target, unit) {
  if (target == null) return null;
  if (typeof target === 'number') return { kind: 'abs', max: target, unit };
  if (typeof target === 'object' && typeof target.max === 'number') return { kind: 'abs', max: target.max, unit };
  const m = /([\d.]+)\s*(ms|s)?/.exec(String(target));
  if (!m) return { kind: 'text', text: String(target) };
  let max = Number(m[1]);
  const tUnit = m[2];
  if (tUnit === 's' && unit === 'ms') max *= 1000;
  if (tUnit === 'ms' && unit === 's') max /= 1000;
  return { kind: 'abs', max, unit, text: String(target) };
}

export async function tuiRows() {
  const file = tuiBenchmarkFile();
  if (!file) return [];
  return childRows(file, 'tui');
}

/** Runs a benchmark script as a child process and turns its JSON lines `{ name, value, unit, target }` into rows. */
export async function childRows(file, prefix, { tsx = false } = {}) {
  log(`  ${prefix}: running ${relative(ROOT, file)}…`);
  const args = tsx || /\.[mc]?tsx?$/.test(file) ? ['--import', 'tsx', file] : [file];
  const { stdout } = await timeProcess(process.execPath, args, { env: cleanEnv(), timeoutMs: 180_000 });
  const rows = [];
  for (const line of stdout.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    let entry;
    try {
      entry = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof entry?.name !== 'string' || typeof entry.value !== 'number') continue;
    const target = parseTarget(entry.target, entry.unit);
    rows.push({
      id: `${prefix}:${entry.name}`,
      what: entry.name,
      value: entry.value,
      unit: entry.unit ?? '',
      peerValue: typeof entry.peer === 'number' ? entry.peer : undefined,
      target,
      targetText:
        entry.target == null ? '' : typeof entry.target === 'number' ? `≤ ${entry.target} ${entry.unit ?? ''}`.trim() : String(entry.target),
      pass: typeof entry.pass === 'boolean' ? entry.pass : target?.kind === 'abs' ? entry.value <= target.max : undefined,
    });
  }
  return rows;
}

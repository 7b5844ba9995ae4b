#!/usr/bin/env node
// Issue 3's numbers (DESIGN §8): key press → new frame on a 2,000-revision timeline (p95, target ≤ 16 ms) and the
// first frame on the example project, cold, from process start (a loading frame counts; target ≤ 0.5 s), with the
// first frame that shows the timeline beside it.
//
//   node bench/tui-keypress.js [--presses N] [--runs N]      prints one JSON line per figure: { name, value, unit, target }
//
// Needs dist/ (npm run build). bench/run.js runs this file and puts its lines into bench/RESULTS.md.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { percentile, plain, renderApp, round, sleep } from './lib/terminal.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist', 'src');
const KEYS = { j: 'j', k: 'k', g: 'g', G: 'G', pageDown: '\u001B[6~', pageUp: '\u001B[5~' };

/**
 * Opens a generated 2,000-revision project (200 applied), renders the app as `migrate-ui` does (its MAX_FPS), and
 * times `presses` key presses from the key reaching stdin to the next frame written to stdout. Keys come 80 ms apart
 * (12 a second, faster than people type), so each is a fresh frame and not one merged by the 20 fps throttle.
 */
export async function keypressLatency({ presses = 200, revisions = 2000 } = {}) {
  const { createRevisionProject } = await import('./lib/project.js');
  mkdirSync(join(ROOT, '.bench-tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.bench-tmp', 'tui-keypress-'));
  const configPath = createRevisionProject(dir, revisions);
  const { bootstrap } = await import(pathToFileURL(join(DIST, 'cli', 'bootstrap.js')).href);
  await bootstrap(dir, configPath);
  const { Project } = await import(pathToFileURL(join(DIST, 'core', 'project.js')).href);
  const project = await Project.open({ cwd: dir, configPath, dbUrl: `sqlite:${join(dir, 'tui.sqlite')}`, env: {} });
  const renderTimes = [];
  try {
    await project.runner().run({ direction: 'up', target: '+200' });
    const { app, stdout, stdin } = await renderApp({ project, cwd: dir }, (ms) => renderTimes.push(ms));
    const deadline = Date.now() + 60_000;
    while (!stdout.recent.includes(`of ${revisions + 1}`)) {
      if (Date.now() > deadline) throw new Error(`the timeline never showed; last output:\n${stdout.recent.slice(-3000)}`);
      await sleep(20);
    }
    await sleep(300);
    const cycle = [KEYS.j, KEYS.j, KEYS.pageDown, KEYS.k, KEYS.G, KEYS.pageUp, KEYS.k, KEYS.k, KEYS.g, KEYS.pageDown];
    const latencies = [];
    for (let i = 0; i < presses; i++) {
      const frame = stdout.nextWrite();
      const started = performance.now();
      stdin.type(cycle[i % cycle.length]);
      const written = await Promise.race([frame, sleep(2000).then(() => null)]);
      if (written === null) throw new Error(`no new frame within 2 s after key ${i}`);
      latencies.push(written - started);
      await sleep(80);
    }
    app.unmount();
    return { latencies, renderTimes };
  } finally {
    await project.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts `node bin/migrate-ui.js` on the bundled example in a pseudo-terminal (util-linux `script`) with a fresh
 * SQLite file, and times spawn → the first frame (the app's header line, "migrate-ui" and the config; a loading frame
 * counts) and spawn → the first output that shows the timeline (its "N pending" header). One run per process.
 */
export function firstFrameCold() {
  const dir = mkdtempSync(join(tmpdir(), 'mui-first-frame-'));
  const command = `stty cols 100 rows 30; exec node bin/migrate-ui.js --db sqlite:${join(dir, 'cold.sqlite')}`;
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: '1' };
    delete env.CI;
    delete env.CONTINUOUS_INTEGRATION;
    const started = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let seen = '';
    let frame;
    const timer = setTimeout(() => finish(new Error(`no timeline within 20 s; output:\n${seen.slice(-2000)}`)), 20_000);
    const finish = (result) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      rmSync(dir, { recursive: true, force: true });
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    child.stdout.on('data', (data) => {
      seen += data;
      const now = performance.now() - started;
      frame ??= /migrate-ui\S*\s+mikro-orm\.config\.ts/.test(plain(seen)) ? now : undefined;
      if (/\d+ pending/.test(seen)) finish({ frame: frame ?? now, timeline: now });
    });
    child.on('error', (error) => finish(error));
  });
}

export async function benchTui({ presses = 200, runs = 5 } = {}) {
  const { latencies, renderTimes } = await keypressLatency({ presses });
  const cold = [];
  for (let i = 0; i < runs; i++) cold.push(await firstFrameCold());
  const frames = cold.map((c) => c.frame);
  const timelines = cold.map((c) => c.timeline);
  return [
    { name: 'TUI: key press → new frame, 2,000-revision timeline, p95', value: round(percentile(latencies, 95)), unit: 'ms', target: '≤ 16 ms' },
    {
      name: `TUI: key press → new frame, 2,000-revision timeline, median (n=${latencies.length})`,
      value: round(percentile(latencies, 50)),
      unit: 'ms',
    },
    { name: 'TUI: key press → new frame, 2,000-revision timeline, max', value: round(Math.max(...latencies)), unit: 'ms' },
    { name: 'TUI: Ink render of one frame, p95', value: round(percentile(renderTimes, 95)), unit: 'ms' },
    {
      name: `TUI: first frame (a loading frame counts), example project, cold, from process start (median of ${runs})`,
      value: Math.round(percentile(frames, 50)),
      unit: 'ms',
      target: '≤ 0.5 s',
    },
    {
      name: `TUI: first frame showing the timeline, example project, cold (median of ${runs})`,
      value: Math.round(percentile(timelines, 50)),
      unit: 'ms',
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (flag, fallback) => {
    const i = process.argv.indexOf(flag);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const results = await benchTui({ presses: arg('--presses', 200), runs: arg('--runs', 5) });
  for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}

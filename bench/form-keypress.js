#!/usr/bin/env node
// Issue 9's number: key press → new frame inside the authoring form with its live preview open, on a project with
// 50 tables (SQLite, EntitySchema entities): p95, target ≤ 16 ms (DESIGN §8).
//
//   node --import tsx bench/form-keypress.js [--presses N]     prints one JSON line per figure: { name, value, unit, target }
//
// The project is the one of bench/authoring-draft.js (its config is TypeScript, hence tsx). The app is rendered as
// bench/tui-keypress.js renders it (Ink loaded by loadInk(), its MAX_FPS, a 100×30 fake terminal) with
// `newRevision: 'add_projects'`, so the form opens at once; enter, enter picks "create a table" and focuses its
// "table" field; the table gets its first column (id), so the preview shows the file and draft() does the whole work
// (without a column the preview only lists that problem and draft() returns at once). Then three series, each key
// timed from reaching stdin to the first frame written after it that shows what the key did (the field's new text,
// the new preview tab):
//   - typing the table name, keys 80 ms apart (faster than people type, and shorter than the form's 120 ms draft
//     delay: author() runs on every key, draft() rarely gets to run while typing);
//   - typing again with 150 ms between keys, so the debounced draft() (SQL ×3, lint, entity edits) runs between keys;
//   - ← → switching the preview tabs, 80 ms apart, with the draft done.
// Each series starts with 10 warm-up keys that are not counted. FORM_BENCH_FRAME=1 prints the last frame on stderr.
// Needs dist/ (npm run build). bench/run.js runs this file (case `form`) and puts its lines into bench/RESULTS.md.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeEntityProject } from './lib/entity-project.js';
import { percentile, plain, renderApp, round, sleep } from './lib/terminal.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist', 'src');
const TABLES = 50;
const NAME = 'add_projects';
const WORD = 'projects_and_more_things';
const KEYS = { enter: '\r', backspace: '\x7f', left: '\u001B[D', right: '\u001B[C', tab: '\t', shiftTab: '\u001B[Z', esc: '\u001B' };
const WARMUP = 10;

/**
 * The table name as it is typed: the word again and again up to 40 characters, then backspace down to 16, and so on
 * (the name stays a valid one, so the preview shows the file and the SQL, not problems).
 */
function nameTyper(start = '') {
  let value = start;
  let erasing = false;
  return () => {
    if (value.length >= 40) erasing = true;
    if (value.length <= 16) erasing = false;
    if (erasing) {
      value = value.slice(0, -1);
      return { key: KEYS.backspace, value };
    }
    const ch = WORD[value.length % WORD.length];
    value += ch;
    return { key: ch, value };
  };
}

export async function formLatency({ presses = 120 } = {}) {
  const { Project } = await import(pathToFileURL(join(DIST, 'index.js')).href);
  mkdirSync(join(ROOT, '.bench-tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.bench-tmp', 'form-keypress-'));
  writeEntityProject(dir, TABLES);
  const project = await Project.open({ cwd: dir, env: {} });
  let renderTimes = [];
  let app;
  try {
    const rendered = await renderApp({ project, cwd: dir, newRevision: NAME }, (ms) => renderTimes.push(ms));
    app = rendered.app;
    const { stdout, stdin } = rendered;
    const waitFor = async (what, test, ms = 60_000) => {
      const deadline = Date.now() + ms;
      while (!test(plain(stdout.recent))) {
        if (Date.now() > deadline) throw new Error(`${what} never showed; last output:\n${plain(stdout.recent).slice(-3000)}`);
        await sleep(20);
      }
    };
    // The form, its name field, and the schema read (the title gains the file name once author() has run).
    await waitFor('the form', (s) => s.includes(`New revision ${NAME}`) && s.includes(`${NAME}.ts`));
    await sleep(500);
    stdin.type(KEYS.enter);
    await waitFor('the operations menu', (s) => s.includes('Add an operation'), 5000);
    await sleep(300);
    stdin.type(KEYS.enter);
    await waitFor('the createTable form', (s) => /› table\b/.test(s), 5000);
    await sleep(300);
    // A table needs a column before the engine plans it (else the preview shows only that problem and draft() stops
    // early): tab to "columns", enter adds the first column (id, primary key) and opens it, esc to the list of
    // columns, esc to the table again, shift-tab to its "table" field.
    const step = async (what, key, test) => {
      stdout.clear();
      stdin.type(key);
      if ((await stdout.frameWhere(test, 5000)) === null) throw new Error(`${what} never showed; last output:\n${plain(stdout.recent).slice(-3000)}`);
      await sleep(300);
    };
    await step('the columns field', KEYS.tab, (s) => /› columns\b/.test(s));
    await step('the first column', KEYS.enter, (s) => /› column +id\b/.test(s));
    await step('the list of columns', KEYS.esc, (s) => /› +1 .*\bid\b/.test(s));
    await step('the createTable form again', KEYS.esc, (s) => /› columns\b/.test(s));
    await step('the table field again', KEYS.shiftTab, (s) => /› table\b/.test(s));
    await sleep(1000);

    /** Presses `count` keys `gap` ms apart; each is timed to the first frame for which `shows(text)` holds. */
    const series = async (label, count, gap, next) => {
      const latencies = [];
      renderTimes = [];
      for (let i = 0; i < count + WARMUP; i++) {
        const { key, shows } = next(i);
        stdout.clear();
        const started = performance.now();
        stdin.type(key);
        const at = await stdout.frameWhere(shows);
        if (at === null) throw new Error(`${label}: no frame showing key ${i} within 2 s; last output:\n${plain(stdout.recent).slice(-3000)}`);
        if (i >= WARMUP) latencies.push(at - started);
        await sleep(gap);
      }
      return { latencies, renderTimes };
    };
    // The focused field's row: "› table        VALUE" then the cursor (an inverse space, a plain space without colour).
    const fieldShows = (value) => (text) => new RegExp(`› table +${value.replace(/[^\w]/g, '\\$&')}( |$|\\n)`, 'm').test(text);
    const typer = nameTyper();
    const typing = (i) => {
      const { key, value } = typer(i);
      return { key, shows: fieldShows(value) };
    };
    const fast = await series('typing, 80 ms apart', presses, 80, typing);
    await sleep(1000);
    const slow = await series('typing, 150 ms apart', presses, 150, typing);
    // Tabs: the draft of the name as it is now is done first.
    await sleep(1500);
    const tabs = ['File', 'SQL sqlite', 'SQL postgresql', 'SQL mysql', 'Entities', 'Lint'];
    const bar = plain(stdout.recent);
    const present = tabs.filter((t) => bar.includes(t));
    let tab = 0;
    const switching = (i) => {
      // Right through all the tabs, then left back through them.
      const right = Math.floor(i / (present.length - 1)) % 2 === 0;
      tab = (tab + (right ? 1 : -1) + present.length) % present.length;
      return { key: right ? KEYS.right : KEYS.left, shows: (text) => text.includes(`[${present[tab]}]`) };
    };
    const tabbing = await series('preview tabs', presses, 80, switching);
    // FORM_BENCH_FRAME=1: the last frame on stderr, to see what was measured.
    if (process.env.FORM_BENCH_FRAME) process.stderr.write(`${plain(stdout.recent).split('\u001B').at(-1) ?? ''}\n`);
    return { fast, slow, tabbing, tabs: present };
  } finally {
    app?.unmount();
    await project.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchForm({ presses = 120 } = {}) {
  const { fast, slow, tabbing } = await formLatency({ presses });
  const rows = [];
  const add = (what, { latencies, renderTimes }) => {
    const n = latencies.length;
    rows.push(
      {
        name: `form (preview open), 50 tables: ${what}, key press → new frame, p95`,
        value: round(percentile(latencies, 95)),
        unit: 'ms',
        target: '≤ 16 ms',
      },
      {
        name: `form (preview open), 50 tables: ${what}, key press → new frame, median (n=${n})`,
        value: round(percentile(latencies, 50)),
        unit: 'ms',
      },
      { name: `form (preview open), 50 tables: ${what}, key press → new frame, max`, value: round(Math.max(...latencies)), unit: 'ms' },
      { name: `form (preview open), 50 tables: ${what}, Ink render of one frame, p95`, value: round(percentile(renderTimes, 95)), unit: 'ms' },
    );
  };
  add('typing a table name, keys 80 ms apart', fast);
  add('typing a table name, keys 150 ms apart (draft runs between keys)', slow);
  add('← → preview tabs', tabbing);
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--presses');
  const results = await benchForm({ presses: i >= 0 ? Number(process.argv[i + 1]) : 120 });
  for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}

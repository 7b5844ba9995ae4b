#!/usr/bin/env node
// `npm run bench`: the numbers of DESIGN §8 that exist so far, each as a ratio against its peer measured in the
// same run on the same machine (interleaved rounds, median and spread), written to bench/RESULTS.md.
//
//   node bench/run.js [--only cold,status2000,apply200,pg,realsize,tui,authoring,form,newspec,backfill,v7,formkeys,fleet,verify] [--reps N] [--no-build] [--strict]
//
// --reps N   rounds per benchmark (default 7 for the status benchmarks, 5 for the apply ones, 3 for the 1,000,000-row
//            backfill on a server and 7 on SQLite, where a run takes a second: the run stays under 5 min, the backfill
//            under 6 more on a fast machine)
// --strict   exit 1 when a target is missed (by default only an error is a failure)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { distIsStale } from '../scripts/dist.mjs';
import { apply200 } from './cases/apply-200.js';
import { BACKFILL_TEXT, backfillOn, backfillTui } from './cases/backfill.js';
import { coldStatus } from './cases/cold-status.js';
import { FLEET_TEXT, fleetMariaDbRows, fleetRows, fleetWorkerRows } from './cases/fleet.js';
import { formKeys } from './cases/form-keys.js';
import { newSpec } from './cases/new-spec.js';
import { realSize } from './cases/real-size.js';
import { status2000 } from './cases/status-2000.js';
import { childRows, tuiRows } from './cases/tui.js';
import { V7_TEXT, v7Rows } from './cases/v7.js';
import { VERIFY_TEXT, verifyExample, verifyRealSize } from './cases/verify.js';
import { fmtMs, loadText, log, machine, mysqlAvailable, pgAvailable, ROOT, TMP_ROOT, removeDir } from './lib/util.js';

const ALL = [
  'cold',
  'status2000',
  'apply200',
  'pg',
  'realsize',
  'tui',
  'authoring',
  'form',
  'newspec',
  'backfill',
  'v7',
  'formkeys',
  'fleet',
  'verify',
];

function parseOptions(argv) {
  const options = { only: ALL, reps: undefined, build: true, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--only')
      options.only = value()
        .split(',')
        .map((s) => s.trim());
    else if (flag === '--reps') options.reps = Number(value());
    else if (flag === '--no-build') options.build = false;
    else if (flag === '--strict') options.strict = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  for (const name of options.only) if (!ALL.includes(name)) throw new Error(`unknown benchmark ${name} (${ALL.join(', ')})`);
  if (options.reps !== undefined && !(options.reps >= 1)) throw new Error('--reps needs a number ≥ 1');
  return options;
}

/** The commit measured, and whether src/ had uncommitted changes (read-only git queries). */
function codeVersion() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'src', 'bin').length > 0;
    return `${head}${dirty ? ' with uncommitted changes in src/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Builds dist/ when it is missing or older than src/, so the numbers are of the code in the tree. */
function ensureBuilt(build) {
  const main = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  if (!distIsStale()) return undefined;
  if (!build) throw new Error('dist/ is missing or older than src/; run `npm run build` (or drop --no-build)');
  log('building dist/ (tsc -p tsconfig.build.json)…');
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  } catch (error) {
    // tsc still writes JavaScript when it finds type errors; measure that, and say so.
    if (!existsSync(main)) throw error;
    return 'tsc reported type errors while building dist/; the figures are of the JavaScript it emitted anyway.';
  }
  return undefined;
}

// ---- formatting ---------------------------------------------------------------------------------------------------

const range = (s) => `${fmtMs(s.min)}–${fmtMs(s.max)}`;
const cellMs = (s) => (s ? `${fmtMs(s.median)} (${range(s)}, n=${s.n})` : '—');
const cellRatio = (r) => (r ? `**${r.value.toFixed(2)}×** (rounds ${r.rounds.min.toFixed(2)}–${r.rounds.max.toFixed(2)})` : '—');

function targetText(row) {
  if (row.targetText !== undefined) return row.targetText || '—';
  if (!row.target) return '—';
  return row.target.kind === 'ratio' ? `≤ ${row.target.max}×` : `≤ ${fmtMs(row.target.max)}`;
}

function verdict(row) {
  if (row.error) return 'ERROR';
  if (row.pass !== undefined) return row.pass ? 'pass' : 'FAIL';
  if (!row.target) return 'info';
  const value = row.target.kind === 'ratio' ? row.ratio?.value : row.ours?.median;
  if (value === undefined) return 'info';
  return value <= row.target.max ? 'pass' : 'FAIL';
}

function tableRow(row) {
  if (row.error) return `| ${row.what} | — | — | — | ${targetText(row)} | ERROR: ${row.error.split('\n')[0].replace(/\|/g, '\\|')} |`;
  const what = row.primary ? `${row.what} ★` : row.what;
  if (row.value !== undefined) {
    // A value in its own unit (a TUI line, a batch, memory), no peer unless it gave one.
    const v = `${row.value} ${row.unit}`.trim();
    const peer = row.peerValue !== undefined ? `${row.peerValue} ${row.unit}`.trim() : '—';
    const r = row.peerValue ? `${(row.value / row.peerValue).toFixed(2)}×` : '—';
    return `| ${what} | ${v} | ${peer} | ${r} | ${targetText(row)} | ${verdict(row)} |`;
  }
  return `| ${what} | ${cellMs(row.ours)} | ${cellMs(row.peer)} | ${cellRatio(row.ratio)} | ${targetText(row)} | ${verdict(row)} |`;
}

function consoleLine(row) {
  if (row.error) return `${row.id}: ERROR ${row.error.split('\n')[0]}`;
  if (row.value !== undefined) return `${row.what}: ${row.value} ${row.unit} (target ${targetText(row)}) ${verdict(row)}`;
  const parts = [`${row.id}: ours ${fmtMs(row.ours.median)}`];
  if (row.peer) parts.push(`peer ${fmtMs(row.peer.median)}`, `ratio ${row.ratio.value.toFixed(2)}×`);
  return `${parts.join(', ')} (target ${targetText(row)}) ${verdict(row)}`;
}

const REAL_SIZE_TEXT = `- **real-size history** (issue 18): a generated project (bench/lib/real-project.js) with 44 revisions of a shop's
  schema as MikroORM's \`migration:create\` writes them for the database (\`this.addSql(\\\`…\\\`)\`, MikroORM's types, quoting
  and constraint names): 12 tables with foreign keys, indexes, unique and enum/check constraints, then columns, indexes
  and foreign keys added later. Each run gets a fresh database (untimed), then times two whole processes, spawn to
  exit: ours \`migrate-ui up\` and \`migrate-ui down base --yes\` (\`--yes\`: a shell that cannot ask needs it to drop
  tables), MikroORM's \`migration:up\` and \`migration:down --to 0\` run as \`node --import tsx …/@mikro-orm/cli/esm.js\`
  (ALWAYS_ALLOW_TS as above), each with its defaults (ours one transaction per revision, MikroORM's one for the run).
  Whole processes, not the in-process calls of apply 200: process start, config, transpiling the revisions, MikroORM's
  init, the lock and the bookkeeping are what a deploy waits for at this size. Each run's output must name all 44.
`;

/** "How each is measured": each paragraph with its title (as bolded) and the benchmarks whose rows it explains. */
const MEASURED = [
  {
    title: 'Interleaving.',
    benches: [],
    text: `- **Interleaving.** Every benchmark runs all its contenders once per round, the order rotated each round, after one
  discarded warm-up round; ratios are taken within the run, never against numbers from elsewhere.
`,
  },
  {
    title: 'cold status',
    benches: ['cold', 'v7'],
    text: `- **cold status** (issue 2): a fresh temp SQLite file with the bundled example's six revisions applied (by
  \`migrate-ui up\`, untimed). Ours: \`node bin/migrate-ui.js status --json --db sqlite:FILE\` from the repository root.
  Peer: MikroORM's CLI (\`@mikro-orm/cli\` 6.6.16) \`migration:list\` with the example's config on the same file
  (a two-line config that imports \`mikro-orm.config.ts\` and sets \`dbName\`), run as
  \`MIKRO_ORM_CLI_ALWAYS_ALLOW_TS=1 node --import tsx node_modules/@mikro-orm/cli/esm.js migration:list\` (one
  process; MikroORM does not detect \`--import tsx\`, hence ALWAYS_ALLOW_TS) and, second row, through tsx's CLI
  (\`node node_modules/tsx/dist/cli.mjs node_modules/@mikro-orm/cli/esm.js migration:list\`, what \`npx tsx …\` runs
  minus npx's own start-up). Wall clock from spawn to exit of each process.
`,
  },
  {
    title: 'status with 2,000 revisions',
    benches: ['status2000'],
    text: `- **status with 2,000 revisions**: a generated project (bench/lib/project.js: the example's config pattern, 2,000
  files each \`create table t_N (id integer primary key)\`), 1,000 applied first with \`migrate-ui up +1000\` (untimed),
  then \`migrate-ui status --json\` as a fresh process; the first run's JSON is checked (2,000 revisions, 1,000 applied,
  1,000 pending). For reference, MikroORM's CLI \`migration:list\` and \`migration:pending\` on the same project.
`,
  },
  {
    title: 'apply 200 revisions',
    benches: ['apply200', 'pg', 'v7'],
    text: `- **apply 200 revisions**: 200 such files, a fresh database per run (a new SQLite file; on PostgreSQL a new
  database, dropped afterwards). Each run is one process (bench/lib/apply-inproc.js) that first opens the project and
  then times **only the apply call**: ours \`project.runner().run({ direction: 'up' })\` (lock, bookkeeping tables,
  timeline, all 200 revisions, checksums), the peer \`orm.migrator.up()\` after
  \`MikroORM.init({ ...config, extensions: [Migrator] })\` (its table, executed list, files, all 200 revisions). Both
  import the .ts revisions through tsx; neither prints per revision (MikroORM with \`migrations.silent\`). MikroORM's
  default is one transaction for the whole run (\`allOrNothing: true\`), migrate-ui's one per revision: the ★ row
  compares each tool's default, the next two rows compare like for like.
`,
  },
  { title: 'real-size history', benches: ['realsize'], text: REAL_SIZE_TEXT },
  {
    title: 'authoring rows',
    benches: ['authoring'],
    text: '- **authoring rows** come from `bench/authoring-draft.js`: a SQLite project with 50 tables and their EntitySchema\n  entities; the engine as the form will call it on every change, 60 rounds after 5 discarded. `author()` is\n  validation, plan and file; `draft()` adds the SQL on all three databases, the lint and the entity edits (ts-morph).\n',
  },
  {
    title: 'form rows',
    benches: ['form'],
    text: '- **form rows** come from `bench/form-keypress.js`: the same 50-table project, the app rendered as the TUI rows\n  render it (its MAX_FPS, 100×30) with the form open (`newRevision`) and a createTable with one column; each key is\n  timed from stdin to the first frame showing its effect: typing the table name 80 ms apart (under the 120 ms draft\n  delay), 150 ms apart (the draft runs between keys), and ← → over the preview tabs; 10 warm-up keys per series.\n',
  },
  {
    title: 'new --spec',
    benches: ['newspec'],
    text: "- **new --spec** comes from `bench/cases/new-spec.js`: a fresh copy of the bundled example per run (its revisions\n  applied, untimed), then `migrate-ui new --spec --json` with 5,000 operations (1,000 new tables, each created and given\n  a column, an index, a foreign key to users and a renamed column) as one process, spawn to exit: validation, plan, file,\n  SQL on three databases, lint, 1,000 entity files and the config's registry written.\n",
  },
  {
    title: 'TUI rows',
    benches: ['tui'],
    text: '- **TUI rows** come from `bench/tui-keypress.*` (run as a child process when it exists): its own JSON lines\n  `{ name, value, unit, target }`, shown as it reports them.\n',
  },
  { title: 'backfill', benches: ['backfill'], text: BACKFILL_TEXT },
  { title: 'MikroORM 7', benches: ['v7'], text: V7_TEXT },
  { title: 'fleet', benches: ['fleet'], text: FLEET_TEXT },
  { title: 'verify', benches: ['verify'], text: VERIFY_TEXT },
];

// ---- keeping the rows of the benchmarks a partial run skips ------------------------------------------------------

const RESULTS = join(ROOT, 'bench', 'RESULTS.md');
/** Hidden in a row's first cell: its id, its benchmark, and the code and date it was measured at. */
const ROW_MARK = /<!-- (?:row:(.+?) bench:(\S+) )?measured:(.+?) -->/;
const KEPT = ' *(kept: measured at ';

/**
 * The table rows, "how measured" paragraphs and raw samples of the RESULTS.md on disk. A row written before rows
 * carried their mark has no id nor benchmark: it is known by its `what`, measured at the file's "code measured".
 */
function readEarlier() {
  if (!existsSync(RESULTS)) return undefined;
  const text = readFileSync(RESULTS, 'utf8');
  const header = (name) => new RegExp(`^\\| ${name} \\| (.*) \\|$`, 'm').exec(text)?.[1] ?? 'unknown';
  const fileMeasured = `${header('code measured')} on ${header('date')}`;
  const section = (title) => text.split(/^## /m).find((part) => part.startsWith(`${title}\n`)) ?? '';
  const rows = section('Results')
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| what |'))
    .map((line) => {
      const mark = ROW_MARK.exec(line);
      const what = line
        .split(/(?<!\\)\|/)[1]
        .replace(ROW_MARK, '')
        .split(KEPT)[0]
        .replace(/ ★$/, '')
        .trim();
      return { line, what, id: mark?.[1], bench: mark?.[2], measured: mark?.[3] ?? fileMeasured };
    });
  const paragraphs = new Map();
  for (const block of section('How each is measured').split(/^(?=- )/m)) {
    const title = /^- \*\*(.+?)\*\*/.exec(block)?.[1];
    if (title) paragraphs.set(title, `${block.trimEnd()}\n`);
  }
  const samples = section('Raw samples (ms, in round order)')
    .split('\n')
    .filter((line) => line.startsWith('- `'))
    .map((line) => ({ line, id: /^- `([^`]+)`/.exec(line)[1] }));
  return { rows, paragraphs, samples };
}

/**
 * What a partial run keeps of `earlier`: the rows of the benchmarks it did not run (a row without a benchmark, from
 * before the marks, unless this run wrote a row or attempted a part of the same `what`), their samples and paragraphs.
 */
function keptOf(earlier, ran, rows, attempted) {
  if (!earlier) return { rows: [], samples: [], paragraphs: new Map() };
  const whats = new Set([...rows.map((r) => r.what), ...attempted]);
  const ids = new Set(rows.map((r) => r.id));
  // A row from before the marks goes too once a later run measured the same `what` (a marked row of the file).
  const remeasured = new Set(earlier.rows.filter((r) => r.bench).map((r) => r.what));
  const kept = earlier.rows.filter((r) => (r.bench ? !ran.includes(r.bench) : !whats.has(r.what) && !remeasured.has(r.what)));
  const keptIds = new Set(kept.map((r) => r.id));
  const legacy = kept.some((r) => !r.bench);
  const samples = earlier.samples.filter((s) => keptIds.has(s.id) || (legacy && !ids.has(s.id)));
  return { rows: kept, samples, paragraphs: earlier.paragraphs };
}

/** A kept row's line, saying (once) when it was measured; a row from before the marks gets one. */
function keptLine(row) {
  const end = row.line.indexOf(' |', 2);
  const marked = row.line.includes('<!-- ') ? row.line : `| <!-- measured:${row.measured} -->${row.line.slice(1)}`;
  if (row.line.includes(KEPT)) return marked;
  const cut = marked.length - row.line.length + end;
  return `${marked.slice(0, cut)}${KEPT}${row.measured})*${marked.slice(cut)}`;
}

function renderResults(m, rows, notes, elapsedMs, ran, kept) {
  const measuredAt = `${m.code} on ${m.date}`;
  const line = (row) => tableRow(row).replace(/^\| /, `| <!-- row:${row.id} bench:${row.bench} measured:${measuredAt} --> `);
  // This run's rows in benchmark order, each skipped benchmark's kept rows in its place; rows from before the marks first.
  const table = [
    ...kept.rows.filter((r) => !r.bench).map(keptLine),
    ...ALL.flatMap((bench) =>
      ran.includes(bench) ? rows.filter((r) => r.bench === bench).map(line) : kept.rows.filter((r) => r.bench === bench).map(keptLine),
    ),
  ];
  const legacy = kept.rows.some((r) => !r.bench);
  const measured = MEASURED.filter(
    (p) =>
      !p.benches.length ||
      rows.some((r) => p.benches.includes(r.bench)) ||
      kept.rows.some((r) => p.benches.includes(r.bench)) ||
      (legacy && kept.paragraphs.has(p.title)),
  ).map((p) => (p.benches.some((b) => ran.includes(b)) ? p.text : (kept.paragraphs.get(p.title) ?? p.text)));
  const samples = rows
    .filter((r) => r.ours && !r.error)
    .map((r) => {
      const fmt = (s) => s.values.map((v) => Math.round(v)).join(', ');
      return `- \`${r.id}\`: ours [${fmt(r.ours)}] ms${r.peer ? `; peer [${fmt(r.peer)}] ms; per-round ratios ${r.ratio.rounds.values.map((v) => v.toFixed(2)).join(', ')}` : ''}; spread ours ${r.ours.spreadPct.toFixed(0)}%${r.peer ? `, peer ${r.peer.spreadPct.toFixed(0)}%` : ''}`;
    });
  samples.push(...kept.samples.map((s) => s.line));
  return `# Benchmark results

Generated by \`npm run bench\` (\`node bench/run.js\`) on ${m.date}; the whole run took ${fmtMs(elapsedMs)}.
Regenerate it with \`npm run bench\`; do not edit by hand.

## Machine

| | |
|---|---|
| CPU | ${m.cpu} |
| cores | ${m.cores} |
| memory | ${m.memoryGiB} GiB |
| Node.js | ${m.node} |
| OS | ${m.platform} |
| date | ${m.date} |
| code measured | ${m.code} |
| load average (1/5/15 min) | at start ${m.load}; at end ${loadText()} |

## Results

Each timing cell is the median, then (min–max, number of runs). The ratio is ours ÷ peer of the medians; "rounds" is
the range of the ratios of runs made in the same round (ours and its peer back to back). ★ marks the figure the
target of DESIGN §8 is judged on; the other rows show the same run from other angles.

| what | ours | peer | ratio | target | result |
|---|---|---|---|---|---|
${table.join('\n')}

## How each is measured

${measured.join('')}${notes.length ? `\n## Notes\n\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}
## Raw samples (ms, in round order)

${samples.join('\n')}
`;
}

// ---- main ---------------------------------------------------------------------------------------------------------

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const buildNote = ensureBuilt(options.build);
  const m = { ...machine(), code: codeVersion() };
  log(`migrate-ui benchmarks on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}`);
  const rows = [];
  const notes = [];
  const sections = [];
  if (buildNote) notes.push(buildNote);
  if (options.only.length < ALL.length) notes.push(`Partial run: only ${options.only.join(', ')} (node bench/run.js --only …).`);
  if (options.reps !== undefined) notes.push(`Rounds per benchmark set by --reps ${options.reps}.`);
  const want = (name) => options.only.includes(name);
  /** Runs one part of benchmark `bench`; its rows, or one row with its error, carry the benchmark's name. */
  const attempted = [];
  const attempt = async (bench, id, what, fn) => {
    attempted.push(what);
    const t0 = Date.now();
    try {
      const result = await fn();
      for (const row of result) {
        rows.push({ ...row, bench });
        log(`  → ${consoleLine(row)}`);
      }
    } catch (error) {
      const row = { id, what, bench, error: String(error?.stack ?? error) };
      rows.push(row);
      log(`  → ${id}: ERROR\n${row.error}`);
    }
    sections.push(`${id} ${fmtMs(Date.now() - t0)}`);
  };

  if (want('cold')) {
    log('1. cold status --json vs MikroORM CLI migration:list');
    await attempt('cold', 'cold-status', 'cold `status --json` vs `mikro-orm migration:list`', () => coldStatus({ reps: options.reps ?? 7 }));
  }
  if (want('status2000')) {
    log('2. status --json with 2,000 revisions');
    await attempt('status2000', 'status-2000', '`status --json` with 2,000 revisions', () => status2000({ reps: options.reps ?? 7 }));
  }
  const setupNote = (dialect, setupMs) => {
    const med = (a) => (a.length ? fmtMs([...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]) : '—');
    notes.push(
      `apply 200 (${dialect}): opening the project before the timed call took a median ${med(setupMs.ours)} for migrate-ui ` +
        `(process start, tsx, config, connect) and ${med(setupMs.peer)} for MikroORM (process start with tsx, config, MikroORM.init).`,
    );
  };
  if (want('apply200')) {
    log('3. apply 200 revisions vs migrator.up() (SQLite)');
    await attempt('apply200', 'apply-200-sqlite', 'apply 200 revisions, SQLite', async () => {
      const { rows: r, setupMs } = await apply200({ reps: options.reps ?? 5, dialect: 'sqlite' });
      setupNote('SQLite', setupMs);
      return r;
    });
  }
  if (want('pg')) {
    if (await pgAvailable()) {
      log('3b. apply 200 revisions vs migrator.up() (PostgreSQL)');
      await attempt('pg', 'apply-200-postgresql', 'apply 200 revisions, PostgreSQL', async () => {
        const { rows: r, setupMs } = await apply200({ reps: options.reps ?? 5, dialect: 'postgresql' });
        setupNote('PostgreSQL', setupMs);
        return r;
      });
    } else {
      notes.push('PostgreSQL was not reachable (MIGRATE_UI_BENCH_PG or postgres://postgres@127.0.0.1:5432): its apply benchmark was skipped.');
      log('  PostgreSQL not reachable: skipped');
    }
  }
  if (want('realsize')) {
    log("4. a real-size history: up and down base, migrate-ui vs MikroORM's CLI, on each database");
    const reachable = { sqlite: true, postgresql: await pgAvailable(), mariadb: await mysqlAvailable() };
    for (const [dialect, up] of Object.entries(reachable)) {
      if (!up) {
        notes.push(`${dialect} was not reachable: its real-size benchmark was skipped.`);
        continue;
      }
      await attempt('realsize', `real-size-${dialect}`, `real-size history, ${dialect}`, () => realSize(dialect, { reps: options.reps ?? 5 }));
    }
  }
  if (want('tui')) {
    await attempt('tui', 'tui', 'TUI key press → frame (bench/tui-keypress.*)', () => tuiRows());
  }
  if (want('authoring')) {
    log('5. the authoring engine on a 50-table project');
    await attempt('authoring', 'authoring', 'authoring engine, 50 tables (bench/authoring-draft.js)', () =>
      // tsx: the project's config is TypeScript.
      childRows(join(ROOT, 'bench', 'authoring-draft.js'), 'authoring', { tsx: true }),
    );
  }
  if (want('form')) {
    log('6. key press → frame in the authoring form, 50-table project');
    await attempt('form', 'form', 'form key press → frame, 50 tables (bench/form-keypress.js)', () =>
      // tsx: the project's config is TypeScript.
      childRows(join(ROOT, 'bench', 'form-keypress.js'), 'form', { tsx: true }),
    );
  }
  if (want('formkeys')) {
    log('6c. keys to add a nullable column and an index on it in the form');
    await attempt('formkeys', 'form-keys', 'form: keys to add a nullable, indexed column', () => formKeys());
  }
  if (want('newspec')) {
    log('6b. new --spec with 5,000 operations');
    await attempt('newspec', 'new-spec-5000', 'new --spec with 5,000 operations', () => newSpec({ reps: options.reps ?? 3 }));
  }
  if (want('backfill')) {
    log('7. backfill 1,000,000 rows, `migrate-ui up` vs the floor of committing batches and one UPDATE, on each database; from the TUI vs headless');
    const reps = options.reps ?? 3;
    // A SQLite run takes about a second against 5-20 s on a server, and the TUI's margin is a few tens of ms in ±10%
    // noise: more rounds there, for a steadier median.
    const repsOn = (dialect) => (dialect === 'sqlite' ? Math.max(reps, 7) : reps);
    const reachable = { sqlite: true, postgresql: await pgAvailable(), mariadb: await mysqlAvailable() };
    for (const [dialect, up] of Object.entries(reachable)) {
      if (!up) {
        const variable = dialect === 'postgresql' ? 'MIGRATE_UI_BENCH_PG' : 'MIGRATE_UI_BENCH_MYSQL';
        notes.push(`${dialect} was not reachable (${variable}): its backfill benchmark was skipped.`);
        continue;
      }
      await attempt('backfill', `backfill-${dialect}`, `backfill 1,000,000 rows, ${dialect}`, async () => {
        const result = await backfillOn(dialect, { reps: repsOn(dialect) });
        notes.push(...result.notes);
        return result.rows;
      });
    }
    await attempt('backfill', 'backfill-tui', 'backfill from the TUI vs headless', () => backfillTui('sqlite', { reps: repsOn('sqlite') }));
  }
  if (want('v7')) {
    log('8. MikroORM 7.2.1 on Node 22 (compat/v7): cold status vs its CLI migration:list, apply 200 (SQLite) vs its migrator.up()');
    await attempt('v7', 'v7', 'MikroORM 7: cold status and apply 200 (compat/v7)', () =>
      v7Rows({ reps: options.reps, onApplySetup: (setupMs) => setupNote('SQLite, MikroORM 7', setupMs) }),
    );
  }
  if (want('verify')) {
    log('9. verify: the example on SQLite (≤ 3 s), and the real-size history against `up` of it (≤ 2×), on each database');
    await attempt('verify', 'verify-example-sqlite', 'verify, the example, SQLite', () => verifyExample({ reps: options.reps ?? 7 }));
    const reachable = { sqlite: true, postgresql: await pgAvailable(), mariadb: await mysqlAvailable() };
    for (const [dialect, up] of Object.entries(reachable)) {
      if (!up) {
        notes.push(`${dialect} was not reachable: its verify benchmark was skipped.`);
        continue;
      }
      await attempt('verify', `verify-real-size-${dialect}`, `verify, real-size history, ${dialect}`, () =>
        verifyRealSize(dialect, { reps: options.reps ?? 5 }),
      );
    }
  }

  if (want('fleet')) {
    if (await pgAvailable()) {
      log('10. fleet up on PostgreSQL schemas: --concurrency 8 vs one after another');
      await attempt('fleet', 'fleet-postgresql', 'fleet up, PostgreSQL schemas', () => fleetRows({ reps: options.reps ?? 3 }));
      log('10b. fleet up --rollout: three worker processes sharing one rollout vs one');
      await attempt('fleet', 'fleet-workers-postgresql', 'fleet up --rollout, PostgreSQL schemas', () =>
        fleetWorkerRows({ reps: options.reps ?? 3 }),
      );
    } else notes.push('PostgreSQL was not reachable: the fleet benchmark was skipped.');
    if (await mysqlAvailable()) {
      log('10c. fleet up on MariaDB databases: --concurrency 8 vs one after another');
      await attempt('fleet', 'fleet-mariadb', 'fleet up, MariaDB databases', () => fleetMariaDbRows({ reps: options.reps ?? 3 }));
    } else notes.push('MySQL/MariaDB was not reachable: the fleet MariaDB benchmark was skipped.');
  }

  const elapsed = Date.now() - started;
  const busiest = Math.max(Number(m.load.split(' / ')[0]), Number(loadText().split(' / ')[0]));
  if (busiest > m.cores * 0.5) {
    notes.push(
      `Other work was running on the machine (1-minute load average up to ${busiest.toFixed(1)} on ${m.cores} cores): ` +
        'absolute times are inflated and noisier; the interleaved ratios are affected less, but read the spread.',
    );
  }
  notes.push(`Time per benchmark, set-up included: ${sections.join(', ')}.`);
  // A partial run keeps what RESULTS.md has of the other benchmarks; a full run rewrites it all.
  const kept = keptOf(options.only.length < ALL.length ? readEarlier() : undefined, options.only, rows, attempted);
  if (kept.rows.length) {
    notes.push(
      'Rows marked "kept" are from earlier runs (the commit and date in each) of benchmarks this run did not run; ' +
        "that run's notes are in its commit's bench/RESULTS.md.",
    );
  }
  writeFileSync(RESULTS, renderResults(m, rows, notes, elapsed, options.only, kept));
  log(`\nwrote bench/RESULTS.md (${fmtMs(elapsed)})`);
  process.stdout.write(`${rows.map(consoleLine).join('\n')}\n`);
  const errors = rows.some((r) => r.error);
  const failed = rows.some((r) => verdict(r) === 'FAIL');
  return errors || (options.strict && failed) ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  log(`bench: ${error?.message ?? error}`);
  process.exitCode = 2;
} finally {
  // Temp projects of this run are removed by each benchmark; drop the parent when nothing else is in it.
  try {
    if (existsSync(TMP_ROOT) && readdirSync(TMP_ROOT).length === 0) removeDir(TMP_ROOT);
  } catch {
    // Leave it.
  }
}

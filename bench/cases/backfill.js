// Benchmark 4 (issue 10): the bundled example's backfill (`backfill_feature_slug`: slug = lower(name) where slug is
// null, in batches) over 1,000,000 rows of `features`, on each database:
//   - its `up` (headless) vs the one UPDATE it adds up to, on the same fresh rows, same database and connection settings;
//   - the longest batch of that `up` (the lastBatchMs of its batch:progress events);
//   - the peak memory (max RSS) of the process that ran it, at 1,000,000 rows vs 100,000;
//   - the same `up` from the TUI (select, u, y, until "✓ done") vs headless, on one database.
// Every run is a child process (bench/lib/backfill-inproc.js) on a database of its own, seeded just before by another
// child (untimed), that opens the project first and times only the call.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMysqlDatabase,
  createPgDatabase,
  interleave,
  log,
  makeTempDir,
  median,
  ratio,
  removeDir,
  ROOT,
  runJsonProcess,
  stats,
} from '../lib/util.js';

const HARNESS = join(ROOT, 'bench', 'lib', 'backfill-inproc.js');
const LABEL = { sqlite: 'SQLite', postgresql: 'PostgreSQL', mariadb: 'MariaDB' };
const number = (n) => n.toLocaleString('en-US');

/** A fresh database for one run (a new SQLite file in `dir`, a new server database), and its removal. */
async function freshDatabase(dialect, dir, n) {
  if (dialect === 'sqlite') {
    const file = join(dir, `run-${n}.sqlite`);
    return { url: `sqlite:${file}`, drop: async () => rmSync(file, { force: true }) };
  }
  return dialect === 'postgresql' ? createPgDatabase('mui_backfill') : createMysqlDatabase('mui_backfill');
}

/** A function that runs the harness in `mode` on a fresh database seeded with `rows` rows, and returns what it printed. */
function freshRuns(dialect, dir) {
  let n = 0;
  return async (mode, rows) => {
    const db = await freshDatabase(dialect, dir, ++n);
    try {
      await runJsonProcess(process.execPath, [HARNESS, 'seed', db.url, String(rows)], { timeoutMs: 300_000 });
      return await runJsonProcess(process.execPath, [HARNESS, mode, db.url], { timeoutMs: 600_000 });
    } finally {
      await db.drop();
    }
  };
}

/** Interleaved rounds of the given modes at `rows` rows; returns each mode's timings and what each run printed. */
async function rounds(run, modes, rows, reps) {
  const runs = Object.fromEntries(modes.map((mode) => [mode, []]));
  const contenders = Object.fromEntries(
    modes.map((mode) => [
      mode,
      async () => {
        const result = await run(mode, rows);
        runs[mode].push(result);
        return result.ms;
      },
    ]),
  );
  // No discarded round at this size: the runs at 100,000 rows before (backfillOn) warmed up the same code and database.
  return { timings: await interleave(contenders, { reps, warmup: 0 }), runs };
}

/** The ratio, longest batch and memory of the backfill on one database. */
export async function backfillOn(dialect, { reps, rows = 1_000_000, smallRows = 100_000 }) {
  const dir = makeTempDir(`backfill-${dialect}`);
  const label = LABEL[dialect];
  try {
    const run = freshRuns(dialect, dir);
    log(`  backfill (${label}): 2 runs at ${number(smallRows)} rows, then ${reps} interleaved rounds at ${number(rows)}…`);
    const small = [await run('ours', smallRows), await run('ours', smallRows)];
    // On PostgreSQL the committed batches themselves cost more than one UPDATE: the floor runs in the same rounds.
    const floor = dialect === 'postgresql';
    const { timings, runs } = await rounds(run, floor ? ['ours', 'peer', 'batches'] : ['ours', 'peer'], rows, reps);
    const longest = runs.ours.map((r) => Math.max(...r.batchMs));
    const rss = Math.max(...runs.ours.map((r) => r.maxRssMB));
    const smallRss = Math.max(...small.map((r) => r.maxRssMB));
    const notes = [
      `backfill (${label}), per run of \`up\` at ${number(rows)} rows: longest batch ${longest.join(', ')} ms, ` +
        `batches ${runs.ours.map((r) => r.batchMs.length).join(', ')}, max RSS ${runs.ours.map((r) => Math.round(r.maxRssMB)).join(', ')} MB ` +
        `(at ${number(smallRows)} rows: ${small.map((r) => Math.round(r.maxRssMB)).join(', ')} MB); opening the project before the timed ` +
        `call took a median ${Math.round(median(runs.ours.map((r) => r.setupMs)))} ms.`,
    ];
    const rssPass = rss <= 1.2 * smallRss && rss <= 200;
    const floorRows = floor
      ? [
          {
            id: `backfill-${dialect}-floor`,
            what: `the floor of committing batches, ${label}: the same key-range UPDATEs by a bare loop (20,000 keys each, each its own transaction, no checkpoint, lock or events) vs the one UPDATE`,
            ours: timings.batches,
            peer: timings.peer,
            ratio: ratio(timings.batches, timings.peer),
            target: null,
          },
          {
            id: `backfill-${dialect}-vs-floor`,
            what: `\`up\` (headless) vs that bare loop, ${label}`,
            ours: timings.ours,
            peer: timings.batches,
            ratio: ratio(timings.ours, timings.batches),
            target: null,
          },
        ]
      : [];
    return {
      rows: [
        {
          id: `backfill-${dialect}`,
          what: `backfill ${number(rows)} rows, ${label}: \`up\` (headless) vs one \`update … set slug = lower(name) where slug is null\``,
          ours: timings.ours,
          peer: timings.peer,
          ratio: ratio(timings.ours, timings.peer),
          target: { kind: 'ratio', max: 1.25 },
          primary: true,
        },
        {
          id: `backfill-${dialect}-batch`,
          what: `longest batch of that \`up\`, ${label} (all ${reps} runs)`,
          value: Math.max(...longest),
          unit: 'ms',
          targetText: '≤ 250 ms',
          pass: Math.max(...longest) <= 250,
          primary: true,
        },
        {
          id: `backfill-${dialect}-memory`,
          what: `max RSS of the process running that \`up\`, ${label}: ${number(rows)} rows (ours) vs ${number(smallRows)} (peer)`,
          value: Math.round(rss),
          peerValue: Math.round(smallRss),
          unit: 'MB',
          targetText: '≤ 1.2×, ≤ 200 MB',
          pass: rssPass,
          primary: true,
        },
        ...floorRows,
      ],
      notes,
    };
  } finally {
    removeDir(dir);
  }
}

/** The backfill run from the TUI vs headless, interleaved, on one database. */
export async function backfillTui(dialect, { reps, rows = 1_000_000 }) {
  const dir = makeTempDir(`backfill-tui-${dialect}`);
  const label = LABEL[dialect];
  try {
    log(`  backfill from the TUI (${label}): ${reps} interleaved rounds at ${number(rows)} rows…`);
    const { timings, runs } = await rounds(freshRuns(dialect, dir), ['tui', 'ours'], rows, reps);
    const inside = stats(runs.tui.map((r) => r.runMs));
    return [
      {
        id: `backfill-tui-${dialect}`,
        what: `same backfill from the TUI (\`y\` → "✓ done" on screen) vs headless, ${label}`,
        ours: timings.tui,
        peer: timings.ours,
        ratio: ratio(timings.tui, timings.ours),
        target: { kind: 'ratio', max: 1.05 },
        primary: true,
      },
      {
        id: `backfill-tui-${dialect}-run`,
        what: `same, the run's own duration inside the TUI (its run:done event) vs headless, ${label}`,
        ours: inside,
        peer: timings.ours,
        ratio: ratio(inside, timings.ours),
        target: { kind: 'ratio', max: 1.05 },
      },
    ];
  } finally {
    removeDir(dir);
  }
}

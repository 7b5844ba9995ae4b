// Benchmark 4 (issues 10 and 18): the bundled example's backfill (`backfill_feature_slug`: slug = lower(name) where slug
// is null, in batches) over 1,000,000 rows of `features`, on each database, as a user runs it: `migrate-ui up` as a
// whole process, spawn to exit, against whole processes that do less on the same fresh rows:
//   - the floor of committing batches: the same key-range UPDATEs in a bare loop, each its own transaction;
//   - the one UPDATE the backfill adds up to;
// both opening the project first as migrate-ui does (node, bootstrap, config, connection), and, for reference, the one
// UPDATE from the database's own command-line client. Also: the longest batch of `up` and its process's peak memory at
// 1,000,000 rows vs 100,000 (from a listener preloaded into it, bench/lib/backfill-probe.js), and the same `up` from
// the TUI vs headless, in-process.
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, fsyncSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  BIN,
  cleanEnv,
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
  timeProcess,
} from '../lib/util.js';

const HARNESS = join(ROOT, 'bench', 'lib', 'backfill-inproc.js');
const PROBE = join(ROOT, 'bench', 'lib', 'backfill-probe.js');
const BACKFILL = 'Migration20260105090000_backfill_feature_slug';
const ONE_UPDATE = 'update features set slug = lower(name) where slug is null';
const LABEL = { sqlite: 'SQLite', postgresql: 'PostgreSQL', mariadb: 'MariaDB' };
/** The floor's batch before any run of ours said its size (about what ours settles at on this machine). */
const FLOOR_BATCH = { sqlite: 120_000, postgresql: 20_000, mariadb: 20_000 };
const RUN_TIMEOUT_MS = 600_000;
const number = (n) => n.toLocaleString('en-US');

/** The method, for bench/RESULTS.md. */
export const BACKFILL_TEXT = `- **backfill** (issues 10 and 18): the bundled example's \`backfill_feature_slug\` (one set-based step:
  \`slug = lower(name)\` where \`slug is null\`, walking the primary key) over 1,000,000 rows of \`features\`, timed as a
  user runs it: \`migrate-ui up ${BACKFILL} --db URL\` as a whole process, spawn to exit (process start, tsx, config,
  connection, the lock, the plan, the revision's file, the row estimate, the batches with their checkpoints, the record,
  the lock's release, closing). Every run gets a fresh database: on SQLite a copy of one seeded file, flushed to disk
  before the run; on a server a new database filled by a child process (the example up to \`add_feature_slug\`, one
  \`insert … select\` from the database's row generator with the rows \`migrate-ui seed\` makes, \`vacuum analyze\` and a
  \`checkpoint\` on PostgreSQL, \`analyze table\` on MariaDB: the statistics a table that has been there a while has).
  Against it, in the same rounds (order rotated), whole processes as well, each opening the project first as
  migrate-ui does (bench/lib/backfill-inproc.js: node, bootstrap, config, connection) on the database as it is set up
  (its own journal mode and commit settings): the **floor** of committing batches, a bare loop that finds each
  batch's end key as ours does and runs the same key-range UPDATE, each in its own transaction, no checkpoint, lock or
  events, at our batch size (the median size of the second half of the batches of our runs before it in the case: our
  ramp from 1,000 rows counts against us); and the **one UPDATE** \`${ONE_UPDATE}\`. For reference, the same UPDATE
  from the database's own client (\`sqlite3\`, \`psql\`, \`mariadb\`), which starts no Node and loads no MikroORM. The
  in-process rows compare the run alone (its \`run:done\` duration, lock to release) with the calls alone. Every run is
  checked afterwards (untimed) for slugs left unset. A listener preloaded into \`up\`
  (\`node --import bench/lib/backfill-probe.js\`) notes each event's time and the process's max RSS: the longest batch is
  the largest \`lastBatchMs\` of all runs (a batch's range read and transaction), memory the largest max RSS at
  1,000,000 rows against that of two runs at 100,000 (run first; no round is discarded). The TUI rows render the app
  as the TUI rows above do (its MAX_FPS, 100×30) on SQLite, move the selection from the current revision to the
  backfill, press \`u\`, then \`y\`, and time \`y\` to the first frame that shows "✓ done" (the app shows it once its
  timeline has caught up, in the frame that ends the run), against headless \`runner.run()\` in the same rounds, both
  in-process after opening the project; the second TUI row is the run's own duration there (its \`run:done\` event).
  The TUI's confirmation has already loaded the revision's file (to show its SQL), which headless \`up\` does inside
  the run.
`;

/** A source of fresh databases with `rows` rows: a new copy of one seeded SQLite file, or a new seeded server database. */
async function freshDatabases(dialect, dir, rows) {
  let n = 0;
  const seeded = async (url) => runJsonProcess(process.execPath, [HARNESS, 'seed', url, String(rows)], { timeoutMs: RUN_TIMEOUT_MS });
  if (dialect === 'sqlite') {
    const template = join(dir, `seeded-${rows}.sqlite`);
    await seeded(`sqlite:${template}`);
    return {
      async next() {
        const file = join(dir, `run-${++n}.sqlite`);
        copyFileSync(template, file);
        // On disk before the run: the kernel's write-back of the copy must not compete with it.
        const fd = openSync(file, 'r+');
        fsyncSync(fd);
        closeSync(fd);
        return { url: `sqlite:${file}`, file, drop: async () => rmSync(file, { force: true }) };
      },
      remove: () => rmSync(template, { force: true }),
    };
  }
  return {
    async next() {
      const db = dialect === 'postgresql' ? await createPgDatabase('mui_backfill') : await createMysqlDatabase('mui_backfill');
      try {
        await seeded(db.url);
      } catch (error) {
        await db.drop();
        throw error;
      }
      return db;
    },
    remove: () => undefined,
  };
}

/** The database's own client running `sql` on `db`, or undefined when it is not installed here. */
function clientCommand(dialect, db, sql) {
  const installed = (command) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
  if (dialect === 'sqlite') return installed('sqlite3') ? ['sqlite3', [db.file, sql]] : undefined;
  if (dialect === 'postgresql') return installed('psql') ? ['psql', [db.url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql]] : undefined;
  const url = new URL(db.url);
  const command = ['mariadb', 'mysql'].find(installed);
  if (!command) return undefined;
  const args = ['-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username), url.pathname.slice(1), '-e', sql];
  if (url.password) args.unshift(`-p${decodeURIComponent(url.password)}`);
  return [command, args];
}

/** What the probe saw in one `up`: its events, the process's exit and max RSS. */
function readProbe(file) {
  const probe = JSON.parse(readFileSync(file, 'utf8'));
  const at = (type) => probe.events.find((e) => e.type === type)?.at;
  const batches = probe.events.filter((e) => e.type === 'batch:progress' && e.state === 'running');
  let previous = 0;
  const rows = batches.map((e) => {
    const n = e.rowsDone - previous;
    previous = e.rowsDone;
    return n;
  });
  return {
    batchMs: batches.map((e) => e.lastBatchMs),
    batchRows: rows,
    runMs: probe.events.find((e) => e.type === 'run:done')?.durationMs,
    phases: {
      locked: at('lock:acquired'),
      stepStart: at('data:step-start'),
      stepDone: at('data:step-done'),
      runDone: at('run:done'),
      exit: probe.exitAt,
    },
    maxRssMB: probe.maxRssMB,
  };
}

/** The runs of one database: `up` (whole process, probed), the floor, the one UPDATE, the client; each on fresh rows. */
function contendersOn(dialect, dir, databases) {
  let n = 0;
  const ourBatches = [];
  /** Our settled batch size so far: the median of the second half of each run's batches (the ramp is in the first). */
  const floorSize = () => {
    const settled = ourBatches.flatMap((rows) => rows.slice(Math.floor(rows.length / 2), -1));
    return settled.length ? Math.round(median(settled)) : FLOOR_BATCH[dialect];
  };
  const checked = async (db, run) => {
    try {
      const result = await run();
      const { left } = await runJsonProcess(process.execPath, [HARNESS, 'verify', db.url], { timeoutMs: RUN_TIMEOUT_MS });
      if (left > 0) throw new Error(`${left} rows were left without their slug`);
      return result;
    } finally {
      await db.drop();
    }
  };
  const harness =
    (mode, extra = []) =>
    async () => {
      const db = await databases.next();
      return checked(db, async () => {
        const { ms, stdout } = await timeProcess(process.execPath, [HARNESS, mode, db.url, ...extra], { timeoutMs: RUN_TIMEOUT_MS });
        return { ms, ...JSON.parse(stdout.trim().split('\n').at(-1)) };
      });
    };
  const contenders = {
    ours: async () => {
      const db = await databases.next();
      const out = join(dir, `probe-${++n}.json`);
      return checked(db, async () => {
        const args = ['--import', PROBE, BIN, 'up', BACKFILL, '--db', db.url];
        const { ms } = await timeProcess(process.execPath, args, { env: cleanEnv({ MUI_PROBE_OUT: out }), timeoutMs: RUN_TIMEOUT_MS });
        const probe = readProbe(out);
        ourBatches.push(probe.batchRows);
        return { ms, ...probe };
      });
    },
    floor: async () => {
      const size = floorSize();
      return { ...(await harness('floor', [String(size)])()), size };
    },
    peer: harness('peer'),
  };
  const client = clientCommand(dialect, { url: 'sqlite:x', file: 'x' }, ONE_UPDATE);
  if (client) {
    contenders.client = async () => {
      const db = await databases.next();
      return checked(db, async () => {
        const [command, args] = clientCommand(dialect, db, ONE_UPDATE);
        return { ms: (await timeProcess(command, args, { timeoutMs: RUN_TIMEOUT_MS })).ms };
      });
    };
  }
  return contenders;
}

/** Interleaved rounds of the given runs (no discarded round); returns each one's timings and what each run returned. */
async function rounds(runs, reps) {
  const results = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
  const timed = Object.fromEntries(
    Object.entries(runs).map(([name, run]) => [
      name,
      async () => {
        const result = await run();
        results[name].push(result);
        return result.ms;
      },
    ]),
  );
  return { timings: await interleave(timed, { reps, warmup: 0 }), results };
}

const pick = (results, field) => stats(results.map((r) => r[field]));
const med = (values) => Math.round(median(values));

/** The ratios, longest batch and memory of the backfill on one database. */
export async function backfillOn(dialect, { reps, rows = 1_000_000, smallRows = 100_000 }) {
  const dir = makeTempDir(`backfill-${dialect}`);
  const label = LABEL[dialect];
  const cleanups = [];
  try {
    const small = await freshDatabases(dialect, dir, smallRows);
    cleanups.push(small.remove);
    log(`  backfill (${label}): 2 runs of up at ${number(smallRows)} rows, then ${reps} interleaved rounds at ${number(rows)}…`);
    const smallRuns = contendersOn(dialect, dir, small);
    const smallResults = [await smallRuns.ours(), await smallRuns.ours()];
    const big = await freshDatabases(dialect, dir, rows);
    cleanups.push(big.remove);
    const { timings: t, results } = await rounds(contendersOn(dialect, dir, big), reps);
    const ours = results.ours;
    const longest = ours.map((r) => Math.max(...r.batchMs));
    const rss = Math.max(...ours.map((r) => r.maxRssMB));
    const smallRss = Math.max(...smallResults.map((r) => r.maxRssMB));
    const runMs = pick(ours, 'runMs');
    const floorCall = pick(results.floor, 'callMs');
    const peerCall = pick(results.peer, 'callMs');
    const phase = (from, to) => med(ours.map((r) => r.phases[to] - (from ? r.phases[from] : 0)));
    const ourSettled = ours.flatMap((r) => r.batchRows.slice(Math.floor(r.batchRows.length / 2), -1));
    const notes = [
      `backfill (${label}), \`migrate-ui up\` at ${number(rows)} rows, medians: process start to the lock ${phase(null, 'locked')} ms, ` +
        `to the first batch ${phase('locked', 'stepStart')} ms more, the batches ${phase('stepStart', 'stepDone')} ms, then the record and ` +
        `release ${phase('stepDone', 'runDone')} ms and the exit ${phase('runDone', 'exit')} ms (whole process ${med(ours.map((r) => r.ms))} ms); ` +
        `the floor and the one UPDATE opened the project in ${med(results.floor.map((r) => r.openedAt))} and ${med(results.peer.map((r) => r.openedAt))} ms. ` +
        `Per run: longest batch ${longest.join(', ')} ms, batches ${ours.map((r) => r.batchMs.length).join(', ')}, settled batch size ` +
        `${number(med(ourSettled))} rows (the floor's: ${results.floor.map((r) => number(r.size)).join(', ')}; its batches ${results.floor.map((r) => r.batches).join(', ')}), ` +
        `max RSS ${ours.map((r) => Math.round(r.maxRssMB)).join(', ')} MB (at ${number(smallRows)} rows: ${smallResults.map((r) => Math.round(r.maxRssMB)).join(', ')} MB).`,
    ];
    // PostgreSQL's committed batches cost more than its one UPDATE (dead index entries that later batches clean up):
    // DESIGN §8 judges it against its floor only.
    const versusUpdate = dialect === 'postgresql' ? null : { kind: 'ratio', max: 1.2 };
    const result = [
      {
        id: `backfill-${dialect}-floor`,
        what: `backfill ${number(rows)} rows, ${label}: \`migrate-ui up\` vs the floor of committing batches (the same key-range UPDATEs in a bare loop, each its own transaction), whole processes`,
        ours: t.ours,
        peer: t.floor,
        ratio: ratio(t.ours, t.floor),
        target: { kind: 'ratio', max: 1.05 },
        primary: true,
      },
      {
        id: `backfill-${dialect}`,
        what: `same vs one \`${ONE_UPDATE}\`, whole processes`,
        ours: t.ours,
        peer: t.peer,
        ratio: ratio(t.ours, t.peer),
        target: versusUpdate,
        primary: versusUpdate !== null,
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
        pass: rss <= 1.2 * smallRss && rss <= 200,
        primary: true,
      },
      ...(t.client
        ? [
            {
              id: `backfill-${dialect}-client`,
              what: `same \`up\` vs that UPDATE from the database's own client (\`${clientCommand(dialect, { url: 'sqlite:x', file: 'x' }, ONE_UPDATE)[0]}\`, no Node), ${label}`,
              ours: t.ours,
              peer: t.client,
              ratio: ratio(t.ours, t.client),
              target: null,
            },
          ]
        : []),
      {
        id: `backfill-${dialect}-run-floor`,
        what: `in-process, ${label}: the run alone (lock to release, its run:done) vs the floor's loop alone`,
        ours: runMs,
        peer: floorCall,
        ratio: ratio(runMs, floorCall),
        target: null,
      },
      {
        id: `backfill-${dialect}-floor-update`,
        what: `in-process, ${label}: the floor's loop alone vs the one UPDATE alone (what committing batches cost here)`,
        ours: floorCall,
        peer: peerCall,
        ratio: ratio(floorCall, peerCall),
        target: null,
      },
    ];
    return { rows: result, notes };
  } finally {
    for (const cleanup of cleanups) cleanup();
    removeDir(dir);
  }
}

/** The backfill run from the TUI vs headless, interleaved, on one database, both in-process after opening the project. */
export async function backfillTui(dialect, { reps, rows = 1_000_000 }) {
  const dir = makeTempDir(`backfill-tui-${dialect}`);
  const label = LABEL[dialect];
  const databases = await freshDatabases(dialect, dir, rows);
  try {
    log(`  backfill from the TUI (${label}): ${reps} interleaved rounds at ${number(rows)} rows…`);
    const inProcess = (mode) => async () => {
      const db = await databases.next();
      try {
        const result = await runJsonProcess(process.execPath, [HARNESS, mode, db.url], { timeoutMs: RUN_TIMEOUT_MS });
        const { left } = await runJsonProcess(process.execPath, [HARNESS, 'verify', db.url], { timeoutMs: RUN_TIMEOUT_MS });
        if (left > 0) throw new Error(`${mode}: ${left} rows were left without their slug`);
        return { ...result, ms: result.ms ?? result.callMs };
      } finally {
        await db.drop();
      }
    };
    const { timings, results } = await rounds({ tui: inProcess('tui'), ours: inProcess('ours') }, reps);
    const inside = stats(results.tui.map((r) => r.runMs));
    return [
      {
        id: `backfill-tui-${dialect}`,
        what: `same backfill from the TUI (\`y\` → "✓ done" on screen) vs headless (\`runner.run()\`), in-process, ${label}`,
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
    databases.remove();
    removeDir(dir);
  }
}

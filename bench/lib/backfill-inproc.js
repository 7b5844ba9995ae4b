// Child process of the backfill benchmark, on the bundled example (the repository root) and the database at DB_URL:
//   node bench/lib/backfill-inproc.js seed DB_URL ROWS   the example up to add_feature_slug, then ROWS rows in features
//   node bench/lib/backfill-inproc.js peer DB_URL        the one UPDATE the backfill adds up to, on the project's connection
//   node bench/lib/backfill-inproc.js floor DB_URL SIZE  the floor of committing batches: the same key-range UPDATEs,
//                                                        SIZE keys each, each in its own transaction, nothing else
//   node bench/lib/backfill-inproc.js ours DB_URL        `up` to backfill_feature_slug through the public API (headless)
//   node bench/lib/backfill-inproc.js tui DB_URL         the same from the TUI: select it, u, y, until "✓ done" shows
//   node bench/lib/backfill-inproc.js verify DB_URL      the rows whose slug is not lower(name), after a run
// Each opens the project first (bootstrap, config, connection: what migrate-ui's own start does), then makes its call.
// peer and floor are timed by the parent as whole processes, spawn to exit, as `migrate-ui up` is; ours and tui are
// the in-process runs the TUI rows compare. Prints one JSON line: { callMs, openedAt, maxRssMB, … } (openedAt: ms from
// the process's start to the project being open; batchMs: each batch's lastBatchMs, from the events).
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { ROOT } from './util.js';

const BACKFILL = 'Migration20260105090000_backfill_feature_slug';
/** What describeDataMigration() shows the backfill's one step as: the statement its batches add up to. */
const ONE_UPDATE = 'update features set slug = lower(name) where slug is null';
const COLUMNS = 'id, user_id, name, description, data, is_active, created_at, updated_at, slug';

/** `rows` rows shaped as `migrate-ui seed` makes them (src/core/seed.ts), from the database's own row generator. */
function seedSql(dialect, rows) {
  const now = Date.now();
  if (dialect === 'sqlite') {
    return `insert into features (${COLUMNS}) with recursive n(i) as (select 0 union all select i + 1 from n where i < ${rows - 1})
      select printf('f%09d', i), 'u' || (i % 1000), 'Feature ' || i || ' Of Chat', null, null, 1, ${now}, ${now}, null from n`;
  }
  if (dialect === 'postgresql') {
    return `insert into features (${COLUMNS}) select 'f' || lpad(i::text, 9, '0'), 'u' || (i % 1000), 'Feature ' || i || ' Of Chat',
      null, null, true, ${now}, ${now}, null from generate_series(0, ${rows - 1}) i`;
  }
  // MariaDB's sequence engine.
  return `insert into features (${COLUMNS}) select concat('f', lpad(seq, 9, '0')), concat('u', seq % 1000), concat('Feature ', seq, ' Of Chat'),
    null, null, 1, ${now}, ${now}, null from seq_0_to_${rows - 1}`;
}

async function seed(project, rows) {
  const result = await project.runner().run({ direction: 'up', target: 'add_feature_slug' });
  if (result.failed) throw new Error(`the example did not apply: ${result.failed.message}`);
  await databaseOf(project).run(seedSql(project.dialect, rows));
  // A table that has been there a while has statistics: autovacuum and InnoDB gather them by themselves. SQLite
  // keeps none unless someone runs ANALYZE.
  if (project.dialect === 'postgresql') await databaseOf(project).run('vacuum analyze features');
  else if (project.dialect !== 'sqlite') await databaseOf(project).run('analyze table features');
  // The seed's pages go to disk now, not in a checkpoint during the timed run after it.
  if (project.dialect === 'postgresql') await databaseOf(project).run('checkpoint');
  return { rows };
}

/** Runs the backfill headless; the batches' durations come from its batch:progress events. */
async function ours(project) {
  const runner = project.runner();
  const batchMs = [];
  runner.events.on('event', (event) => {
    if (event.type === 'batch:progress' && event.state === 'running') batchMs.push(event.lastBatchMs);
  });
  const t0 = performance.now();
  const result = await runner.run({ direction: 'up', target: BACKFILL });
  const callMs = performance.now() - t0;
  if (result.done.join() !== BACKFILL) throw new Error(`up applied [${result.done}] ${result.failed?.message ?? ''}`);
  return { callMs, batchMs };
}

async function peer(project) {
  const t0 = performance.now();
  const rows = await databaseOf(project).run(ONE_UPDATE);
  return { callMs: performance.now() - t0, rows };
}

/**
 * Our walk with nothing of ours around it: end key by offset (as ours finds it), then one UPDATE of the range, each
 * batch committed, on the project's connection as the database is set up (its own journal and commit settings).
 */
async function floor(project, size) {
  const db = databaseOf(project);
  const t0 = performance.now();
  let last = '';
  let batches = 0;
  for (;;) {
    const [end] = await db.query(`select id from features where id > ? order by id limit 1 offset ${size - 1}`, [last]);
    const range = end ? ['id > ? and id <= ?', [last, end.id]] : ['id > ?', [last]];
    await db.transaction((trx) => db.run(`update features set slug = lower(name) where ${range[0]} and slug is null`, range[1], trx));
    batches++;
    if (!end) break;
    last = end.id;
  }
  return { callMs: performance.now() - t0, batches };
}

async function verify(project) {
  const [row] = await databaseOf(project).query('select count(*) as n from features where slug is null or slug <> lower(name)');
  return { left: Number(row.n) };
}

const [mode, dbUrl, arg] = process.argv.slice(2);
const { bootstrap } = await import(pathToFileURL(join(ROOT, 'dist/src/cli/bootstrap.js')).href);
const configPath = join(ROOT, 'mikro-orm.config.ts');
await bootstrap(ROOT, configPath, dbUrl);
const { Project } = await import(pathToFileURL(join(ROOT, 'dist/src/index.js')).href);
// The connection the seed, the peer's UPDATE and the floor's walk run on: the project's own, reached as core reaches it.
const { databaseOf } = await import(pathToFileURL(join(ROOT, 'dist/src/core/project.js')).href);
const project = await Project.open({ cwd: ROOT, configPath, dbUrl, env: {} });
const openedAt = performance.now();
try {
  const modes = {
    seed: () => seed(project, Number(arg)),
    ours,
    peer,
    floor: () => floor(project, Number(arg)),
    verify,
    // Loaded only here: the processes timed whole load nothing they do not use.
    tui: async (p) => (await import('./tui-run.js')).runInTui(p, BACKFILL),
  };
  const run = modes[mode];
  if (!run) throw new Error(`unknown mode ${mode}`);
  const result = await run(project);
  process.stdout.write(`${JSON.stringify({ ...result, openedAt, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
} finally {
  await project.close();
}
// The TUI leaves Ink's handles behind.
process.exit(0);

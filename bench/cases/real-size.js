// Benchmark (issue 18): a real-size history (bench/lib/real-project.js: 44 revisions with tables, foreign keys,
// indexes, unique and enum/check constraints, as MikroORM's `migration:create` writes them) applied with `up` and
// reverted with `down base`, by migrate-ui's CLI and by MikroORM's CLI, each with its defaults, on one database.
// Whole processes, spawn to exit: what a person or a deploy script waits for, and where the costs this case is
// about live (process start, config, transpiling the revisions, MikroORM's init, the lock and bookkeeping), which an
// in-process timing leaves out. Each run gets a fresh database (untimed), then `up` and `down base` are timed in turn;
// ours and MikroORM's alternate, the order rotated each round.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRealProject, REAL_REVISIONS } from '../lib/real-project.js';
import {
  BIN,
  cleanEnv,
  createMysqlDatabase,
  createPgDatabase,
  log,
  MIKRO_CLI,
  makeTempDir,
  ratio,
  removeDir,
  stats,
  timeProcess,
} from '../lib/util.js';

const BASELINE = process.env.MIGRATE_UI_BENCH_BASELINE;
const LABEL = { sqlite: 'SQLite', postgresql: 'PostgreSQL', mariadb: 'MariaDB' };

async function freshDatabase(dialect, dir, n) {
  if (dialect === 'sqlite') {
    const file = join(dir, `run-${n}.sqlite`);
    return { url: `sqlite:${file}`, drop: async () => rmSync(file, { force: true }) };
  }
  return dialect === 'postgresql' ? createPgDatabase('mui_real') : createMysqlDatabase('mui_real');
}

/** Times one command and checks that it did every revision (a run that did less must never count as a fast one). */
async function timed(args, env, dir, pattern) {
  const { ms, stdout, stderr } = await timeProcess(process.execPath, args, { cwd: dir, env, timeoutMs: 300_000 });
  const count = `${stdout}\n${stderr}`.match(pattern)?.length ?? 0;
  if (count !== REAL_REVISIONS) throw new Error(`${args.slice(-3).join(' ')} did ${count} of ${REAL_REVISIONS} revisions\n${stderr.slice(-1500)}`);
  return ms;
}

export async function realSize(dialect, { reps }) {
  const dir = makeTempDir(`real-size-${dialect}`);
  let n = 0;
  try {
    const config = createRealProject(dir, dialect);
    const contender = (commands) => async () => {
      const db = await freshDatabase(dialect, dir, ++n);
      try {
        const env = cleanEnv({ BENCH_DB_URL: db.url, MIKRO_ORM_CLI_CONFIG: config, MIKRO_ORM_CLI_ALWAYS_ALLOW_TS: '1' });
        return { up: await timed(commands.up, env, dir, /applied/gi), down: await timed(commands.down, env, dir, /reverted/gi) };
      } finally {
        await db.drop();
      }
    };
    // `down base` needs --yes in a shell that cannot ask (it drops tables); MikroORM's CLI asks nothing.
    const migrateUi = (bin) => contender({ up: [bin, 'up', '--config', config], down: [bin, 'down', 'base', '--yes', '--config', config] });
    const contenders = {
      ours: migrateUi(BIN),
      // One process with tsx's loader, as in the cold-status case (ALWAYS_ALLOW_TS: MikroORM does not detect `--import tsx`).
      peer: contender({
        up: ['--import', 'tsx', MIKRO_CLI, 'migration:up'],
        down: ['--import', 'tsx', MIKRO_CLI, 'migration:down', '--to', '0'],
      }),
      // Another build of migrate-ui (MIGRATE_UI_BENCH_BASELINE=path/to/bin/migrate-ui.js) in the same rounds: before/after.
      ...(BASELINE ? { baseline: migrateUi(BASELINE) } : {}),
    };
    log(`  real-size history (${dialect}): ${reps} interleaved rounds of ours and MikroORM's CLI, up then down base…`);
    const names = Object.keys(contenders);
    const samples = Object.fromEntries(names.map((name) => [name, { up: [], down: [] }]));
    for (let round = -1; round < reps; round++) {
      const shift = (round + names.length) % names.length;
      const order = [...names.slice(shift), ...names.slice(0, shift)];
      for (const name of order) {
        const result = await contenders[name]();
        if (round < 0) continue;
        samples[name].up.push(result.up);
        samples[name].down.push(result.down);
      }
    }
    const label = LABEL[dialect];
    const row = (step, what) => {
      const ours = stats(samples.ours[step]);
      const peer = stats(samples.peer[step]);
      return { id: `real-size-${dialect}-${step}`, what, ours, peer, ratio: ratio(ours, peer), target: { kind: 'ratio', max: 0.6 }, primary: true };
    };
    const baselineRows = ['up', 'down'].map((step) => {
      if (!BASELINE) return undefined;
      const ours = stats(samples.ours[step]);
      const before = stats(samples.baseline[step]);
      return {
        id: `real-size-${dialect}-${step}-baseline`,
        what: `same \`${step}\`, ${label}: this build vs ${BASELINE}`,
        ours,
        peer: before,
        ratio: ratio(ours, before),
      };
    });
    return [
      ...baselineRows.filter(Boolean),
      row('up', `real-size history (${REAL_REVISIONS} revisions), ${label}: \`migrate-ui up\` vs \`mikro-orm migration:up\`, whole processes`),
      row('down', `same, ${label}: \`migrate-ui down base --yes\` vs \`mikro-orm migration:down --to 0\``),
    ];
  } finally {
    removeDir(dir);
  }
}

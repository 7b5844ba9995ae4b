// Benchmark 2: `migrate-ui status --json` with 2,000 revisions on disk, 1,000 of them applied (by migrate-ui up +1000),
// as a fresh process. Target: absolute. Also relative to MikroORM's CLI `migration:list` (reads the table) and
// `migration:pending` (reads the table and the folder) on the same project and database.
// What esbuild's syntax check and the lint found for a file's text is kept between runs in the user's temp folder
// (src/core/check-cache.ts): the set-up's `up` and the warm-up round fill it, as any earlier run would. The row
// "temp folder empty" runs each time with TMPDIR set to a new empty folder, so esbuild and the lint see the 1,000
// pending files anew (and tsx transforms the config again): a first run on a machine.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRevisionProject } from '../lib/project.js';
import { BIN, MIKRO_CLI, cleanEnv, interleave, log, makeTempDir, ratio, removeDir, timeProcess } from '../lib/util.js';

export const REVISIONS = 2000;

export async function status2000({ reps }) {
  const dir = makeTempDir('status-2000');
  try {
    const configPath = createRevisionProject(dir, REVISIONS);
    const db = join(dir, 'bench.sqlite');
    const env = cleanEnv({ BENCH_DB: db });
    log(`  status 2000: applying ${REVISIONS / 2} of ${REVISIONS} revisions (set-up, not timed)…`);
    const setup = await timeProcess(process.execPath, [BIN, 'up', `+${REVISIONS / 2}`, '--json'], { cwd: dir, env, timeoutMs: 300_000 });
    const applied = JSON.parse(setup.stdout).applied?.length;
    if (applied !== REVISIONS / 2) throw new Error(`set-up applied ${applied} revisions, expected ${REVISIONS / 2}`);

    let checked = false;
    const ours = async () => {
      const { ms, stdout } = await timeProcess(process.execPath, [BIN, 'status', '--json'], { cwd: dir, env });
      if (!checked) {
        const status = JSON.parse(stdout);
        const count = (s) => status.revisions.filter((r) => r.status === s).length;
        if (status.revisions.length !== REVISIONS || count('applied') !== REVISIONS / 2 || count('pending') !== REVISIONS / 2) {
          throw new Error(`status reported ${status.revisions.length} revisions, ${count('applied')} applied, ${count('pending')} pending`);
        }
        checked = true;
      }
      return ms;
    };
    let fresh = 0;
    const firstOnMachine = async () => {
      const tmp = join(dir, `tmp-${fresh++}`);
      mkdirSync(tmp);
      return (await timeProcess(process.execPath, [BIN, 'status', '--json'], { cwd: dir, env: { ...env, TMPDIR: tmp } })).ms;
    };
    const peerEnv = cleanEnv({ BENCH_DB: db, MIKRO_ORM_CLI_CONFIG: configPath, MIKRO_ORM_CLI_ALWAYS_ALLOW_TS: '1' });
    const peer = (command) => async () =>
      (await timeProcess(process.execPath, ['--import', 'tsx', MIKRO_CLI, command], { cwd: dir, env: peerEnv })).ms;

    log(`  status 2000: ${reps} interleaved rounds of 4 processes…`);
    const s = await interleave({ ours, firstOnMachine, list: peer('migration:list'), pending: peer('migration:pending') }, { reps, warmup: 1 });
    return [
      {
        id: 'status-2000',
        what: '`status --json`, 2,000 revisions on disk (1,000 applied), absolute (syntax and lint answers kept from earlier runs)',
        ours: s.ours,
        peer: null,
        ratio: null,
        target: { kind: 'abs', max: 600 },
        primary: true,
      },
      {
        id: 'status-2000-empty-tmp',
        what: 'same, temp folder empty (no kept syntax or lint answers, no tsx cache): a first run on a machine',
        ours: s.firstOnMachine,
        peer: null,
        ratio: null,
        target: null,
      },
      {
        id: 'status-2000-vs-list',
        what: 'same vs `node --import tsx mikro-orm migration:list` (1,000 rows)',
        ours: s.ours,
        peer: s.list,
        ratio: ratio(s.ours, s.list),
        target: null,
      },
      {
        id: 'status-2000-vs-pending',
        what: 'same vs `node --import tsx mikro-orm migration:pending` (1,000 files)',
        ours: s.ours,
        peer: s.pending,
        ratio: ratio(s.ours, s.pending),
        target: null,
      },
    ];
  } finally {
    removeDir(dir);
  }
}

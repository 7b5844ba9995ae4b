// Benchmark 1: cold `migrate-ui status --json` on the bundled example vs MikroORM's CLI `migration:list` run with tsx.
// Both are spawned as fresh processes from the repository root on the same temp SQLite file (the six example
// revisions applied), wall clock from spawn to exit. Both keep caches in the user's temp folder between runs (tsx its
// transforms, migrate-ui V8's compiled code of node_modules: src/cli/compile-cache.ts), filled by the set-up and the
// warm-up round; the row "temp folder empty" runs ours with TMPDIR set to a new empty folder each time.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createExamplePeerConfig } from '../lib/project.js';
import { BIN, MIKRO_CLI, TSX_CLI, cleanEnv, interleave, log, makeTempDir, ratio, removeDir, timeProcess } from '../lib/util.js';

export async function coldStatus({ reps }) {
  const dir = makeTempDir('cold-status');
  try {
    const db = join(dir, 'example.sqlite');
    // The example at head, so migration:list has rows to show and status has applied revisions to join.
    await timeProcess(process.execPath, [BIN, 'up', '--json', '--db', `sqlite:${db}`]);
    const peerConfig = createExamplePeerConfig(dir, db);

    const ours = async () => (await timeProcess(process.execPath, [BIN, 'status', '--json', '--db', `sqlite:${db}`])).ms;
    let fresh = 0;
    const firstOnMachine = async () => {
      const tmp = join(dir, `tmp-${fresh++}`);
      mkdirSync(tmp);
      return (await timeProcess(process.execPath, [BIN, 'status', '--json', '--db', `sqlite:${db}`], { env: cleanEnv({ TMPDIR: tmp }) })).ms;
    };
    // MikroORM's CLI in one process with tsx's loader; ALWAYS_ALLOW_TS because MikroORM does not detect `--import tsx`.
    const peerImport = async () =>
      (
        await timeProcess(process.execPath, ['--import', 'tsx', MIKRO_CLI, 'migration:list'], {
          env: cleanEnv({ MIKRO_ORM_CLI_CONFIG: peerConfig, MIKRO_ORM_CLI_ALWAYS_ALLOW_TS: '1' }),
        })
      ).ms;
    // The same through tsx's own CLI (`npx tsx node_modules/@mikro-orm/cli/esm.js …` without npx's start-up): two processes.
    const peerTsxCli = async () =>
      (
        await timeProcess(process.execPath, [TSX_CLI, MIKRO_CLI, 'migration:list'], {
          env: cleanEnv({ MIKRO_ORM_CLI_CONFIG: peerConfig }),
        })
      ).ms;

    log(`  cold status: ${reps} interleaved rounds of 4 processes…`);
    const s = await interleave({ ours, peerImport, peerTsxCli, firstOnMachine }, { reps, warmup: 1 });
    return [
      {
        id: 'cold-status',
        what: 'cold `status --json`, example (6 revisions) vs `node --import tsx mikro-orm migration:list`',
        ours: s.ours,
        peer: s.peerImport,
        ratio: ratio(s.ours, s.peerImport),
        target: { kind: 'ratio', max: 0.4 },
        primary: true,
      },
      {
        id: 'cold-status-tsx-cli',
        what: 'same, peer through tsx CLI (`tsx node_modules/@mikro-orm/cli/esm.js migration:list`)',
        ours: s.ours,
        peer: s.peerTsxCli,
        ratio: ratio(s.ours, s.peerTsxCli),
        target: { kind: 'ratio', max: 0.4 },
      },
      {
        id: 'cold-status-empty-tmp',
        what: 'ours with the temp folder empty (no compiled code kept, no tsx cache): a first run on a machine',
        ours: s.firstOnMachine,
        peer: s.peerImport,
        ratio: ratio(s.firstOnMachine, s.peerImport),
        target: null,
      },
    ];
  } finally {
    removeDir(dir);
  }
}

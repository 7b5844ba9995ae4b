// Benchmark (issue 22): `migrate-ui verify` as a whole process, spawn to exit. Two rows:
// - the bundled example's six revisions on SQLite (each proven: replay, up, snapshot, down, snapshot, up again,
//   snapshot; then the entities at head), against its target of 3 s;
// - the real-size history (bench/lib/real-project.js, 44 revisions: the biggest history we carry; the issue names an
//   82-revision project we do not have) on each database, against `migrate-ui up` of the same history on a fresh
//   database in the same rounds: verify must take at most twice as long.
// Each run's output must say every revision was proven, or the run does not count.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRealProject, REAL_REVISIONS } from '../lib/real-project.js';
import {
  BIN,
  cleanEnv,
  createMysqlDatabase,
  createPgDatabase,
  interleave,
  log,
  makeTempDir,
  ratio,
  removeDir,
  stats,
  timeProcess,
} from '../lib/util.js';

const LABEL = { sqlite: 'SQLite', postgresql: 'PostgreSQL', mariadb: 'MariaDB' };

export const VERIFY_TEXT = `- **verify** (issue 22): whole processes, spawn to exit, each output checked (every revision proven). The example:
  \`migrate-ui verify --db sqlite:FILE\` on a file with nothing applied (all six revisions pending, so all are proven,
  then the entities at head), on a scratch SQLite file in the temp folder. The real-size history (the 44-revision
  project of the real-size rows; the issue's 82-revision project is not one we carry): \`migrate-ui verify\` of all 44
  on a database with none applied, against \`migrate-ui up\` of the same 44 on a fresh database, in the same rounds.
  Each process runs under GNU time: the CPU rows are its user + system seconds, which other work on a loaded machine
  inflates far less than the wall clock (on a server, the database's own work is not in them).
`;

/** GNU time, where there is one: each process's CPU seconds, which other work on the machine inflates far less than wall time. */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Spawns node with `args` (under GNU time where there is one); the wall time, the output and the CPU ms (user + system). */
async function timedNode(args, options) {
  const command = TIME ? [TIME, ['-f', 'migrate-ui-bench-cpu %U %S', process.execPath, ...args]] : [process.execPath, args];
  const result = await timeProcess(command[0], command[1], options);
  const m = /migrate-ui-bench-cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  return { ...result, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined };
}

/** Runs `args` and checks the summary line says `count` of `count` revisions were proven. */
async function verified(args, env, cwd, count, cpu) {
  const { ms, stdout, stderr, cpuMs } = await timedNode(args, { cwd, env, timeoutMs: 300_000 });
  if (!new RegExp(`^${count} of ${count} revision\\(s\\) proven`, 'm').test(stdout)) {
    throw new Error(`${args.slice(1).join(' ')} did not prove all ${count} revisions\n${stdout.slice(-1500)}\n${stderr.slice(-500)}`);
  }
  if (cpuMs !== undefined) cpu.push(cpuMs);
  return ms;
}

/** The CPU figures of the measured runs (the warm-up's dropped), as a row's cells. */
const cpuStats = (values, runs) => (values.length > runs ? stats(values.slice(values.length - runs)) : undefined);

/** The example's six revisions verified on SQLite: spawn to exit, target 3 s. */
export async function verifyExample({ reps }) {
  const dir = makeTempDir('verify-example');
  try {
    const db = join(dir, 'example.sqlite');
    const cpu = [];
    const run = () => verified([BIN, 'verify', '--db', `sqlite:${db}`], cleanEnv(), undefined, 6, cpu);
    log(`  verify, the example on SQLite: ${reps} runs…`);
    const s = await interleave({ run }, { reps, warmup: 1 });
    const cpuOf = cpuStats(cpu, reps);
    return [
      {
        id: 'verify-example-sqlite',
        what: '`verify`, the example (6 revisions proven, entities at head), SQLite, whole process',
        ours: s.run,
        target: { kind: 'ms', max: 3000 },
        primary: true,
      },
      ...(cpuOf
        ? [{ id: 'verify-example-sqlite-cpu', what: 'same runs: CPU time of the process (user + system, GNU time)', ours: cpuOf, target: null }]
        : []),
    ];
  } finally {
    removeDir(dir);
  }
}

async function freshDatabase(dialect, dir, name) {
  if (dialect === 'sqlite') {
    const file = join(dir, `${name}.sqlite`);
    return { url: `sqlite:${file}`, drop: async () => rmSync(file, { force: true }) };
  }
  return dialect === 'postgresql' ? createPgDatabase('mui_verify') : createMysqlDatabase('mui_verify');
}

/** verify of the real-size history against `up` of it, interleaved, on `dialect`: target ≤ 2×. */
export async function verifyRealSize(dialect, { reps }) {
  const dir = makeTempDir(`verify-real-${dialect}`);
  let n = 0;
  try {
    const config = createRealProject(dir, dialect);
    // verify reads the configured database (nothing applied) and works on a scratch one beside it.
    const target = await freshDatabase(dialect, dir, 'verified');
    try {
      const verifyEnv = cleanEnv({ BENCH_DB_URL: target.url });
      const cpu = { verify: [], up: [] };
      const verify = () => verified([BIN, 'verify', '--config', config], verifyEnv, dir, REAL_REVISIONS, cpu.verify);
      const up = async () => {
        const db = await freshDatabase(dialect, dir, `up-${++n}`);
        try {
          const { ms, stdout, stderr, cpuMs } = await timedNode([BIN, 'up', '--config', config], {
            cwd: dir,
            env: cleanEnv({ BENCH_DB_URL: db.url }),
            timeoutMs: 300_000,
          });
          const count = `${stdout}\n${stderr}`.match(/applied/gi)?.length ?? 0;
          if (count !== REAL_REVISIONS) throw new Error(`up did ${count} of ${REAL_REVISIONS} revisions\n${stderr.slice(-1500)}`);
          if (cpuMs !== undefined) cpu.up.push(cpuMs);
          return ms;
        } finally {
          await db.drop();
        }
      };
      log(`  verify, the real-size history (${dialect}): ${reps} interleaved rounds of verify and up…`);
      const s = await interleave({ verify, up }, { reps, warmup: 1 });
      const cpuVerify = cpuStats(cpu.verify, reps);
      const cpuUp = cpuStats(cpu.up, reps);
      return [
        {
          id: `verify-real-size-${dialect}`,
          what: `\`verify\`, real-size history (${REAL_REVISIONS} revisions), ${LABEL[dialect]}, vs \`migrate-ui up\` of it, whole processes`,
          ours: s.verify,
          peer: s.up,
          ratio: ratio(s.verify, s.up),
          target: { kind: 'ratio', max: 2 },
          primary: true,
        },
        ...(cpuVerify && cpuUp
          ? [
              {
                id: `verify-real-size-${dialect}-cpu`,
                what: `same runs, ${LABEL[dialect]}: CPU time of each process (user + system, GNU time; the server's own work not counted)`,
                ours: cpuVerify,
                peer: cpuUp,
                ratio: ratio(cpuVerify, cpuUp),
                target: null,
              },
            ]
          : []),
      ];
    } finally {
      await target.drop();
    }
  } finally {
    removeDir(dir);
  }
}

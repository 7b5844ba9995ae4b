// Benchmark (issue 24): a fleet of PostgreSQL schemas in one database, each taking the bundled example's six revisions,
// `migrate-ui fleet up --concurrency 8` against the same command with --concurrency 1 (one target after another).
// Each run gets a fresh database with the schemas made empty (untimed), then times the whole process, spawn to exit;
// the rollout's own time (its `fleet:done` durationMs: every target opened, locked, migrated and closed) is the second
// row. Every run's stream must end with every target done, and the database must hold six records in every schema.
import { spawn } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  ROOT,
  stats,
  timeProcess,
} from '../lib/util.js';

export const FLEET_SCHEMAS = Number(process.env.MIGRATE_UI_BENCH_FLEET ?? 200);
export const FLEET_DATABASES = Number(process.env.MIGRATE_UI_BENCH_FLEET_DATABASES ?? 50);
export const FLEET_WORKER_SCHEMAS = Number(process.env.MIGRATE_UI_BENCH_FLEET_WORKERS ?? 60);
const WORKERS = 3;
const REVISIONS = 6;

export const FLEET_TEXT = `- **fleet** (issue 24): a copy of the bundled example (six revisions, one of them a data migration) and a fleet file
  \`{ "schemas": "tenant\\\\_%" }\`; each run gets a fresh PostgreSQL database with ${FLEET_SCHEMAS} empty schemas \`tenant_NNNN\`
  (untimed), then \`migrate-ui fleet up --json --db URL\` runs as one process, spawn to exit, with \`--concurrency 8\` (ours)
  and \`--concurrency 1\` (peer: one target after another, the same code). The second row is the rollout alone (the
  \`durationMs\` of its last line: process start, config and the pattern's listing left out). Each run must report every
  target done, and the database must hold ${REVISIONS} records in each schema's \`mikro_orm_migrations\`.
- **fleet, MariaDB databases**: the same on ${FLEET_DATABASES} MariaDB databases \`<db>_tNN\` (a \`databases\` pattern, each run
  on fresh ones), \`--concurrency 8\` against \`--concurrency 1\`, whole process; ${REVISIONS} records in each database.
- **fleet, shared rollout**: ${FLEET_WORKER_SCHEMAS} PostgreSQL schemas, \`fleet up --rollout NAME --concurrency 1\` as ${WORKERS}
  processes started together (ours, spawn of the first to exit of the last) against one such process (peer). Each
  run checks every target applied exactly once: ${REVISIONS} records, ${REVISIONS} distinct names, in every schema, and
  every worker ended with the whole rollout done. Once per benchmark (untimed) one of ${WORKERS} workers is killed -9
  mid-rollout: the other two must finish (its claim taken over after \`--stale-after 2\`), with the same check.
`;

/** Runs both contenders `reps` rounds on fresh databases; the rows of the fleet benchmark. */
export async function fleetRows({ reps }) {
  const dir = makeTempDir('fleet');
  const pending = new Set();
  try {
    for (const entry of ['entities', 'migrations', 'mikro-orm.config.ts']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fleet-bench', private: true, type: 'module' }));
    writeFileSync(join(dir, 'fleet.json'), JSON.stringify({ targets: [{ schemas: 'tenant\\_%' }] }));
    const rollout = { ours: [], peer: [] };
    const contender = (mode, concurrency) => async () => {
      const db = await createPgDatabase('mui_bench_fleet');
      pending.add(db);
      try {
        await sql(db.url, Array.from({ length: FLEET_SCHEMAS }, (_, i) => `create schema tenant_${String(i + 1).padStart(4, '0')}`).join(';'));
        const { ms, stdout } = await timeProcess(
          process.execPath,
          [BIN, 'fleet', 'up', '--json', '--concurrency', String(concurrency), '--db', db.url],
          {
            cwd: dir,
            env: cleanEnv(),
            timeoutMs: 900_000,
          },
        );
        const done = JSON.parse(stdout.trim().split('\n').at(-1));
        if (done.event !== 'fleet:done' || done.done.length !== FLEET_SCHEMAS || done.failed.length > 0)
          throw new Error(`fleet up --concurrency ${concurrency}: ${done.done?.length} of ${FLEET_SCHEMAS} done, ${done.failed?.length} failed`);
        const records = await countRecords(db.url);
        if (records !== FLEET_SCHEMAS * REVISIONS) throw new Error(`${records} records, not ${FLEET_SCHEMAS * REVISIONS}`);
        rollout[mode].push(done.durationMs);
        return ms;
      } finally {
        await db.drop();
        pending.delete(db);
      }
    };
    log(`  ${FLEET_SCHEMAS} schemas × ${REVISIONS} revisions, --concurrency 8 vs 1`);
    const result = await interleave({ ours: contender('ours', 8), peer: contender('peer', 1) }, { reps });
    const whole = { ours: result.ours, peer: result.peer };
    // The warm-up round's rollouts were recorded too: its first one of each.
    const inner = { ours: stats(rollout.ours.slice(1)), peer: stats(rollout.peer.slice(1)) };
    return [
      {
        id: 'fleet-postgresql',
        what: `fleet up, ${FLEET_SCHEMAS} PostgreSQL schemas × ${REVISIONS} revisions: --concurrency 8 vs one after another (whole process)`,
        ...whole,
        ratio: ratio(whole.ours, whole.peer),
        target: { kind: 'ratio', max: 0.25 },
        primary: true,
      },
      {
        id: 'fleet-postgresql-rollout',
        what: `the same, the rollout alone (fleet:done durationMs)`,
        ...inner,
        ratio: ratio(inner.ours, inner.peer),
      },
    ];
  } finally {
    for (const db of pending) await db.drop().catch(() => undefined);
    removeDir(dir);
  }
}

/** The project the fleet benchmarks run: a copy of the example, with a fleet file. */
function fleetProject(name, fleet) {
  const dir = makeTempDir(name);
  for (const entry of ['entities', 'migrations', 'mikro-orm.config.ts']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fleet-bench', private: true, type: 'module' }));
  writeFileSync(join(dir, 'fleet.json'), JSON.stringify({ targets: [fleet] }));
  return dir;
}

/** A fresh PostgreSQL database with `count` empty schemas tenant_NNNN. */
async function schemasDatabase(count) {
  const db = await createPgDatabase('mui_bench_fleet');
  await sql(db.url, Array.from({ length: count }, (_, i) => `create schema tenant_${String(i + 1).padStart(4, '0')}`).join(';'));
  return db;
}

/** The last line of a worker's --json stream: the whole rollout done, nothing failed. */
function rolloutDone(stdout, count, what) {
  const done = JSON.parse(stdout.trim().split('\n').at(-1));
  if (done.event !== 'fleet:done' || done.done.length !== count || done.failed.length > 0)
    throw new Error(`${what}: ${done.done?.length} of ${count} done, ${done.failed?.length} failed`);
  return done;
}

/** MariaDB: --concurrency 8 against one target after another, on fresh databases each run. */
export async function fleetMariaDbRows({ reps }) {
  const dir = fleetProject('fleet-mariadb', null);
  try {
    const contender = (concurrency) => async () => {
      const db = await createMysqlDatabase('mui_bench_fleet');
      const members = Array.from({ length: FLEET_DATABASES }, (_, i) => `${db.name}_t${String(i + 1).padStart(2, '0')}`);
      try {
        await mysqlSql(
          db.url,
          members.map((m) => `create database \`${m}\``),
        );
        writeFileSync(join(dir, 'fleet.json'), JSON.stringify({ targets: [{ databases: `${db.name}\\_t%` }] }));
        const { ms, stdout } = await timeProcess(
          process.execPath,
          [BIN, 'fleet', 'up', '--json', '--concurrency', String(concurrency), '--db', db.url],
          { cwd: dir, env: cleanEnv(), timeoutMs: 900_000 },
        );
        rolloutDone(stdout, FLEET_DATABASES, `fleet up --concurrency ${concurrency}`);
        const counts = await mysqlSql(db.url, [
          members.map((m) => `select count(*) as c, count(distinct name) as d from \`${m}\`.mikro_orm_migrations`).join(' union all '),
        ]);
        const bad = counts[0].filter((r) => Number(r.c) !== REVISIONS || Number(r.d) !== REVISIONS);
        if (bad.length > 0) throw new Error(`${bad.length} database(s) without exactly ${REVISIONS} records`);
        return ms;
      } finally {
        await mysqlSql(
          db.url,
          members.map((m) => `drop database if exists \`${m}\``),
        ).catch(() => undefined);
        await db.drop();
      }
    };
    log(`  ${FLEET_DATABASES} MariaDB databases × ${REVISIONS} revisions, --concurrency 8 vs 1`);
    const result = await interleave({ ours: contender(8), peer: contender(1) }, { reps });
    return [
      {
        id: 'fleet-mariadb',
        what: `fleet up, ${FLEET_DATABASES} MariaDB databases × ${REVISIONS} revisions: --concurrency 8 vs one after another (whole process)`,
        ours: result.ours,
        peer: result.peer,
        ratio: ratio(result.ours, result.peer),
        target: { kind: 'ratio', max: 0.25 },
        primary: true,
      },
    ];
  } finally {
    removeDir(dir);
  }
}

/** A shared rollout: 3 worker processes against one, and once a worker killed -9 mid-rollout. */
export async function fleetWorkerRows({ reps }) {
  const dir = fleetProject('fleet-workers', { schemas: 'tenant\\_%' });
  let rollouts = 0;
  /** Starts `count` workers of one new rollout on `db`; resolves with each one's { code, stdout } and the spawn-to-last-exit time. */
  const workers = (db, count, extra = [], onStart) => {
    const name = `bench${++rollouts}`;
    const started = performance.now();
    const runs = Array.from({ length: count }, (_, i) => {
      const child = spawn(process.execPath, [BIN, 'fleet', 'up', '--json', '--rollout', name, '--concurrency', '1', '--db', db.url, ...extra], {
        cwd: dir,
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      onStart?.(child, i);
      return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? signal, stdout, stderr })));
    });
    return Promise.all(runs).then((ends) => ({ ends, ms: performance.now() - started }));
  };
  const checkOnce = async (db) => {
    const { rows } = await sql(db.url, `select nspname from pg_namespace where nspname like 'tenant\\_%'`);
    const union = rows
      .map((r) => `select count(*)::int as c, count(distinct name)::int as d from "${r.nspname}".mikro_orm_migrations`)
      .join(' union all ');
    const counted = await sql(db.url, union);
    const bad = counted.rows.filter((r) => r.c !== REVISIONS || r.d !== REVISIONS);
    if (rows.length !== FLEET_WORKER_SCHEMAS || bad.length > 0) throw new Error(`${bad.length} schema(s) without exactly ${REVISIONS} records`);
  };
  try {
    const contender = (count) => async () => {
      const db = await schemasDatabase(FLEET_WORKER_SCHEMAS);
      try {
        const { ends, ms } = await workers(db, count);
        for (const end of ends) {
          if (end.code !== 0) throw new Error(`a worker exited ${end.code}: ${end.stderr.slice(-500)}`);
          rolloutDone(end.stdout, FLEET_WORKER_SCHEMAS, 'a worker');
        }
        await checkOnce(db);
        return ms;
      } finally {
        await db.drop();
      }
    };
    log(`  ${FLEET_WORKER_SCHEMAS} schemas, a shared rollout: ${WORKERS} workers vs 1 (each --concurrency 1)`);
    const result = await interleave({ ours: contender(WORKERS), peer: contender(1) }, { reps });

    // Untimed: one of three killed -9 once it has started a target; the others finish it, nothing applied twice.
    const db = await schemasDatabase(FLEET_WORKER_SCHEMAS);
    let takenOver = 0;
    try {
      const { ends } = await workers(db, WORKERS, ['--stale-after', '2'], (child, i) => {
        if (i !== 0) return;
        let seen = '';
        child.stdout.on('data', (d) => {
          seen += d;
          if (seen.split('\n').filter((l) => l.includes('"target:done"')).length >= 3 && !child.killed) child.kill('SIGKILL');
        });
      });
      if (ends[0].code !== 'SIGKILL') throw new Error(`the worker to kill ended first (${ends[0].code})`);
      for (const end of ends.slice(1)) {
        if (end.code !== 0) throw new Error(`a surviving worker exited ${end.code}: ${end.stderr.slice(-500)}`);
        rolloutDone(end.stdout, FLEET_WORKER_SCHEMAS, 'a surviving worker');
        takenOver += end.stdout.split('\n').filter((l) => l.includes('"takenFrom"')).length;
      }
      await checkOnce(db);
    } finally {
      await db.drop();
    }
    return [
      {
        id: 'fleet-workers-postgresql',
        what: `fleet up --rollout, ${FLEET_WORKER_SCHEMAS} PostgreSQL schemas: ${WORKERS} worker processes vs one (each --concurrency 1; spawn to last exit). Every target applied once; a worker killed -9 mid-rollout: the others finished, ${takenOver} claim(s) taken over, nothing applied twice`,
        ours: result.ours,
        peer: result.peer,
        ratio: ratio(result.ours, result.peer),
        target: { kind: 'ratio', max: 0.6 },
        primary: true,
      },
    ];
  } finally {
    removeDir(dir);
  }
}

/** Runs statements on a connection of its own. */
async function sql(url, text) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** The records of every tenant's MikroORM table, added up. */
async function countRecords(url) {
  const { rows } = await sql(url, `select nspname from pg_namespace where nspname like 'tenant\\_%'`);
  const union = rows.map((r) => `select count(*)::int as c from "${r.nspname}".mikro_orm_migrations`).join(' union all ');
  const counted = await sql(url, `select sum(c)::int as total from (${union}) t`);
  return counted.rows[0].total;
}

/** Runs each statement on a MySQL/MariaDB connection of its own; the rows of each. */
async function mysqlSql(url, statements) {
  const mysql = await import('mysql2/promise');
  const client = await mysql.createConnection({ uri: url });
  try {
    const out = [];
    for (const statement of statements) out.push((await client.query(statement))[0]);
    return out;
  } finally {
    await client.end();
  }
}

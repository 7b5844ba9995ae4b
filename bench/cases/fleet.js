// Benchmark (issue 24): a fleet of PostgreSQL schemas in one database, each taking the bundled example's six revisions,
// `migrate-ui fleet up --concurrency 8` against the same command with --concurrency 1 (one target after another).
// Each run gets a fresh database with the schemas made empty (untimed), then times the whole process, spawn to exit;
// the rollout's own time (its `fleet:done` durationMs: every target opened, locked, migrated and closed) is the second
// row. Every run's stream must end with every target done, and the database must hold six records in every schema.
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cleanEnv, createPgDatabase, interleave, log, makeTempDir, ratio, removeDir, ROOT, stats, timeProcess } from '../lib/util.js';

export const FLEET_SCHEMAS = Number(process.env.MIGRATE_UI_BENCH_FLEET ?? 200);
const REVISIONS = 6;

export const FLEET_TEXT = `- **fleet** (issue 24): a copy of the bundled example (six revisions, one of them a data migration) and a fleet file
  \`{ "schemas": "tenant\\\\_%" }\`; each run gets a fresh PostgreSQL database with ${FLEET_SCHEMAS} empty schemas \`tenant_NNNN\`
  (untimed), then \`migrate-ui fleet up --json --db URL\` runs as one process, spawn to exit, with \`--concurrency 8\` (ours)
  and \`--concurrency 1\` (peer: one target after another, the same code). The second row is the rollout alone (the
  \`durationMs\` of its last line: process start, config and the pattern's listing left out). Each run must report every
  target done, and the database must hold ${REVISIONS} records in each schema's \`mikro_orm_migrations\`.
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

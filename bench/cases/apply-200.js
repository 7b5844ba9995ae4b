// Benchmark 3: apply 200 small revisions (`create table t_N (id integer primary key)`, one per file) with migrate-ui's
// runner vs MikroORM's `migrator.up()`, on the same files, a fresh database per run.
// Each run is its own process (bench/lib/apply-inproc.js) that opens the project first and times only the apply call:
// ours `project.runner().run({ direction: 'up' })` (lock, tables, timeline, every revision), MikroORM's
// `orm.migrator.up()` after `MikroORM.init({ …config, extensions: [Migrator] })` (table, executed list, files, every
// revision). Both load the .ts revisions through tsx. Neither prints per revision (MikroORM with migrations.silent).
// MikroORM defaults to one transaction around the whole run (allOrNothing: true), migrate-ui to one per revision, so
// besides "each with its defaults" both transaction modes are compared like for like.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRevisionProject } from '../lib/project.js';
import { createPgDatabase, interleave, log, makeTempDir, ratio, removeDir, ROOT, runJsonProcess } from '../lib/util.js';

export const REVISIONS = 200;
const HARNESS = join(ROOT, 'bench', 'lib', 'apply-inproc.js');

/**
 * `on` is where it runs: by default this Node and our MikroORM 6 (the project under .bench-tmp/); the MikroORM 7 rows
 * pass compat/v7's Node 22 and a folder under compat/v7 (its 7.2.1 resolves there), an id prefix and a label.
 */
export async function apply200({ reps, dialect, allOrNothing = dialect === 'sqlite', on = {} }) {
  const { node = process.execPath, tmpRoot, idPrefix = '', label: orm = '' } = on;
  const dir = makeTempDir(`apply-200-${dialect}`, tmpRoot);
  let n = 0;
  const created = new Set();
  try {
    const configPath = createRevisionProject(dir, REVISIONS);
    /** A fresh database for one run, and its removal. */
    const freshDb = async () => {
      if (dialect === 'sqlite') {
        const file = join(dir, `run-${++n}.sqlite`);
        return { url: `sqlite:${file}`, drop: async () => rmSync(file, { force: true }) };
      }
      const db = await createPgDatabase('mui_bench');
      created.add(db);
      return {
        url: db.url,
        drop: async () => {
          await db.drop();
          created.delete(db);
        },
      };
    };
    const setupMs = { ours: [], peer: [] };
    const contender = (mode, flags) => async () => {
      const db = await freshDb();
      try {
        const args =
          mode === 'peer' ? ['--import', 'tsx', HARNESS, mode, configPath, db.url, ...flags] : [HARNESS, mode, configPath, db.url, ...flags];
        const result = await runJsonProcess(node, args, { cwd: dir, timeoutMs: 180_000 });
        if (result.applied !== REVISIONS) throw new Error(`${mode} ${flags.join(' ')} applied ${result.applied} of ${REVISIONS}`);
        setupMs[mode].push(result.setupMs);
        return result.ms;
      } finally {
        await db.drop();
      }
    };
    const contenders = {
      ours: contender('ours', []),
      peer: contender('peer', []),
      peerPerRevision: contender('peer', ['--per-revision']),
    };
    // Our --all-or-nothing only on SQLite, where one commit instead of 200 matters; it keeps the run under 5 minutes.
    if (allOrNothing) contenders.oursAllOrNothing = contender('ours', ['--all-or-nothing']);
    log(`  apply 200 (${dialect}): ${reps} interleaved rounds of ${Object.keys(contenders).length} runs…`);
    const s = await interleave(contenders, { reps, warmup: 1 });
    const label = `${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}${orm ? `, ${orm}` : ''}`;
    return {
      rows: [
        {
          id: `${idPrefix}apply-200-${dialect}`,
          what: `apply 200 revisions, ${label}: \`up\` (tx per revision) vs \`migrator.up()\` (allOrNothing), each its default`,
          ours: s.ours,
          peer: s.peer,
          ratio: ratio(s.ours, s.peer),
          target: { kind: 'ratio', max: 0.6 },
          primary: dialect === 'sqlite',
        },
        {
          id: `${idPrefix}apply-200-${dialect}-per-revision`,
          what: `same, ${label}, both one transaction per revision`,
          ours: s.ours,
          peer: s.peerPerRevision,
          ratio: ratio(s.ours, s.peerPerRevision),
          target: { kind: 'ratio', max: 0.6 },
        },
        s.oursAllOrNothing && {
          id: `${idPrefix}apply-200-${dialect}-all-or-nothing`,
          what: `same, ${label}, both one transaction for the run (\`up --all-or-nothing\`)`,
          ours: s.oursAllOrNothing,
          peer: s.peer,
          ratio: ratio(s.oursAllOrNothing, s.peer),
          target: { kind: 'ratio', max: 0.6 },
        },
      ].filter(Boolean),
      setupMs,
    };
  } finally {
    for (const db of created) await db.drop().catch(() => undefined);
    removeDir(dir);
  }
}

// `new --spec` with 5,000 operations (issue 17): one process writing the revision and its entity edits on a copy of
// the bundled example (SQLite, its revisions applied, untimed). The spec: 1,000 new tables, each created, given a
// column, an index, a foreign key to users and a renamed column (five operations each). Target: absolute, ≤ 5 s.
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, cleanEnv, interleave, log, makeTempDir, removeDir, timeProcess } from '../lib/util.js';

export const OPERATIONS = 5000;

/** Five operations per table, `count` in all. */
export function bigSpec(count = OPERATIONS) {
  const operations = [];
  for (let i = 0; operations.length < count; i++) {
    const table = `t${i}`;
    operations.push(
      {
        op: 'createTable',
        table,
        columns: [
          { name: 'id', type: 'string', primary: true },
          { name: 'name', type: 'string' },
          { name: 'owner_id', type: 'string' },
          { name: 'created_at', type: 'bigint' },
        ],
      },
      { op: 'addColumn', table, column: { name: 'note', type: 'text', nullable: true } },
      { op: 'createIndex', table, columns: ['owner_id'] },
      { op: 'addForeignKey', table, columns: ['owner_id'], references: { table: 'users', columns: ['id'] } },
      { op: 'renameColumn', table, from: 'name', to: 'title' },
    );
  }
  return { operations: operations.slice(0, count) };
}

/** A fresh copy of the example with its revisions applied: `new` writes entities and a revision into it. */
async function exampleProject(dir) {
  for (const entry of ['entities', 'migrations', 'mikro-orm.config.ts']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-new-spec', private: true, type: 'module' }));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'migrate-ui'));
  const db = `sqlite:${join(dir, 'bench.sqlite')}`;
  await timeProcess(process.execPath, [BIN, 'up', '--json', '--db', db], { cwd: dir });
  return db;
}

export async function newSpec({ reps }) {
  const base = makeTempDir('new-spec');
  try {
    const spec = join(base, 'spec.json');
    writeFileSync(spec, JSON.stringify(bigSpec()));
    let round = 0;
    const ours = async () => {
      const dir = join(base, `p${round++}`);
      mkdirSync(dir);
      const db = await exampleProject(dir);
      const { ms, stdout } = await timeProcess(process.execPath, [BIN, 'new', 'five_thousand', '--spec', spec, '--json', '--db', db], {
        cwd: dir,
        env: cleanEnv(),
        timeoutMs: 600_000,
      });
      const made = JSON.parse(stdout);
      const written = readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('_five_thousand.ts'));
      if (written.length !== 1 || made.entities.length < 1000)
        throw new Error(`new wrote ${written.length} revisions, ${made.entities.length} entity files`);
      removeDir(dir);
      return ms;
    };
    log(`  new --spec: ${reps} runs of ${OPERATIONS.toLocaleString('en')} operations…`);
    const s = await interleave({ ours }, { reps, warmup: 0 });
    return [
      {
        id: 'new-spec-5000',
        what: `\`new --spec\` with ${OPERATIONS.toLocaleString('en')} operations (1,000 new tables), SQLite, whole process`,
        ours: s.ours,
        peer: null,
        ratio: null,
        target: { kind: 'abs', max: 5000 },
        primary: true,
      },
    ];
  } finally {
    removeDir(base);
  }
}

// The authoring engine as the form will call it on every change, on a project with 50 tables and their EntitySchema
// entities (SQLite): author() alone (validation, plan, file), and draft() (that, plus the SQL on all three databases
// through the preview engine, the lint and the entity edits). Prints JSON lines { name, value, unit, target } that
// bench/cases/authoring.js turns into rows. Run with `node --import tsx` (the project's config is TypeScript).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeEntityProject } from './lib/entity-project.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TABLES = 50;
const ROUNDS = 60;

const { AuthoringSession, Project } = await import(join(ROOT, 'dist/src/index.js'));

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

mkdirSync(join(ROOT, '.bench-tmp'), { recursive: true });
const dir = mkdtempSync(join(ROOT, '.bench-tmp', 'authoring-'));
try {
  writeEntityProject(dir, TABLES);
  const project = await Project.open({ cwd: dir, env: {} });
  try {
    const session = await AuthoringSession.open(project);
    // What the form holds after a few fields: a new table with an index, a column on an existing table.
    const spec = (n) => ({
      operations: [
        {
          op: 'createTable',
          table: `projects${n % 7}`,
          columns: [
            { name: 'id', type: 'string', primary: true },
            { name: 'thing_id', type: 'string' },
            { name: 'title', type: 'string', length: 100 + (n % 50) },
          ],
        },
        { op: 'createIndex', table: `projects${n % 7}`, columns: ['thing_id'] },
        { op: 'addColumn', table: `thing${n % TABLES}`, column: { name: 'priority', type: 'integer', nullable: true, default: n % 10 } },
      ],
    });
    const authorMs = [];
    const draftMs = [];
    for (let n = 0; n < ROUNDS + 5; n++) {
      let t = performance.now();
      session.author('add_projects', spec(n));
      const author = performance.now() - t;
      t = performance.now();
      await session.draft('add_projects', spec(n));
      const draft = performance.now() - t;
      if (n < 5) continue; // warm-up
      authorMs.push(author);
      draftMs.push(draft);
    }
    const line = (name, value) => console.log(JSON.stringify({ name, value: Number(value.toFixed(2)), unit: 'ms' }));
    line(`authoring, ${TABLES}-table project: author() (validate, plan, file), p95 of ${ROUNDS}`, percentile(authorMs, 95));
    line(`authoring, ${TABLES}-table project: draft() (and SQL ×3, lint, entity edits), median of ${ROUNDS}`, percentile(draftMs, 50));
    line(`authoring, ${TABLES}-table project: draft(), p95 of ${ROUNDS}`, percentile(draftMs, 95));
  } finally {
    await project.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

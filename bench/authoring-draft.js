// The authoring engine as the form will call it on every change, on a project with 50 tables and their EntitySchema
// entities (SQLite): author() alone (validation, plan, file), and draft() (that, plus the SQL on all three databases
// through the preview engine, the lint and the entity edits). Prints JSON lines { name, value, unit, target } that
// bench/cases/authoring.js turns into rows. Run with `node --import tsx` (the project's config is TypeScript).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TABLES = 50;
const ROUNDS = 60;

const { AuthoringSession, Project } = await import(join(ROOT, 'dist/src/index.js'));

function writeProject(dir) {
  const names = Array.from({ length: TABLES }, (_, i) => `Thing${i}`);
  mkdirSync(join(dir, 'entities'), { recursive: true });
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'migrate-ui'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-authoring', private: true, type: 'module' }));
  const statements = [];
  for (const [i, name] of names.entries()) {
    writeFileSync(
      join(dir, 'entities', `thing${i}.ts`),
      `import { EntitySchema } from '@mikro-orm/core';

export interface ${name} {
  id: string;
  title: string;
  body?: string | null;
  created_at: string;
}

export const ${name}Schema = new EntitySchema<${name}>({
  name: '${name}',
  tableName: 'thing${i}',
  properties: {
    id: { type: 'string', primary: true },
    title: { type: 'string' },
    body: { type: 'text', nullable: true },
    created_at: { type: 'bigint' },
  },
});
`,
    );
    statements.push(
      `create table thing${i} (id varchar(255) not null primary key, title varchar(255) not null, body text null, created_at bigint not null)`,
    );
  }
  writeFileSync(
    join(dir, 'mikro-orm.config.ts'),
    `import { defineConfig } from '@mikro-orm/sqlite';
${names.map((n, i) => `import { ${n}Schema } from './entities/thing${i}.js';`).join('\n')}

export default defineConfig({
  dbName: ${JSON.stringify(join(dir, 'bench.sqlite'))},
  entities: [${names.map((n) => `${n}Schema`).join(', ')}],
  migrations: { path: ${JSON.stringify(join(dir, 'migrations'))} },
});
`,
  );
  const script = `const s=require('sqlite3');const d=new s.Database(${JSON.stringify(join(dir, 'bench.sqlite'))});d.exec(${JSON.stringify(statements.join(';'))},(e)=>{if(e)throw e;d.close()})`;
  execFileSync(process.execPath, ['-e', script], { cwd: ROOT });
}

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

mkdirSync(join(ROOT, '.bench-tmp'), { recursive: true });
const dir = mkdtempSync(join(ROOT, '.bench-tmp', 'authoring-'));
try {
  writeProject(dir);
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

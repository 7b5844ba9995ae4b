// The authoring benchmarks' project: `tables` tables, each with an EntitySchema entity in entities/ and the table
// already created in its SQLite file, and `migrate-ui` resolvable from it (the generated files import it).
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './util.js';

export function writeEntityProject(dir, tables = 50) {
  const names = Array.from({ length: tables }, (_, i) => `Thing${i}`);
  mkdirSync(join(dir, 'entities'), { recursive: true });
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'migrate-ui'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-entities', private: true, type: 'module' }));
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

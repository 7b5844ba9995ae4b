import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { cliOn } from '../helpers/expect-cli.js';
import { realProject } from '../helpers/real-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

// A project installs only its own database's driver; the preview of the other databases' SQL must not need theirs (issue 18).

describe('a PostgreSQL-only project, without sqlite3 or mysql2 installed', () => {
  const database = useTestDatabase('postgresql');
  const project = realProject({
    ownModules: { mikroOrm: ['core', 'knex', 'postgresql', 'migrations'], without: ['sqlite3', 'mysql2', 'mariadb', 'knex'] },
    files: {
      'package.json': JSON.stringify({ name: 'pg-only', private: true }),
      'src/mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/postgresql';
export default defineConfig({ dbName: 'unused', entities: [], discovery: { warnWhenNoEntities: false }, migrations: { path: __dirname + '/migrations' } });
`,
      'spec.json': JSON.stringify({
        operations: [
          {
            op: 'createTable',
            table: 'authors',
            columns: [
              { name: 'id', type: 'integer', primary: true },
              { name: 'name', type: 'string' },
            ],
          },
        ],
      }),
    },
  });
  // knex of its own too: a linked one would find our sqlite3 beside it.
  cpSync(join(ROOT, 'node_modules/knex'), join(project.dir, 'node_modules/knex'), { recursive: true });
  afterAll(() => project.remove());

  test('new --spec writes the revision, with the SQL of the other databases rendered without their drivers', async (ctx) => {
    const db = database(ctx);
    const result = await cliOn(db, { cwd: project.dir }).run(['new', 'add_authors', '--spec', 'spec.json', '--json']);
    expect(result.stderr.split('\n')[0]).not.toMatch(/sqlite3|mysql2|Knex/);
    expect(result.code).toBe(0);
    const made = JSON.parse(result.stdout);
    expect(made.sql.postgresql).toEqual([expect.stringMatching(/^create table "authors" \("id" int not null, "name" varchar\(255\) not null/)]);
    expect(made.sql.sqlite).toEqual([expect.stringMatching(/^create table `authors` \(`id` integer not null, `name` text not null/)]);
    expect(made.sql.mysql).toEqual([expect.stringMatching(/^create table `authors` \(`id` int unsigned not null/)]);
    expect(readFileSync(made.file, 'utf8')).toContain("await op.createTable('authors', [");
  });
});

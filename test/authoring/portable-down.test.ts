import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { TestDatabase } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { authoringProject } from '../helpers/real-project.js';
import { schemaShape } from '../helpers/schema-shape.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// A file written against SQLite restores the entity's portable type elsewhere: varchar(255) stays varchar(255).
describe.concurrent.each(['postgresql', 'mariadb'] as const)('a down() written on SQLite, run on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = authoringProject();
  afterAll(() => project.remove());
  const sqlite = { dialect: 'sqlite', url: `sqlite:${join(project.dir, 'written.sqlite')}` } as TestDatabase;

  test('dropColumn of features.name: the file says string, and down restores varchar(255) NOT NULL', async (ctx) => {
    const db = database(ctx);
    expectOk(await cliOn(sqlite, { cwd: project.dir }).run(['up']));
    writeFileSync(join(project.dir, 'spec.json'), JSON.stringify({ operations: [{ op: 'dropColumn', table: 'features', column: 'name' }] }));
    const made = await cliOn(sqlite, { cwd: project.dir }).json(['new', 'drop_name', '--spec', join(project.dir, 'spec.json')]);
    const cli = cliOn(db, { cwd: project.dir });
    expectOk(await cli.run(['up', R.at(-1)!]));
    await withSql(db, (sql) =>
      sql.query("insert into features (id, user_id, name, is_active, created_at, updated_at) values ('f1', 'u1', 'N', ?, 0, 0)", [true]),
    );
    const before = await schemaShape(db);
    expectOk(await cli.run(['up']));
    expectOk(await cli.run(['down', '--yes']));
    expect(await schemaShape(db)).toEqual(before);
    const source = readFileSync(made.file, 'utf8');
    expect(source).toContain("await op.addColumn('features', { name: 'name', type: 'string', nullable: true });");
    expect(source).not.toContain("type: 'text'");
  }, 150_000);
});

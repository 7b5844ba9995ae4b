import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { authoringProject } from '../helpers/real-project.js';
import { schemaShape } from '../helpers/schema-shape.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// A generated down() runs on a table with rows and restores exactly the shape up() changed.
describe.concurrent.each(DIALECTS)('generated down() on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = authoringProject();
  afterAll(() => project.remove());
  const it = test.sequential;
  const cli = (db: TestDatabase) => cliOn(db, { cwd: project.dir });

  async function author(db: TestDatabase, name: string, spec: unknown): Promise<string> {
    writeFileSync(join(project.dir, `${name}.json`), JSON.stringify(spec));
    const made = await cli(db).json(['new', name, '--spec', join(project.dir, `${name}.json`)]);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the next file gets a later timestamp
    return made.file;
  }

  it('set-up: the example applied, with two features', async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['up']));
    await withSql(db, async (sql) => {
      for (const id of ['f1', 'f2']) {
        await sql.query('insert into features (id, user_id, name, is_active, created_at, updated_at) values (?, ?, ?, ?, 0, 0)', [
          id,
          'u1',
          `N ${id}`,
          true,
        ]);
      }
    });
  });

  it('dropColumn of a NOT NULL column without a default: down restores it NOT NULL on a table with rows, filled', async (ctx) => {
    const db = database(ctx);
    const before = await schemaShape(db);
    const file = await author(db, 'drop_user_id', { operations: [{ op: 'dropColumn', table: 'features', column: 'user_id' }] });
    try {
      expectOk(await cli(db).run(['up']));
      const down = await cli(db).run(['down', '--yes']);
      expect(down.code, down.stderr).toBe(0);
      expect(down.stderr).toMatch(/reverted Migration\d+_drop_user_id/);
      expect(await schemaShape(db)).toEqual(before);
      // The data is gone, the rows are not: each has the neutral value.
      expect(await withSql(db, (sql) => sql.query('select id, user_id from features order by id'))).toEqual([
        { id: 'f1', user_id: '' },
        { id: 'f2', user_id: '' },
      ]);
      expect(readFileSync(file, 'utf8')).toContain("await op.fillColumn('features', 'user_id', '');");
    } finally {
      rmSync(file); // pending again after its down(): the next test applies only its own
    }
  }, 120_000);

  it('alterColumn that adds a default: down takes the default away again', async (ctx) => {
    const db = database(ctx);
    const before = await schemaShape(db);
    await author(db, 'name_default', { operations: [{ op: 'alterColumn', table: 'features', column: 'name', default: 'x' }] });
    expectOk(await cli(db).run(['up']));
    expect(((await schemaShape(db)).features as { columns: Record<string, { default: unknown }> }).columns.name.default).toBeDefined();
    expectOk(await cli(db).run(['down', '--yes']));
    expect(await schemaShape(db)).toEqual(before);
  }, 150_000);
});

import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { expectOk } from '../helpers/expect-cli.js';
import { schemaShape } from '../helpers/schema-shape.js';
import { insertFeatures, withSql } from '../helpers/sql.js';
import { useAuthoringProject } from '../helpers/authoring.js';

// A generated down() runs on a table with rows and restores exactly the shape up() changed.
describe.concurrent.each(DIALECTS)('generated down() on %s', (dialect) => {
  const { database, cli, authorJson } = useAuthoringProject(dialect);
  const it = test.sequential;
  const author = async (db: TestDatabase, name: string, spec: unknown): Promise<string> => (await authorJson(db, name, spec)).file;

  it('set-up: the example applied, with two features', async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['up']));
    await insertFeatures(
      db,
      ['f1', 'f2'].map((id) => ({ id, user_id: 'u1', name: `N ${id}` })),
    );
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

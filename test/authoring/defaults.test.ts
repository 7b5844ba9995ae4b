import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { authoringProject } from '../helpers/real-project.js';
import { tableNames, withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Issue 17: defaults that left `check` out of sync after `up` of a generated file. A string default holding a quote
// (MikroORM quotes an entity's string default without doubling its quotes), and a decimal's default (MariaDB reads
// `default 0` back as 0.00).
const HOSTILE = "a'); drop table users; --";
const SPEC = {
  operations: [
    { op: 'addColumn', table: 'features', column: { name: 'note', type: 'string', default: HOSTILE } },
    { op: 'addColumn', table: 'features', column: { name: 'price', type: 'decimal', precision: 10, scale: 2, default: 0 } },
  ],
};

describe.concurrent.each(DIALECTS)('defaults of a generated revision on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = authoringProject();
  afterAll(() => project.remove());
  const it = test.sequential;

  it('spec → new → up → check in sync; the database holds the default as written, users still there', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir });
    expectOk(await cli.run(['up']));
    writeFileSync(join(project.dir, 'spec.json'), JSON.stringify(SPEC));
    expectOk(await cli.run(['new', 'add_note_and_price', '--spec', join(project.dir, 'spec.json')]));
    expectOk(await cli.run(['up']));
    const check = await cli.run(['check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    await withSql(db, (sql) =>
      sql.query('insert into features (id, user_id, name, is_active, created_at, updated_at) values (?, ?, ?, ?, 0, 0)', ['f1', 'u1', 'n', true]),
    );
    const [row] = await withSql(db, (sql) => sql.query('select note, price from features'));
    expect(row.note).toBe(HOSTILE);
    expect(Number(row.price)).toBe(0);
    expect(await tableNames(db)).toContain('users');
  });

  it("an entity's string default with a quote: check prints MikroORM's SQL with its quotes doubled; --from-entities writes a revision that applies", async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    const file = join(project.dir, 'entities', 'feature.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('properties: {', `properties: {\n    motto: { type: 'string', default: "it's" },`));
    const check = await cli.run(['check']);
    expect(check.code, check.stderr).toBe(4);
    expect(check.stdout).toContain("default 'it''s'");
    expect(check.stdout).not.toMatch(/default 'it's'/);
    // --from-entities takes the same diff: its revision applies, and the entities and the schema agree after it.
    expectOk(await cli.run(['new', 'add_motto', '--from-entities']));
    expectOk(await cli.run(['up']));
    const after = await cli.run(['check']);
    expect(after.code, after.stdout + after.stderr).toBe(0);
  });
});

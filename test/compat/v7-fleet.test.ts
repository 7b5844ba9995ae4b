import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '../helpers/use-database.js';
import { withSql } from '../helpers/sql.js';
import { FIXTURE, installed, projectCopy, runV7 } from './v7-fixture.js';

// fleet status and fleet up on MikroORM 7.2.1 and Node 22 (the fixture compat/v7): SQLite files listed in
// fleet.json; PostgreSQL schemas listed by the config's fleet export, whose function gets MikroORM 7's EntityManager.
// Run with `npx vitest run -c test/compat/vitest.config.ts test/compat/v7-fleet.test.ts`.

const REVISIONS = [
  'Migration20260101090000_create_users',
  'Migration20260102090000_add_channel_table',
  'Migration20260103090000_add_features_table',
  'Migration20260104090000_add_feature_slug',
  'Migration20260105090000_backfill_feature_slug',
  'Migration20260106090000_add_feature_slug_index',
];
const HEAD = REVISIONS[REVISIONS.length - 1];

const run = (args: string[], dir: string, url: string) => runV7(args, dir, url, { timeoutMs: 120_000 });
type Row = { target: string; current: string | null; pending: number };
const rows = (stdout: string) => (JSON.parse(stdout).targets as Row[]).map((t) => [t.target, t.current, t.pending]);

describe.skipIf(!installed)('fleet on MikroORM 7, SQLite files from fleet.json', () => {
  const { dir, remove } = projectCopy('fleet-');
  afterAll(remove);

  test('status lists each file pending; up applies every one under its own history; status then shows them at head', async () => {
    const url = `sqlite:${join(dir, 'main.sqlite')}`;
    mkdirSync(join(dir, 'tenants'));
    writeFileSync(
      join(dir, 'fleet.json'),
      JSON.stringify({ targets: ['sqlite:./tenants/a.sqlite', { url: 'sqlite:./tenants/b.sqlite', name: 'b' }] }),
    );
    const before = await run(['fleet', 'status', '--json'], dir, url);
    expect(before.code, before.stderr).toBe(0);
    expect(rows(before.stdout)).toEqual([
      ['./tenants/a.sqlite', null, 6],
      ['b', null, 6],
    ]);
    const up = await run(['fleet', 'up'], dir, url);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('✓ ./tenants/a.sqlite  applied 6');
    expect(up.stderr).toContain('✓ b  applied 6');
    for (const file of ['a', 'b']) {
      const history = await withSql({ dialect: 'sqlite', url: `sqlite:${join(dir, 'tenants', `${file}.sqlite`)}`, drop: async () => {} }, (sql) =>
        sql.query<{ name: string }>('select name from mikro_orm_migrations order by id'),
      );
      expect(history.map((r) => r.name)).toEqual(REVISIONS);
    }
    const after = await run(['fleet', 'status', '--json'], dir, url);
    expect(rows(after.stdout)).toEqual([
      ['./tenants/a.sqlite', HEAD, 0],
      ['b', HEAD, 0],
    ]);
  });
});

describe.skipIf(!installed)('fleet on MikroORM 7, PostgreSQL schemas from the config', () => {
  const database = useTestDatabase('postgresql');
  const { dir, remove } = projectCopy('fleet-pg-');
  afterAll(remove);

  test("the config's fleet function reads a tenants table through MikroORM 7's EntityManager; up --dry-run, up and status", async (ctx) => {
    const db = database(ctx);
    await withSql(db, async (sql) => {
      await sql.query('create table v7_tenants (id integer primary key, schema_name text not null)');
      await sql.query(`insert into v7_tenants values (1, 'v7_north'), (2, 'v7_south')`);
    });
    const config = readFileSync(join(FIXTURE, 'mikro-orm.config.ts'), 'utf8');
    writeFileSync(
      join(dir, 'mikro-orm.config.ts'),
      `${config}
export const fleet = {
  schemas: async (em: { execute(sql: string): Promise<{ schema_name: string }[]> }) =>
    (await em.execute('select schema_name from v7_tenants order by id')).map((row) => row.schema_name),
};
`,
    );
    const dry = await run(['fleet', 'up', '--dry-run'], dir, db.url);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('-- v7_north: would apply 6');
    expect(dry.stdout).toContain('-- v7_south: would apply 6');
    const untouched = (sql: { query<T>(s: string): Promise<T[]> }) =>
      sql.query<{ n: number }>(`select count(*)::int as n from pg_namespace where nspname like 'v7\\_%'`);
    expect((await withSql(db, untouched))[0].n).toBe(0);

    const up = await run(['fleet', 'up', '--concurrency', '1', '--json'], dir, db.url);
    expect(up.code, up.stderr).toBe(0);
    const done = up.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((e) => e.event === 'target:done');
    expect(done.map((e) => [e.target, e.done])).toEqual([
      ['v7_north', REVISIONS],
      ['v7_south', REVISIONS],
    ]);
    await withSql(db, async (sql) => {
      for (const schema of ['v7_north', 'v7_south']) {
        const history = await sql.query<{ name: string }>(`select name from ${schema}.mikro_orm_migrations order by id`);
        expect(history.map((r) => r.name)).toEqual(REVISIONS);
      }
      const publicTables = await sql.query<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = 'public'`);
      expect(publicTables.map((r) => r.t)).toEqual(['v7_tenants']);
    });
    const status = await run(['fleet', 'status', '--json'], dir, db.url);
    expect(status.code, status.stderr).toBe(0);
    expect(rows(status.stdout)).toEqual([
      ['v7_north', HEAD, 0],
      ['v7_south', HEAD, 0],
    ]);
  });
});

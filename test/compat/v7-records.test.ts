import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, type TestContext, test } from 'vitest';
import type { TestDatabase } from '../helpers/databases.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { installed, projectCopy, runV7 as run } from './v7-fixture.js';

// MikroORM 7 on SQLite: a revision's records (our claim under the lock, MikroORM's row) are written on better-sqlite3
// itself inside the revision's transaction, not through MikroORM's query path. What a person sees must not change:
// every revision recorded with its checksum, a lost lock and a revision claimed by someone else stop the run before
// anything of theirs stays. Run with `npx vitest run -c test/compat/vitest.config.ts test/compat/v7-records.test.ts`.

const FIRST = 'Migration20270101090000_v7apply_first';
const SECOND = 'Migration20270102090000_v7apply_second';
const THIRD = 'Migration20270103090000_v7apply_third';

/** A revision that creates `table`, then runs `also` (SQL) in the same up(). */
const revision = (name: string, table: string, also = '') => `import { Migration } from '@mikro-orm/migrations';

export class ${name} extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table ${table} (id integer primary key)');${also ? `\n    this.addSql(${JSON.stringify(also)});` : ''}
  }

  override async down(): Promise<void> {
    this.addSql('drop table ${table}');
  }
}
`;

const OURS = [FIRST, SECOND, THIRD];

describe('MikroORM 7.2.1 on Node 22: the records of each revision on SQLite', () => {
  const database = useTestDatabase('sqlite');
  const project = projectCopy('v7apply-records-');
  afterAll(() => project.remove());
  const write = (name: string, source: string) => writeFileSync(join(project.dir, 'migrations', `${name}.ts`), source);
  beforeEach(() => {
    for (const name of OURS) rmSync(join(project.dir, 'migrations', `${name}.ts`), { force: true });
  });
  /** A SQLite file of the test's own, beside the describe block's database. */
  let files = 0;
  const fresh = (ctx: TestContext): TestDatabase => {
    const db = database(ctx);
    return { ...db, url: `sqlite:${join(dirname(db.url.replace(/^sqlite:/, '')), `v7apply-${++files}.sqlite`)}` };
  };

  const state = (db: TestDatabase) =>
    withSql(db, async (sql) => ({
      mikroOrm: (await sql.query<{ name: string }>('select name from mikro_orm_migrations order by id')).map((r) => r.name),
      ours: await sql.query<{ name: string; checksum: string }>('select name, checksum from migrate_ui_revisions order by name'),
      tables: (await sql.query<{ name: string }>(`select name from sqlite_master where type = 'table' and name like 'v7apply_%' order by 1`)).map(
        (r) => r.name,
      ),
    }));

  test.for([
    ['one transaction per revision', []],
    ['--all-or-nothing', ['--all-or-nothing']],
  ] as [string, string[]][])('up (%s): every revision recorded in both tables with its checksum, status all applied', async ([, flags], ctx) => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    const db = fresh(ctx);
    const { url } = db;
    // The fixture's own revisions first: its data migration commits per batch, which one transaction cannot hold.
    const before = await run(['up', '--json'], project.dir, url);
    expect(before.code, before.stderr).toBe(0);
    const fixture = JSON.parse(before.stdout).applied as string[];
    write(FIRST, revision(FIRST, 'v7apply_a'));
    write(SECOND, revision(SECOND, 'v7apply_b'));
    const up = await run(['up', '--json', ...flags], project.dir, url);
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout).applied).toEqual([FIRST, SECOND]);
    const applied = [...fixture, FIRST, SECOND];
    const after = await state(db);
    expect(after.mikroOrm).toEqual(applied);
    expect(after.ours.map((r) => r.name)).toEqual([...applied].sort());
    expect(after.ours.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
    expect(after.tables).toEqual(['v7apply_a', 'v7apply_b']);
    const status = JSON.parse((await run(['status', '--json'], project.dir, url)).stdout);
    expect(status.revisions.map((r: { status: string }) => r.status)).toEqual(applied.map(() => 'applied'));
  });

  test('a revision that takes the lock away: the next one stops before it runs, one line, and nothing of it stays', async (ctx) => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    const db = fresh(ctx);
    const { url } = db;
    write(FIRST, revision(FIRST, 'v7apply_a'));
    // As another run would leave it, having taken a lock it found stale: the row names someone else.
    write(SECOND, revision(SECOND, 'v7apply_b', "update migrate_ui_lock set holder = 'another-run'"));
    write(THIRD, revision(THIRD, 'v7apply_c'));
    const up = await run(['up'], project.dir, url);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toMatch(/^migrate-ui: .*the migration lock was lost/m);
    expect(up.stderr).not.toContain('    at ');
    const after = await state(db);
    expect(after.tables).toEqual(['v7apply_a', 'v7apply_b']);
    expect(after.mikroOrm).not.toContain(THIRD);
    expect(after.ours.map((r) => r.name)).not.toContain(THIRD);
    expect(after.mikroOrm.filter((n) => OURS.includes(n))).toEqual([FIRST, SECOND]);
  });

  test('a revision already claimed when its turn comes: it fails on its claim, before it runs, and nothing of it stays', async (ctx) => {
    expect(installed, 'compat/v7 is not installed').toBe(true);
    const db = fresh(ctx);
    const { url } = db;
    write(FIRST, revision(FIRST, 'v7apply_a'));
    // Our claim of the next revision, written ahead of it, as a second run that got there first would have.
    write(
      SECOND,
      revision(SECOND, 'v7apply_b', `insert into migrate_ui_revisions (name, checksum, kind, applied_at) values ('${THIRD}', 'x', 'schema', 0)`),
    );
    write(THIRD, revision(THIRD, 'v7apply_c'));
    const up = await run(['up'], project.dir, url);
    expect(up.code).not.toBe(0);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain(`✗ ${THIRD} failed (up)`);
    expect(up.stderr).toContain('UNIQUE constraint failed: migrate_ui_revisions.name');
    expect(up.stderr).not.toContain('    at ');
    const after = await state(db);
    expect(after.tables).toEqual(['v7apply_a', 'v7apply_b']);
    expect(after.mikroOrm).not.toContain(THIRD);
    expect(after.ours.find((r) => r.name === THIRD)?.checksum).toBe('x');
  });
});

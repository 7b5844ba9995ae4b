import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { expectOk } from '../helpers/expect-cli.js';
import { EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { schemaShape } from '../helpers/schema-shape.js';
import { insertFeatures, withSql } from '../helpers/sql.js';
import { createTable, foreignKey, PROJECT_KEYS } from '../helpers/spec.js';
import { useAuthoringProject } from '../helpers/authoring.js';

// Each operation of DESIGN §5 as a revision of its own, then one spec mixing them: the generated file applies,
// the entities it edits and the schema are in sync (`check`, MikroORM's own diff), down() reverts to exactly the
// schema before (the schema compared, not the exit code), and it applies again.
const SINGLES: Array<[string, unknown]> = [
  [
    'create_projects',
    createTable('projects', ...PROJECT_KEYS, { name: 'data', type: 'json', nullable: true }, { name: 'created_at', type: 'bigint' }),
  ],
  ['add_priority', { op: 'addColumn', table: 'features', column: { name: 'priority', type: 'integer', nullable: true, default: 0 } }],
  ['alter_priority', { op: 'alterColumn', table: 'features', column: 'priority', nullable: false, type: 'bigint', default: 1 }],
  ['rename_priority', { op: 'renameColumn', table: 'features', from: 'priority', to: 'rank' }],
  ['index_projects_user', { op: 'createIndex', table: 'projects', columns: ['user_id'], name: 'ix_projects_user_id' }],
  ['drop_projects_user_index', { op: 'dropIndex', table: 'projects', name: 'ix_projects_user_id' }],
  [
    'projects_user_fk',
    { op: 'addForeignKey', table: 'projects', columns: ['user_id'], references: { table: 'users', columns: ['id'] }, onDelete: 'cascade' },
  ],
  ['rename_projects', { op: 'renameTable', from: 'projects', to: 'workspaces' }],
  ['drop_rank', { op: 'dropColumn', table: 'features', column: 'rank' }],
  ['backfill_slug', { op: 'backfill', table: 'features', set: { slug: 'lower(name)' }, where: 'slug is null' }],
  ['drop_workspaces', { op: 'dropTable', table: 'workspaces' }],
  // Last: raw SQL makes a table no entity maps, so `check` differs from here on.
  ['notes_by_sql', { op: 'sql', up: 'create table notes (id integer primary key)', down: 'drop table notes' }],
];

const MIXED = {
  operations: [
    createTable('projects', ...PROJECT_KEYS, { name: 'title', type: 'string', length: 100, unique: true }),
    { op: 'createIndex', table: 'projects', columns: ['user_id'] },
    { op: 'addColumn', table: 'features', column: { name: 'priority', type: 'integer', nullable: true, default: 0 } },
    { op: 'alterColumn', table: 'features', column: 'priority', nullable: false, default: 2 },
    { op: 'renameColumn', table: 'features', from: 'priority', to: 'rank' },
    foreignKey('projects', 'user_id', 'users', { onDelete: 'cascade' }),
    { op: 'dropIndex', table: 'features', name: 'ix_features_created_at' },
    { op: 'dropColumn', table: 'features', column: 'description' },
    { op: 'renameTable', from: 'channel', to: 'channels' },
    { op: 'sql', up: 'update features set is_active = is_active', down: 'update features set is_active = is_active' },
    { op: 'backfill', table: 'features', set: { slug: 'lower(name)' }, where: 'slug is null' },
    { op: 'dropTable', table: 'channels' },
  ],
};

describe.concurrent.each(DIALECTS)('generated revisions on %s', (dialect) => {
  const { database, project, cli, authorJson } = useAuthoringProject(dialect);
  const it = test.sequential;

  /** Writes the spec, runs `new`, and returns the file it wrote. */
  async function author(db: TestDatabase, name: string, spec: unknown): Promise<string> {
    const made = await authorJson(db, name, spec);
    expect(made.file).toMatch(new RegExp(`Migration\\d{14}_${name}\\.ts$`));
    expect(made.sql[dialect === 'mariadb' ? 'mariadb' : dialect].length).toBeGreaterThan(0);
    return made.file;
  }

  /** up, then down reverts to exactly the schema before, then up again. */
  async function roundTrip(db: TestDatabase, name: string): Promise<void> {
    const before = await schemaShape(db);
    const up = await cli(db).json(['up']);
    expect(up.applied, JSON.stringify(up)).toEqual([expect.stringMatching(new RegExp(`_${name}$`))]);
    const after = await schemaShape(db);
    if (name !== 'notes_by_sql') {
      const check = await cli(db).run(['check']);
      expect(check.code, `${name}: ${check.stdout}${check.stderr}`).toBe(0);
    }
    const down = await cli(db).json(['down', '--yes']);
    expect(down.reverted, JSON.stringify(down)).toHaveLength(1);
    expect(await schemaShape(db), `${name}: down() left the schema different`).toEqual(before);
    expect((await cli(db).json(['up'])).applied).toHaveLength(1);
    expect(await schemaShape(db), `${name}: the second up differs from the first`).toEqual(after);
  }

  it('set-up: the example applied, and three features to backfill', async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['up']));
    await insertFeatures(
      db,
      ['f1', 'f2', 'f3'].map((id) => ({ id, user_id: 'u1', name: `Name ${id.toUpperCase()}` })),
    );
  });

  for (const [name, operation] of SINGLES) {
    it(`${(operation as { op: string }).op}: applies, reverts to the schema before, applies again`, async (ctx) => {
      const db = database(ctx);
      await author(db, name, { operations: [operation] });
      await roundTrip(db, name);
      if (name === 'backfill_slug') {
        expect(await withSql(db, (sql) => sql.query('select slug from features order by id'))).toEqual([
          { slug: 'name f1' },
          { slug: 'name f2' },
          { slug: 'name f3' },
        ]);
      }
    });
  }

  it('one spec mixing them all: applies, reverts to the schema before, applies again', async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['down', R.at(-1)!, '--yes']));
    for (const file of readdirSync(project.migrationsDir).filter((f) => !R.some((r) => f.startsWith(r)))) rmSync(join(project.migrationsDir, file));
    // The entities as the example has them again (the single operations edited them).
    rmSync(join(project.dir, 'entities'), { recursive: true });
    for (const entry of ['entities', 'mikro-orm.config.ts']) cpSync(join(ROOT, entry), join(project.dir, entry), { recursive: true });
    await author(db, 'everything', MIXED);
    await roundTrip(db, 'everything');
  });
});

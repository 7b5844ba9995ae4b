import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Project } from '../../src/index.js';
import { databaseOf } from '../../src/core/project.js';
import { literal } from '../../src/authoring/print.js';
import { readSnapshot } from '../../src/authoring/snapshot.js';
import { ROOT } from '../helpers/cli.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { authoringProject } from '../helpers/real-project.js';
import { schemaShape } from '../helpers/schema-shape.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

/** The checks of a table as the database has them: name → condition. */
async function checksOf(db: TestDatabase, table: string): Promise<Record<string, string>> {
  const project = await Project.open({ cwd: ROOT, configPath: `${ROOT}/mikro-orm.config.ts`, dbUrl: db.url, env: {} });
  try {
    const snapshot = await readSnapshot(databaseOf(project));
    return Object.fromEntries((snapshot.tables.get(table)?.checks ?? []).map((c) => [c.name, c.expression]));
  } finally {
    await project.close();
  }
}

// dropForeignKey, renameIndex, addCheck and dropCheck, each written by `new --spec`, applied, and taken back by its
// generated down() to exactly the schema before, on a table with rows.
describe.concurrent.each(DIALECTS)('the operations added as one entry each, on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = authoringProject();
  afterAll(() => project.remove());
  const it = test.sequential;
  const cli = (db: TestDatabase) => cliOn(db, { cwd: project.dir });

  async function author(db: TestDatabase, name: string, spec: unknown): Promise<{ file: string; source: string; warnings: unknown[] }> {
    writeFileSync(join(project.dir, `${name}.json`), JSON.stringify(spec));
    const made = await cli(db).json(['new', name, '--spec', join(project.dir, `${name}.json`)]);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the next file gets a later timestamp
    return { file: made.file, source: readFileSync(made.file, 'utf8'), warnings: made.warnings };
  }

  /** The entity files and the config as they are now; the function puts them back (a new entity file goes). */
  function keepEntities(): () => void {
    const dir = join(project.dir, 'entities');
    const files = new Map(
      [...readdirSync(dir).map((f) => join(dir, f)), join(project.dir, 'mikro-orm.config.ts')].map((f) => [f, readFileSync(f, 'utf8')]),
    );
    return () => {
      for (const f of readdirSync(dir).map((name) => join(dir, name))) if (!files.has(f)) rmSync(f);
      for (const [f, text] of files) writeFileSync(f, text);
    };
  }

  /** Applies the revision, runs `check` on it, reverts it, and leaves no file behind. */
  async function upAndDown(db: TestDatabase, file: string, after: (shape: Record<string, unknown>) => Promise<void>): Promise<void> {
    const before = await schemaShape(db);
    try {
      expectOk(await cli(db).run(['up']));
      await after(await schemaShape(db));
      const down = await cli(db).run(['down', '--yes']);
      expect(down.code, down.stderr).toBe(0);
      expect(await schemaShape(db)).toEqual(before);
    } finally {
      rmSync(file);
    }
  }

  it('set-up: the example applied, a user and a feature', async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['up']));
    await withSql(db, async (sql) => {
      await sql.query('insert into features (id, user_id, name, is_active, created_at, updated_at) values (?, ?, ?, ?, 0, 0)', [
        'f1',
        'u1',
        'N f1',
        true,
      ]);
    });
  });

  it('renameIndex: up renames the index, down() names it back', async (ctx) => {
    const db = database(ctx);
    const made = await author(db, 'rename_slug_index', {
      operations: [{ op: 'renameIndex', table: 'features', from: 'ix_features_slug', to: 'features_slug_idx' }],
    });
    expect(made.source).toContain("await op.renameIndex('features', 'ix_features_slug', 'features_slug_idx', { columns: ['slug'] });");
    expect(made.source).toContain("await op.renameIndex('features', 'features_slug_idx', 'ix_features_slug', { columns: ['slug'] });");
    await upAndDown(db, made.file, async (shape) => {
      const indexes = (shape.features as { indexes: string[] }).indexes;
      expect(indexes).toContain('features_slug_idx(slug)');
      expect(indexes.some((i) => i.startsWith('ix_features_slug('))).toBe(false);
    });
  }, 150_000);

  it('addCheck: up adds the check (a row breaking it is refused), down() drops it', async (ctx) => {
    const db = database(ctx);
    const made = await author(db, 'name_not_empty', {
      operations: [{ op: 'addCheck', table: 'features', name: 'features_name_not_empty', expression: "name <> ''" }],
    });
    expect(made.source).toContain(`await op.addCheck('features', 'features_name_not_empty', ${literal("name <> ''")});`);
    expect(made.source).toContain("await op.dropCheck('features', 'features_name_not_empty');");
    await upAndDown(db, made.file, async () => {
      expect(Object.keys(await checksOf(db, 'features'))).toContain('features_name_not_empty');
      // The row that was there survived the rebuild (SQLite) and still reads the same.
      expect(await withSql(db, (sql) => sql.query('select id, name from features'))).toEqual([{ id: 'f1', name: 'N f1' }]);
      await expect(withSql(db, (sql) => sql.query("update features set name = '' where id = 'f1'"))).rejects.toThrow();
    });
    expect(Object.keys(await checksOf(db, 'features'))).not.toContain('features_name_not_empty');
  }, 150_000);

  it('dropCheck: down() restores the check with the condition the database had', async (ctx) => {
    const db = database(ctx);
    const added = await author(db, 'name_check', {
      operations: [{ op: 'addCheck', table: 'features', name: 'features_name_check', expression: "name <> 'forbidden'" }],
    });
    expectOk(await cli(db).run(['up']));
    const had = await checksOf(db, 'features');
    expect(had.features_name_check).toMatch(/forbidden/);
    const dropped = await author(db, 'drop_name_check', { operations: [{ op: 'dropCheck', table: 'features', name: 'features_name_check' }] });
    expect(dropped.source).toContain("await op.dropCheck('features', 'features_name_check');");
    // down() says the condition as the database reports it.
    expect(dropped.source).toContain(`await op.addCheck('features', 'features_name_check', ${literal(had.features_name_check)});`);
    await upAndDown(db, dropped.file, async () => {
      expect(await checksOf(db, 'features')).not.toHaveProperty('features_name_check');
    });
    expect(await checksOf(db, 'features')).toEqual(had);
    expectOk(await cli(db).run(['down', '--yes']));
    rmSync(added.file);
  }, 200_000);

  it('dropForeignKey: down() adds the key again with its columns, referenced table and rules', async (ctx) => {
    const db = database(ctx);
    await withSql(db, async (sql) => {
      await sql.query('delete from features');
    });
    const restore = keepEntities();
    const added = await author(db, 'features_user_key', {
      operations: [
        { op: 'createTable', table: 'owners', columns: [{ name: 'id', type: 'string', primary: true }] },
        { op: 'addForeignKey', table: 'features', columns: ['user_id'], references: { table: 'owners', columns: ['id'] }, onDelete: 'cascade' },
      ],
    });
    expectOk(await cli(db).run(['up']));
    const key = 'features_user_id_foreign';
    expect(((await schemaShape(db)).features as { foreignKeys: string[] }).foreignKeys).toEqual([`${key}(user_id)->owners(id) cascade`]);
    const dropped = await author(db, 'drop_features_user_key', { operations: [{ op: 'dropForeignKey', table: 'features', name: key }] });
    expect(dropped.source).toContain(`await op.dropForeignKey('features', ['user_id'], { name: '${key}' });`);
    // down() says the rules as the database reports them (on update: its default).
    expect(dropped.source).toMatch(
      new RegExp(
        `await op\\.addForeignKey\\('features', \\['user_id'\\], \\{ table: 'owners', columns: \\['id'\\] \\}, \\{ name: '${key}', onDelete: 'cascade'(, onUpdate: '[a-z ]+')? \\}\\);`,
      ),
    );
    await upAndDown(db, dropped.file, async (shape) => {
      expect((shape.features as { foreignKeys: string[] }).foreignKeys).toEqual([]);
    });
    expectOk(await cli(db).run(['down', '--yes']));
    rmSync(added.file);
    restore();
  }, 200_000);

  it("--from-entities: MikroORM's removed foreign key, renamed index and new check become the three operations, reverted exactly", async (ctx) => {
    const db = database(ctx);
    const entities = join(project.dir, 'entities', 'feature.ts');
    const original = readFileSync(entities, 'utf8');
    const restore = keepEntities();
    // A foreign key the entities do not declare (the spec's entity edit is put back: only the schema has it).
    const keyed = await author(db, 'features_user_key_again', {
      operations: [{ op: 'addForeignKey', table: 'features', columns: ['user_id'], references: { table: 'users', columns: ['id'] } }],
    });
    expectOk(await cli(db).run(['up']));
    const before = await schemaShape(db);
    restore();
    writeFileSync(
      entities,
      original
        .replace("{ name: 'ix_features_slug', properties: ['slug'] }", "{ name: 'features_slug_idx', properties: ['slug'] }")
        .replace('  indexes: [', "  checks: [{ name: 'features_name_not_empty', expression: \"name <> ''\" }],\n  indexes: ["),
    );
    const made = await cli(db).json(['new', 'sync_keys', '--from-entities']);
    const source = readFileSync(made.file, 'utf8');
    const spec = JSON.parse(/@migrate-ui spec (.*)/.exec(source)![1]) as { operations: Array<{ op: string }> };
    const ops = spec.operations.map((o) => o.op);
    expect(ops).toContain('renameIndex');
    expect(ops).toContain('addCheck');
    expect(spec.operations).toContainEqual({ op: 'renameIndex', table: 'features', from: 'ix_features_slug', to: 'features_slug_idx' });
    // MikroORM's diff reports SQLite's foreign keys as removed whether or not they are: there none is dropped.
    if (dialect === 'sqlite') expect(ops).not.toContain('dropForeignKey');
    else expect(spec.operations).toContainEqual({ op: 'dropForeignKey', table: 'features', name: 'features_user_id_foreign' });
    expect(ops).not.toContain('sql');
    try {
      expectOk(await cli(db).run(['up']));
      const after = await schemaShape(db);
      expect((after.features as { foreignKeys: string[] }).foreignKeys).toEqual(
        dialect === 'sqlite' ? (before.features as { foreignKeys: string[] }).foreignKeys : [],
      );
      expect((after.features as { indexes: string[] }).indexes).toContain('features_slug_idx(slug)');
      expect(Object.keys(await checksOf(db, 'features'))).toContain('features_name_not_empty');
      // MikroORM reads no checks back from SQLite, so only the other two databases can agree with the entities' check.
      if (dialect !== 'sqlite') expect((await cli(db).run(['check'])).code).toBe(0);
      expectOk(await cli(db).run(['down', '--yes']));
      expect(await schemaShape(db)).toEqual(before);
      expect(Object.keys(await checksOf(db, 'features'))).not.toContain('features_name_not_empty');
    } finally {
      rmSync(made.file);
      restore();
    }
    expectOk(await cli(db).run(['down', '--yes']));
    rmSync(keyed.file);
  }, 200_000);
});

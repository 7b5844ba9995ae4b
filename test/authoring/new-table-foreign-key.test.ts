import { describe, expect, test } from 'vitest';
import { useAuthoringProject } from '../helpers/authoring.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { expectOk } from '../helpers/expect-cli.js';
import { schemaShape } from '../helpers/schema-shape.js';
import { withSql } from '../helpers/sql.js';
import { createTable, foreignKey, PROJECT_KEYS } from '../helpers/spec.js';

// Issue 21: a new table with a foreign key (the form's "references" on a column brings an addForeignKey right after
// the createTable) was created, then rebuilt at once on SQLite (create, copy, drop, rename). It is created with it.
const PROJECTS = { operations: [createTable('projects', ...PROJECT_KEYS), foreignKey('projects', 'user_id', 'users', { onDelete: 'cascade' })] };

/** The foreign keys of projects as `column → table.column on delete rule`, read from the database's own catalogue. */
async function projectKeys(db: TestDatabase): Promise<string[]> {
  return withSql(db, async (sql) => {
    const rows =
      db.dialect === 'sqlite'
        ? await sql.query(`select "from" as child, "table" as parent, "to" as target, on_delete as rule from pragma_foreign_key_list('projects')`)
        : db.dialect === 'postgresql'
          ? await sql.query(
              `select k.column_name as child, c.table_name as parent, c.column_name as target, r.delete_rule as rule
               from information_schema.referential_constraints r
               join information_schema.key_column_usage k on k.constraint_name = r.constraint_name and k.table_schema = r.constraint_schema
               join information_schema.constraint_column_usage c on c.constraint_name = r.constraint_name and c.table_schema = r.constraint_schema
               where k.table_name = 'projects' and k.table_schema = current_schema()`,
            )
          : await sql.query(
              `select k.column_name as child, k.referenced_table_name as parent, k.referenced_column_name as target, r.delete_rule as rule
               from information_schema.referential_constraints r
               join information_schema.key_column_usage k on k.constraint_name = r.constraint_name and k.constraint_schema = r.constraint_schema
               where k.table_name = 'projects' and k.table_schema = database()`,
            );
    return rows.map(
      (r) => `${r.child ?? r.CHILD} → ${r.parent ?? r.PARENT}.${r.target ?? r.TARGET} on delete ${String(r.rule ?? r.RULE).toLowerCase()}`,
    );
  });
}

describe.concurrent.each(DIALECTS)('a new table with a foreign key on %s', (dialect) => {
  const { database, cli, authorJson } = useAuthoringProject(dialect);
  const it = test.sequential;
  let before: Record<string, unknown> = {};
  let revision = '';

  it('the SQL the revision sends on SQLite creates projects with its key: no rebuild', async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['up']));
    before = await schemaShape(db);
    const made = await authorJson(db, 'add_projects', PROJECTS);
    revision = made.file.slice(made.file.lastIndexOf('/') + 1, -3);
    const sqlite: string[] = made.sql.sqlite;
    expect(sqlite.filter((s) => /projects/.test(s))).toEqual([
      'create table `projects` (`id` text not null, `user_id` text not null, primary key (`id`), constraint `projects_user_id_foreign` foreign key (`user_id`) references `users` (`id`) on delete cascade)',
      'create index `projects_user_id_index` on `projects` (`user_id`)',
    ]);
  });

  it('up sends that SQL on this database, and the key is there with its rule', async (ctx) => {
    const db = database(ctx);
    const dry = await cli(db).run(['up', '--dry-run']);
    expectOk(dry);
    expect(dry.stdout).not.toMatch(/__migrate_ui_new|insert into|drop table/);
    expect(dry.stdout).toMatch(/create table .projects./);
    expectOk(await cli(db).run(['up']));
    expect(await projectKeys(db)).toEqual(['user_id → users.id on delete cascade']);
    // The key holds: a project follows its user away.
    await withSql(db, async (sql) => {
      await sql.query(`insert into users (id, name, email, created_at) values ('u1', 'U', 'u1@x', 1)`);
      await sql.query(`insert into projects (id, user_id) values ('p1', 'u1')`);
      if (db.dialect === 'sqlite') await sql.query('pragma foreign_keys = on');
      await sql.query(`delete from users where id = 'u1'`);
      expect(await sql.query('select id from projects')).toEqual([]);
    });
    const check = await cli(db).run(['check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('down takes projects away, key and index too, and the schema is as before', async (ctx) => {
    const db = database(ctx);
    const down = await cli(db).json(['down', '--yes', '--json']);
    expect(down.reverted).toEqual([revision]);
    expect(await schemaShape(db)).toEqual(before);
  });
});

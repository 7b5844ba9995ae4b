import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { authoringProject } from '../helpers/real-project.js';
import { withSql } from '../helpers/sql.js';
import type { TestDatabase } from '../helpers/databases.js';
import { createTable, foreignKey, PROJECT_KEYS } from '../helpers/spec.js';
import { mikroOrmCli } from '../helpers/cli.js';

const PROJECTS = {
  operations: [createTable('projects', ...PROJECT_KEYS), foreignKey('projects', 'user_id', 'users', { onDelete: 'cascade' })],
};
const EMAIL = { operations: [{ op: 'alterColumn', table: 'users', column: 'email', nullable: true }] };

// A SQLite rebuild of a table others reference (alterColumn users.email, projects → users on delete cascade): with
// enforcement on, dropping users would delete every project; migrate-ui runs it with enforcement off, both ways.
describe('rebuilding a referenced SQLite table keeps every row, parent and child', () => {
  const project = authoringProject();
  // The config's own file, so MikroORM's CLI opens the same database.
  const sqlite = { dialect: 'sqlite' as const, url: `sqlite:${join(project.dir, 'example.sqlite')}` } as TestDatabase;
  const database = (_ctx: unknown) => sqlite;
  project.write('projects.json', JSON.stringify(PROJECTS));
  project.write('email.json', JSON.stringify(EMAIL));
  afterAll(() => project.remove());
  const it = test.sequential;
  let email = '';

  const rows = (ctx: unknown) =>
    withSql(database(ctx), async (sql) => ({
      users: (await sql.query('select id from users order by id')).map((r) => r.id),
      projects: (await sql.query('select id, user_id from projects order by id')).map((r) => `${r.id}:${r.user_id}`),
      references: (await sql.query(`select "table" as parent, on_delete from pragma_foreign_key_list('projects')`)).map(
        (r) => `${r.parent} ${r.on_delete}`,
      ),
      nullable: (await sql.query(`select "notnull" as nn from pragma_table_info('users') where name = 'email'`))[0].nn === 0,
    }));

  it('set-up: users and projects with rows', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    // The spec's foreign key points at users, which the live schema must hold (validation reads it).
    expectOk(await cli.run(['up']));
    expectOk(await cli.run(['new', 'add_projects', '--spec', 'projects.json']));
    expectOk(await cli.run(['up']));
    await withSql(database(ctx), async (sql) => {
      for (const id of ['u1', 'u2']) await sql.query(`insert into users (id, name, email, created_at) values (?, ?, ?, 1)`, [id, id, `${id}@x`]);
      for (const [id, user] of [
        ['p1', 'u1'],
        ['p2', 'u1'],
        ['p3', 'u2'],
        // Written once while enforcement was off (this connection's default): it references nothing, and stays.
        ['p9', 'u9'],
      ])
        await sql.query('insert into projects (id, user_id) values (?, ?)', [id, user]);
    });
    const made = await cli.json(['new', 'email_optional', '--spec', 'email.json', '--json']);
    email = made.file.slice(made.file.lastIndexOf('/') + 1, -3);
  });

  it('MikroORM’s own migration:up (enforcement on, in its transaction) refuses the rebuild and loses nothing', async (ctx) => {
    let output = '';
    try {
      mikroOrmCli(project.dir, 'migration:up');
    } catch (error) {
      output = String((error as { stderr?: string }).stderr ?? error);
    }
    expect(output).toContain('rebuilding users on SQLite needs foreign-key enforcement off (projects references it)');
    expect(await rows(ctx)).toMatchObject({ users: ['u1', 'u2'], projects: ['p1:u1', 'p2:u1', 'p3:u2', 'p9:u9'], nullable: false });
  });

  it('inside one transaction around the run (--all-or-nothing) it refuses the same way, exit 1, and loses nothing', async (ctx) => {
    const result = await cliOn(database(ctx), { cwd: project.dir }).run(['up', '--all-or-nothing']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('rebuilding users on SQLite needs foreign-key enforcement off (projects references it)');
    expect(await rows(ctx)).toMatchObject({ users: ['u1', 'u2'], projects: ['p1:u1', 'p2:u1', 'p3:u2', 'p9:u9'], nullable: false });
  });

  it('up rebuilds users: every user and every project stays, the foreign key with its cascade too', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    const up = await cli.json(['up', '--json']);
    expect(up.applied).toEqual([email]);
    expect(await rows(ctx)).toEqual({
      users: ['u1', 'u2'],
      projects: ['p1:u1', 'p2:u1', 'p3:u2', 'p9:u9'],
      references: ['users CASCADE'],
      nullable: true,
    });
  });

  it('down rebuilds it back: every row stays again', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    const down = await cli.json(['down', '--yes', '--json']);
    expect(down.reverted).toEqual([email]);
    expect(await rows(ctx)).toEqual({
      users: ['u1', 'u2'],
      projects: ['p1:u1', 'p2:u1', 'p3:u2', 'p9:u9'],
      references: ['users CASCADE'],
      nullable: false,
    });
    // Enforcement is back on for the next revision: the cascade still deletes a user's projects.
    await withSql(database(ctx), async (sql) => {
      await sql.query('pragma foreign_keys = on');
      await sql.query(`delete from users where id = 'u2'`);
    });
    expect((await rows(ctx)).projects).toEqual(['p1:u1', 'p2:u1', 'p9:u9']);
  });

  // Issue 17 (round 3): a backfill written by new --spec is a DataMigration; its schema changes before and after the
  // steps rebuilt users with enforcement on, which refuses ("needs foreign-key enforcement off") instead of running.
  it('a backfill whose schema changes before and after it rebuild users: every row stays, both rebuilds run', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    const spec = {
      operations: [
        { op: 'alterColumn', table: 'users', column: 'name', nullable: true },
        { op: 'backfill', table: 'users', set: { name: "upper(name) || '!'" } },
        { op: 'alterColumn', table: 'users', column: 'name', nullable: false },
      ],
    };
    project.write('shout.json', JSON.stringify(spec));
    const made = await cli.json(['new', 'shout_names', '--spec', 'shout.json', '--json']);
    const shout = made.file.slice(made.file.lastIndexOf('/') + 1, -3);
    const up = await cli.json(['up', '--json']);
    expect(up.failed?.message).toBeUndefined();
    expect(up.applied).toEqual([email, shout]);
    expect(await rows(ctx)).toEqual({ users: ['u1'], projects: ['p1:u1', 'p2:u1', 'p9:u9'], references: ['users CASCADE'], nullable: true });
    const users = await withSql(database(ctx), (sql) => sql.query(`select id, name from users order by id`));
    expect(users).toEqual([{ id: 'u1', name: 'U1!' }]);
    const name = await withSql(database(ctx), (sql) => sql.query(`select "notnull" as nn from pragma_table_info('users') where name = 'name'`));
    expect(name).toEqual([{ nn: 1 }]);
    // Enforcement is back on afterwards: the cascade still works.
    await withSql(database(ctx), async (sql) => {
      await sql.query('pragma foreign_keys = on');
      await sql.query(`insert into users (id, name, email, created_at) values ('u3', 'c', 'c@x', 1)`);
      await sql.query(`insert into projects (id, user_id) values ('p4', 'u3')`);
      await sql.query(`delete from users where id = 'u3'`);
    });
    expect((await rows(ctx)).projects).toEqual(['p1:u1', 'p2:u1', 'p9:u9']);
  });

  it('a revision that would leave rows referencing nothing (a delete that no longer cascades) fails and is rolled back whole', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    const spec = {
      operations: [
        { op: 'alterColumn', table: 'users', column: 'name', nullable: true },
        { op: 'sql', up: "delete from users where id = 'u1'", down: '' },
      ],
    };
    project.write('orphan.json', JSON.stringify(spec));
    expectOk(await cli.run(['new', 'orphan_projects', '--spec', 'orphan.json']));
    const result = await cli.run(['up']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/orphan_projects, 2 rows of projects reference missing rows of users/);
    expect(await rows(ctx)).toMatchObject({ users: ['u1'], projects: ['p1:u1', 'p2:u1', 'p9:u9'] });
    const status = await cli.json(['status', '--json']);
    expect(status.revisions.at(-1)).toMatchObject({ name: expect.stringContaining('orphan_projects'), status: 'pending' });
  });
});

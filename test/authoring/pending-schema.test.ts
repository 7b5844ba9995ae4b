import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { expectOk, expectShortError } from '../helpers/expect-cli.js';
import { migration } from '../helpers/real-project.js';
import { recordedRevisions, withSql } from '../helpers/sql.js';
import { createTable, PROJECT_KEYS } from '../helpers/spec.js';
import { useAuthoringProject } from '../helpers/authoring.js';

const USERS = 'Migration20260101090000_create_users';
const COPY = 'Migration20300101090000_copy_users';

const PROJECTS = { operations: [createTable('projects', ...PROJECT_KEYS)] };
// projects comes from a pending revision written from a spec, users from the example's, written by hand.
const PROJECTS_USER = {
  operations: [{ op: 'addForeignKey', table: 'projects', columns: ['user_id'], references: { table: 'users', columns: ['id'] } }],
};
const USERS_NAME_INDEX = { operations: [{ op: 'createIndex', table: 'users', columns: ['name'], name: 'ix_users_name' }] };

// Issue 17 (round 3): validation read the live schema only, so a spec naming a table a pending revision creates was
// refused ("table projects does not exist") although it runs after that revision. It is checked against the schema
// the pending revisions leave: written from a spec, exactly; written by hand, as far as their SQL tells.
describe.concurrent.each(DIALECTS)('a spec over pending revisions on %s', (dialect) => {
  const { database, project, cli, author } = useAuthoringProject(dialect);
  const it = test.sequential;

  it('a foreign key from a table a pending spec creates to one a pending hand-written revision creates is written', async (ctx) => {
    const db = database(ctx);
    // A fresh database: every revision of the example is pending.
    expect((await cli(db).json(['status', '--json'])).pending).toBe(6);
    expectOk(await author(db, 'add_projects', PROJECTS));
    const fk = await author(db, 'projects_user', PROJECTS_USER);
    expect(fk.code, fk.stderr).toBe(0);
    expect(fk.stdout).toMatch(/✓ wrote migrations\/Migration\d{14}_projects_user\.ts/);
    expectOk(await author(db, 'users_name_index', USERS_NAME_INDEX));
  });

  it('what needs a hand-written pending column’s whole definition says so in one line, and writes nothing', async (ctx) => {
    const db = database(ctx);
    const files = readdirSync(project.migrationsDir);
    const refused = await author(db, 'drop_user_name', { operations: [{ op: 'dropColumn', table: 'users', column: 'name' }] });
    const [line] = expectShortError(refused, 2);
    expect(line).toBe(
      `migrate-ui: operation 1 (dropColumn), column: users.name comes from the pending revision ${USERS}, written by hand: its whole definition is known once it is applied; run up first`,
    );
    expect(readdirSync(project.migrationsDir)).toEqual(files);
  });

  it('a table no pending revision creates is still refused', async (ctx) => {
    const [line] = expectShortError(await author(database(ctx), 'nope', { operations: [{ op: 'createIndex', table: 'nope', columns: ['id'] }] }), 2);
    expect(line).toBe('migrate-ui: operation 1 (createIndex), table: table nope does not exist');
  });

  it('up applies them all; the foreign key and the index are there, and check is in sync', async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['up']));
    expect((await recordedRevisions(db)).filter((r) => /projects|users_name/.test(r))).toHaveLength(3);
    await withSql(db, async (sql) => {
      if (dialect === 'sqlite') {
        const keys = await sql.query(`select "table" as parent, "from" as child from pragma_foreign_key_list('projects')`);
        expect(keys).toEqual([{ parent: 'users', child: 'user_id' }]);
        expect(await sql.query(`select name from sqlite_master where type = 'index' and name = 'ix_users_name'`)).toHaveLength(1);
      } else {
        await expect(sql.query(`insert into projects (id, user_id) values ('p1', 'nobody')`)).rejects.toThrow(/foreign key/i);
        const indexes =
          dialect === 'postgresql'
            ? await sql.query(`select indexname from pg_indexes where indexname = 'ix_users_name'`)
            : await sql.query(
                `select index_name from information_schema.statistics where index_name = 'ix_users_name' and table_schema = database()`,
              );
        expect(indexes).toHaveLength(1);
      }
    });
    expect(expectOk(await cli(db).run(['check'])).stdout).toContain('entities and schema are in sync');
  });

  it('a refusal that a pending hand-written revision might answer names it on a second line', async (ctx) => {
    const db = database(ctx);
    // CREATE TABLE … AS SELECT: which columns it makes is the database's to say, not the SQL's.
    project.write(`migrations/${COPY}.ts`, migration(COPY, ['create table user_copies as select id, name from users'], ['drop table user_copies']));
    const files = readdirSync(project.migrationsDir);
    const refused = await author(db, 'copies_index', { operations: [{ op: 'createIndex', table: 'user_copies', columns: ['name'] }] });
    expect(expectShortError(refused, 2)).toEqual([
      'migrate-ui: operation 1 (createIndex), table: table user_copies does not exist',
      `  note: ${COPY} (pending): written by hand; its statement \`create table user_copies as select id, name from users\` not followed`,
    ]);
    expect(readdirSync(project.migrationsDir)).toEqual(files);
  });
});

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { anyDbEnv, anyDbProject, createTableRevision, mikroOrmOn } from '../helpers/any-db-project.js';
import type { TestDatabase } from '../helpers/databases.js';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { migration } from '../helpers/real-project.js';
import { tableNames, withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { scratchDatabases } from './verify-helpers.js';

// stamp --check: the database's schema against the history replayed on a scratch database, before anything is written.
const USERS = 'Migration20260101000100_create_users';
const TEAMS = 'Migration20260101000200_create_teams';
const TAGS = 'Migration20260101000300_create_tags';
const CREATE_USERS = 'create table users (id integer primary key, name varchar(100) null)';
const CREATE_TEAMS = 'create table teams (id integer primary key, title varchar(50) not null)';

function project() {
  const p = anyDbProject([USERS, TEAMS, TAGS]);
  p.write(`migrations/${USERS}.ts`, migration(USERS, [CREATE_USERS], ['drop table users']));
  p.write(`migrations/${TEAMS}.ts`, migration(TEAMS, [CREATE_TEAMS], ['drop table teams']));
  return p;
}

/** The names a history table holds, in name order; none when the table is not there. */
async function records(db: TestDatabase, table: 'mikro_orm_migrations' | 'migrate_ui_revisions'): Promise<string[]> {
  if (!(await tableNames(db)).includes(table)) return [];
  const rows = await withSql(db, (sql) => sql.query<{ name: string }>(`select name from ${table} order by name`));
  return rows.map((r) => String(r.name));
}

describe.each(DIALECTS)('stamp --check on %s, a database built by hand', (dialect) => {
  const database = useTestDatabase(dialect);
  const p = project();
  afterAll(() => p.remove());

  test('a column missing: refused with exit 5 and the difference, nothing recorded; once it matches: stamped', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: p.dir, env: anyDbEnv(db) });
    await withSql(db, async (sql) => {
      await sql.query('create table users (id integer primary key)');
      await sql.query(CREATE_TEAMS);
    });

    const [usage] = expectShortError(await cli.run(['stamp', 'create_teams', '--scratch', 'sqlite:.', '--yes']), 2);
    expect(usage).toBe('migrate-ui: stamp takes --scratch only with --check');

    const refused = await cli.run(['stamp', 'create_teams', '--check', '--yes']);
    expect(refused.code, refused.stderr).toBe(5);
    expect(refused.stderr).not.toContain('    at ');
    const lines = refused.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `migrate-ui: stamp refused: the database's schema differs from the history replayed up to ${TEAMS} (1 difference); nothing recorded`,
    );
    expect(lines.slice(2)).toEqual([expect.stringMatching(/^ {2}- column users\.name varchar/)]);
    expect(await records(db, 'mikro_orm_migrations')).toEqual([]);
    expect(await records(db, 'migrate_ui_revisions')).toEqual([]);

    // --json: the differences in the output, the same exit code.
    const json = await cli.run(['stamp', 'create_teams', '--check', '--yes', '--json']);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toMatchObject({
      stamp: 'apply',
      refused: true,
      revisions: [],
      check: { matches: false, replayedTo: TEAMS, differences: [{ change: 'removed', kind: 'column', table: 'users', name: 'name' }] },
    });
    expect(await records(db, 'mikro_orm_migrations')).toEqual([]);
    // The scratch database the history was replayed on is gone.
    const { scratch } = JSON.parse(json.stdout).check;
    expect(scratch).toMatch(/^migrate_ui_scratch_/);
    expect(await scratchDatabases(db, tmpdir())).not.toContain(dialect === 'sqlite' ? `${scratch}.sqlite` : scratch);

    // The column added by hand: the schema is the history's, and the stamp is written.
    await withSql(db, (sql) => sql.query('alter table users add name varchar(100) null'));
    const stamped = await cli.json(['stamp', 'create_teams', '--check', '--yes', '--json']);
    expect(stamped).toMatchObject({ stamp: 'apply', revisions: [USERS, TEAMS], check: { matches: true, replayedTo: TEAMS, differences: [] } });
    expect(await records(db, 'mikro_orm_migrations')).toEqual([USERS, TEAMS]);
    expect(await records(db, 'migrate_ui_revisions')).toEqual([USERS, TEAMS]);

    // --unapply --check: forgetting every record while the tables are still there is refused too.
    const unapply = await cli.run(['stamp', 'base', '--unapply', '--check', '--yes']);
    expect(unapply.code, unapply.stderr).toBe(5);
    expect(unapply.stderr).toContain('history replayed up to base (2 differences)');
    expect(unapply.stderr).toContain('+ table teams');
    expect(await records(db, 'mikro_orm_migrations')).toEqual([USERS, TEAMS]);
    expect(await records(db, 'migrate_ui_revisions')).toEqual([USERS, TEAMS]);
  });
});

describe.each(DIALECTS)('stamp --check on %s, a database built by MikroORM', (dialect) => {
  const database = useTestDatabase(dialect);
  const p = project();
  afterAll(() => p.remove());

  test("MikroORM's CLI built it, its history was lost: the check passes and both tables are written", async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: p.dir, env: anyDbEnv(db) });
    // MikroORM's CLI takes one word here (no --to): the tags revision arrives after it ran.
    rmSync(join(p.dir, 'migrations', `${TAGS}.ts`));
    mikroOrmOn(p, db, 'migration:up');
    p.write(`migrations/${TAGS}.ts`, createTableRevision(TAGS));
    expect(await records(db, 'mikro_orm_migrations')).toEqual([USERS, TEAMS]);
    // Restored from a dump without its history, say.
    await withSql(db, (sql) => sql.query('delete from mikro_orm_migrations'));

    const stamped = expectOk(await cli.run(['stamp', 'create_teams', '--check', '--yes']));
    expect(stamped.stderr).toContain(`✓ the database's schema is the history's, replayed up to ${TEAMS}`);
    expect(stamped.stderr).toContain(`stamped  ${TEAMS}`);
    expect(await records(db, 'mikro_orm_migrations')).toEqual([USERS, TEAMS]);
    expect(await records(db, 'migrate_ui_revisions')).toEqual([USERS, TEAMS]);
    // MikroORM agrees: only tags is pending.
    const pending = mikroOrmOn(p, db, 'migration:pending');
    expect(pending).toContain(TAGS);
    expect(pending).not.toContain(TEAMS);
  });
});

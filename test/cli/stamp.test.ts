import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { anyDbEnv, anyDbProject, mikroOrmOn, sideTableRecords } from '../helpers/any-db-project.js';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { recordedRevisions, tableNames, withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// A database built another way (the first two tables made by hand, say from a dump), then put under migrate-ui
// with `stamp`: the records are written, nothing runs.
const USERS = 'Migration20260101000100_create_users';
const TEAMS = 'Migration20260101000200_create_teams';
const TAGS = 'Migration20260101000300_create_tags';

describe.each(DIALECTS)('stamp on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = anyDbProject([USERS, TEAMS, TAGS]);
  afterAll(() => project.remove());

  test('shows what it would record, asks for --yes, records without running, and --unapply forgets', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir, env: anyDbEnv(db) });
    await withSql(db, async (sql) => {
      await sql.query('create table users (id integer primary key)');
      await sql.query('create table teams (id integer primary key)');
    });

    // Without a terminal and without --yes: refused in one line, nothing written.
    const [line, hint] = expectShortError(await cli.run(['stamp', 'create_teams']), 2);
    expect(line).toBe(`migrate-ui: stamp would record as applied ${USERS}, ${TEAMS} without running them`);
    expect(hint).toContain('--yes');
    expect(await tableNames(db)).not.toContain('mikro_orm_migrations');

    const dry = expectOk(await cli.run(['stamp', 'create_teams', '--dry-run']));
    expect(dry.stdout.split('\n')).toEqual([
      "stamp would record as applied 2 revision(s) without running them, in MikroORM's table and migrate-ui's:",
      `  + ${USERS}`,
      `  + ${TEAMS}`,
      '',
    ]);
    expect(await tableNames(db)).not.toContain('mikro_orm_migrations');

    // Stamped: both tables hold the two; their create table never ran (it would fail: the tables exist).
    expect(await cli.json(['stamp', 'create_teams', '--yes', '--json'])).toEqual({ stamp: 'apply', revisions: [USERS, TEAMS] });
    expect(await recordedRevisions(db)).toEqual([USERS, TEAMS]);
    expect(await sideTableRecords(db)).toEqual([USERS, TEAMS]);
    const status = await cli.json(['status', '--json']);
    expect(status.revisions.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'pending']);
    // MikroORM's own CLI agrees: one revision pending.
    expect(mikroOrmOn(project, db, 'migration:pending')).toContain(TAGS);
    expect(mikroOrmOn(project, db, 'migration:pending')).not.toContain(TEAMS);

    // up runs only what is left; stamping what is applied already writes nothing.
    expect((await cli.run(['up'])).stderr).toContain(`applied  ${TAGS}`);
    expect((await cli.run(['stamp', 'head', '--yes'])).stderr).toContain('nothing to do');
    expect(await recordedRevisions(db)).toEqual([USERS, TEAMS, TAGS]);

    // --unapply forgets what down TARGET would revert, and drops nothing.
    const forgot = expectOk(await cli.run(['stamp', 'create_users', '--unapply', '--yes']));
    expect(forgot.stderr).toContain(`forgot   ${TAGS}`);
    expect(forgot.stderr.indexOf(TAGS)).toBeLessThan(forgot.stderr.indexOf(TEAMS));
    expect(await recordedRevisions(db)).toEqual([USERS]);
    expect(await sideTableRecords(db)).toEqual([USERS]);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['users', 'teams', 'tags']));

    // A revision whose file is gone can be forgotten too (down refuses to revert it).
    expectOk(await cli.run(['stamp', 'head', '--yes']));
    rmSync(join(project.dir, 'migrations', `${TAGS}.ts`));
    expectShortError(await cli.run(['down', '--yes']), 2);
    expectOk(await cli.run(['stamp', '-1', '--unapply', '--yes']));
    expect(await recordedRevisions(db)).toEqual([USERS, TEAMS]);
    expect(await tableNames(db)).toContain('tags');
  });

  test('refuses without a TARGET, in one line', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir, env: anyDbEnv(db) });
    const [line] = expectShortError(await cli.run(['stamp']), 2);
    expect(line).toBe('migrate-ui: stamp needs a TARGET');
  });
});

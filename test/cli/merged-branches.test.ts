import { afterAll, describe, expect, test } from 'vitest';
import { anyDbEnv, anyDbProject, createTableRevision, mikroOrmOn, sideTableRecords } from '../helpers/any-db-project.js';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { recordedRevisions, tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Two branches each add a revision. `main` applied its own (…0300) first; the other branch's (…0200) arrives with the
// merge and sorts below it. The history is built by MikroORM's own CLI, as a team that adopts migrate-ui has it.
const FIRST = 'Migration20260101000100_create_users';
const THEIRS = 'Migration20260101000200_create_teams';
const OURS = 'Migration20260101000300_create_tags';

describe.each(DIALECTS)('a revision from a merged branch, on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = anyDbProject([FIRST, OURS]);
  afterAll(() => project.remove());

  test('status names it, up refuses it in one line, --allow-out-of-order applies it, down reverts in applied order', async (ctx) => {
    const db = database(ctx);
    mikroOrmOn(project, db, 'migration:up');
    expect(await recordedRevisions(db)).toEqual([FIRST, OURS]);
    // The merge brings the other branch's revision.
    project.write(`migrations/${THEIRS}.ts`, createTableRevision(THEIRS));
    const cli = cliOn(db, { cwd: project.dir, env: anyDbEnv(db) });

    const status = await cli.json(['status', '--json']);
    const theirs = status.revisions.find((r: { name: string }) => r.name === THEIRS);
    expect(theirs).toMatchObject({ status: 'pending', outOfOrder: true });
    expect(status.revisions.filter((r: { outOfOrder?: boolean }) => r.outOfOrder)).toHaveLength(1);
    const text = await cli.run(['status', '--no-color']);
    expect(text.stdout).toContain(`below ${OURS}, the newest applied: from a merged branch`);

    // Refused, by default and for a target that reaches it; nothing ran, nothing recorded.
    for (const args of [['up'], ['up', THEIRS], ['up', '--dry-run']]) {
      const [line, hint] = expectShortError(await cli.run(args), 2);
      expect(line).toContain(`${THEIRS} is pending below ${OURS}, the newest applied revision: it came from a merged branch`);
      expect(hint).toContain('--allow-out-of-order');
    }
    expect(await recordedRevisions(db)).toEqual([FIRST, OURS]);
    expect(await tableNames(db)).not.toContain('teams');

    const up = expectOk(await cli.run(['up', '--allow-out-of-order']));
    expect(up.stderr).toContain(`applied  ${THEIRS}`);
    expect(await recordedRevisions(db)).toEqual([FIRST, OURS, THEIRS]);
    // Our side table has what migrate-ui applied (MikroORM's CLI applied the others).
    expect(await sideTableRecords(db)).toEqual([THEIRS]);
    expect(await tableNames(db)).toContain('teams');
    expect((await cli.json(['status', '--json'])).revisions.some((r: { outOfOrder?: boolean }) => r.outOfOrder)).toBe(false);

    // down reverts the last one applied (theirs), not the newest by name (ours).
    const down = expectOk(await cli.run(['down', '--yes']));
    expect(down.stderr).toContain(`reverted ${THEIRS}`);
    expect(await recordedRevisions(db)).toEqual([FIRST, OURS]);
    expect(await sideTableRecords(db)).toEqual([]);
    expect(await tableNames(db)).not.toContain('teams');
    expect(await tableNames(db)).toContain('tags');

    // Applied again, then `down FIRST` reverts both in the order they were applied, the last first.
    expectOk(await cli.run(['up', '--allow-out-of-order']));
    const back = expectOk(await cli.run(['down', FIRST, '--yes']));
    expect(back.stderr.indexOf(`reverted ${THEIRS}`)).toBeLessThan(back.stderr.indexOf(`reverted ${OURS}`));
    expect(back.stderr.indexOf(`reverted ${OURS}`)).toBeGreaterThan(-1);
    expect(await recordedRevisions(db)).toEqual([FIRST]);
    expect(await sideTableRecords(db)).toEqual([]);
    expect(await tableNames(db)).not.toContain('tags');
  });
});

import { afterAll, describe, expect, test } from 'vitest';
import { anyDbEnv, anyDbProject, createTableRevision, mikroOrmOn } from '../helpers/any-db-project.js';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { migration } from '../helpers/real-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Two branches each change `users`. main's revision (…0300) was applied by MikroORM's CLI; the other branch's (…0200)
// arrives with the merge, below it, and so does one (…0250) that touches a table of its own.
const FIRST = 'Migration20260101000100_create_users';
const THEIRS = 'Migration20260101000200_add_users_email';
const APART = 'Migration20260101000250_create_teams';
const OURS = 'Migration20260101000300_add_users_nickname';
const WARNING = `from a merged branch: it touches users, which ${OURS} (applied, from the other branch) changed too; check that they agree before applying it out of order`;

describe.each(DIALECTS)('the merged-branch lint on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = anyDbProject([FIRST]);
  project.write(
    `migrations/${OURS}.ts`,
    migration(OURS, ['alter table users add nickname varchar(50) null'], ['alter table users drop column nickname']),
  );
  afterAll(() => project.remove());

  test('status --json and status warn of the revision that touches the same table as the other branch’s, and only of it', async (ctx) => {
    const db = database(ctx);
    mikroOrmOn(project, db, 'migration:up');
    project.write(
      `migrations/${THEIRS}.ts`,
      migration(THEIRS, ['alter table users add email varchar(100) null'], ['alter table users drop column email']),
    );
    project.write(`migrations/${APART}.ts`, createTableRevision(APART));
    const cli = cliOn(db, { cwd: project.dir, env: anyDbEnv(db) });

    const status = await cli.json(['status', '--json']);
    const byName = (name: string) => status.revisions.find((r: { name: string }) => r.name === name);
    expect(byName(THEIRS)).toMatchObject({ outOfOrder: true });
    expect(byName(THEIRS).warnings).toContain(WARNING);
    expect(byName(APART)).toMatchObject({ outOfOrder: true });
    expect(byName(APART).warnings.filter((w: string) => w.includes('merged branch'))).toEqual([]);

    const text = expectOk(await cli.run(['status', '--no-color'])).stdout.split('\n');
    const at = text.findIndex((l) => l.includes(THEIRS));
    expect(text.slice(at + 1, at + 3).map((l) => l.trim())).toEqual([
      `below ${OURS}, the newest applied: from a merged branch (up --allow-out-of-order)`,
      `⚠ ${WARNING}`,
    ]);
    expect(text.filter((l) => l.includes('⚠'))).toHaveLength(1);

    // Applied, it is history: no warning any more.
    expectOk(await cli.run(['up', '--allow-out-of-order']));
    const after = await cli.json(['status', '--json']);
    expect(after.revisions.flatMap((r: { warnings: string[] }) => r.warnings).filter((w: string) => w.includes('merged branch'))).toEqual([]);
  });
});

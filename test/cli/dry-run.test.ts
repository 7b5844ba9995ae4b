import { describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

/** The revision headers of a dry run's output, in the order printed. */
const headers = (stdout: string) => [...stdout.matchAll(/^-- (\S+) \((up|down)\)$/gm)].map((m) => `${m[1]} ${m[2]}`);

// --dry-run prints the SQL of each revision in order and changes nothing.
// The databases run side by side; the steps on one database run in order.
describe.concurrent.each(DIALECTS)('--dry-run on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  /** Runs `args` and asserts that status and the tables are the same afterwards; returns the run's stdout. */
  const unchanged = async (ctx: Parameters<typeof database>[0], args: string[]) => {
    const db = database(ctx);
    const cli = cliOn(db);
    const [statusBefore, tablesBefore] = [await cli.json(['status']), await tableNames(db)];
    const run = expectOk(await cli.run(args));
    expect(await cli.json(['status'])).toEqual(statusBefore);
    expect(await tableNames(db)).toEqual(tablesBefore);
    return run.stdout;
  };

  it('up --dry-run at base prints every revision up, in order, and creates nothing', async (ctx) => {
    const stdout = await unchanged(ctx, ['up', '--dry-run']);
    expect(headers(stdout)).toEqual(R.map((name) => `${name} up`));
    const usersAt = stdout.indexOf(`-- ${R[0]}`);
    expect(stdout.slice(usersAt, stdout.indexOf(`-- ${R[1]}`))).toMatch(/create table [`"]?users[`"]? \(/);
    expect(stdout.slice(stdout.indexOf(`-- ${R[5]}`))).toMatch(/(create index|add index) [`"]?ix_features_slug[`"]?/);
    expect(await tableNames(database(ctx))).not.toContain('users');
  });

  it('up --dry-run --json gives each revision with its statements', async (ctx) => {
    const out = await cliOn(database(ctx)).json(['up', '+2', '--dry-run']);
    expect(out.dryRun).toBe(true);
    expect(out.revisions.map((r: any) => r.name)).toEqual(R.slice(0, 2));
    expect(out.revisions[1].statements).toEqual([expect.stringMatching(/^create table [`"]?channel[`"]? /)]);
  });

  it('down base --dry-run prints every applied revision down, newest first, and drops nothing', async (ctx) => {
    expectOk(await cliOn(database(ctx)).run(['up', '+3']));
    const stdout = await unchanged(ctx, ['down', 'base', '--dry-run']);
    expect(headers(stdout)).toEqual([R[2], R[1], R[0]].map((name) => `${name} down`));
    expect(stdout).toMatch(/drop table [`"]?features[`"]?/);
    expect(await tableNames(database(ctx))).toEqual(expect.arrayContaining(['channel', 'features', 'users']));
  });

  it('up +1 --dry-run prints only the next revision', async (ctx) => {
    const stdout = await unchanged(ctx, ['up', '+1', '--dry-run']);
    expect(headers(stdout)).toEqual([`${R[3]} up`]);
    expect(stdout).toMatch(/alter table [`"]?features[`"]? add/);
  });
});

// The lint of DESIGN §5 reaches the user where they look before running: the dry run and `status --json`.
describe('lint in the dry run and in status --json (SQLite)', () => {
  const database = useTestDatabase('sqlite');

  test('a dry run ends each revision with its warnings as SQL comments; status --json lists them for pending revisions only', async (ctx) => {
    const cli = cliOn(database(ctx));
    const pending = await cli.json(['status']);
    expect(pending.revisions.find((r: any) => r.name === R[4]).warnings).toEqual([
      'down() does nothing: reverting it leaves what up() changed in place',
    ]);
    expect(pending.revisions.find((r: any) => r.name === R[0]).warnings).toEqual([]);
    expectOk(await cli.run(['up']));
    const applied = await cli.json(['status']);
    expect(applied.revisions.every((r: any) => r.warnings.length === 0)).toBe(true);
    const stdout = expectOk(await cli.run(['down', '-3', '--dry-run'])).stdout;
    const slug = stdout.slice(stdout.indexOf(`-- ${R[3]}`));
    expect(slug).toMatch(/^alter table `?features`? drop column `?slug`?;\n-- ⚠ loses column features.slug and its values/m);
  });
});

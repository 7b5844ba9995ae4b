import { afterAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectShortError } from '../helpers/expect-cli.js';
import { copyExample, EXAMPLE_REVISIONS as R, EXAMPLE_TABLES } from '../helpers/project.js';
import { recordedRevisions, tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

const HALF_DONE = 'Migration20260107090000_half_done';
const BAD_STATEMENT = 'insert into no_such_table (id) values (1)';
const DATABASE_MESSAGE = {
  sqlite: /no such table: no_such_table/,
  postgresql: /relation "no_such_table" does not exist/,
  mariadb: /Table '\w+\.no_such_table' doesn't exist/,
};

// The example plus a revision that creates a table and then runs a statement that fails.
const project = copyExample();
project.write(
  `migrations/${HALF_DONE}.ts`,
  `import { Migration } from '@mikro-orm/migrations';

export class ${HALF_DONE} extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table half_done (id integer not null primary key)');
    this.addSql('${BAD_STATEMENT}');
  }

  override async down(): Promise<void> {
    this.addSql('drop table half_done');
  }
}
`,
);
afterAll(() => project.remove());

// The databases run side by side; the steps on one database run in order.
describe.concurrent.each(DIALECTS)('a revision that fails half-way on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  it('up exits 1 naming the revision, the statement and the database message; earlier revisions stay applied', async (ctx) => {
    const db = database(ctx);
    const up = await cliOn(db, { cwd: project.dir }).run(['up']);
    expect(up.code, up.stderr).toBe(1);
    expect(up.stderr).not.toContain('    at ');
    expect(up.stderr).toContain(`✓ applied  ${R.at(-1)}`);
    expect(up.stderr).toContain(`✗ ${HALF_DONE} failed (up)`);
    expect(up.stderr).toContain(`  statement: ${BAD_STATEMENT}`);
    expect(up.stderr).toMatch(new RegExp(`  error: .*${DATABASE_MESSAGE[dialect].source}`));
    if (dialect === 'mariadb') expect(up.stderr).toMatch(/MariaDB commits DDL as it runs: statements before the failing one may be partly applied/);
    else expect(up.stderr).toContain('Earlier revisions stay applied');

    expect(await recordedRevisions(db)).toEqual(R);
    const tables = await tableNames(db);
    expect(tables).toEqual(expect.arrayContaining(EXAMPLE_TABLES));
    // Transactional DDL rolls the half-done revision back; MariaDB keeps what it committed.
    expect(tables.includes('half_done')).toBe(dialect === 'mariadb');
  });

  it('status shows the failed revision still pending, and up --json reports the failure', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    const status = await cli.json(['status']);
    expect(status.revisions.map((r: any) => r.status)).toEqual([...R.map(() => 'applied'), 'pending']);
    expect(status.current).toBe(R.at(-1));

    const up = await cli.run(['up', '--json']);
    expect(up.code).toBe(1);
    const out = JSON.parse(up.stdout);
    expect(out.applied).toEqual([]);
    expect(out.failed.revision).toBe(HALF_DONE);
    // MariaDB kept the table of the first attempt, so the second one stops at its create table.
    if (dialect !== 'mariadb')
      expect(out.failed).toMatchObject({ statement: BAD_STATEMENT, message: expect.stringMatching(DATABASE_MESSAGE[dialect]) });
  });
});

describe.concurrent.each(['sqlite', 'postgresql'] as const)('--all-or-nothing on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  test('rolls back every revision of the run when one fails', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir });
    // The example's data migration commits batch by batch: one transaction cannot hold it, so that run is refused
    // before anything runs, and the revisions up to it are applied first.
    const refused = await cli.run(['up', '--all-or-nothing']);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain(`✗ ${R[4]} failed (up)`);
    expect(refused.stderr).toContain('cannot run inside one transaction around the whole run');
    expect(await recordedRevisions(db)).toEqual([]);
    expect((await cli.run(['up', R[4]])).code).toBe(0);

    const up = await cli.run(['up', '--all-or-nothing']);
    expect(up.code, up.stderr).toBe(1);
    expect(up.stderr).toContain(`✗ ${HALF_DONE} failed (up)`);
    expect(up.stderr).toContain(`  statement: ${BAD_STATEMENT}`);
    expect(up.stderr).toContain('Every revision of this run was rolled back; fix the revision and run again.');
    expect(up.stderr).not.toContain('Earlier revisions stay applied');
    // The index revision before the failing one went with it.
    expect(await recordedRevisions(db)).toEqual(R.slice(0, 5));
    expect(await tableNames(db)).not.toContain('half_done');
  });
});

describe('--all-or-nothing on mariadb', () => {
  const database = useTestDatabase('mariadb');

  test('is refused with exit 2 before anything runs: MariaDB commits DDL as it runs', async (ctx) => {
    const db = database(ctx);
    const lines = expectShortError(await cliOn(db, { cwd: project.dir }).run(['up', '--all-or-nothing']), 2);
    expect(lines).toEqual([
      'migrate-ui: one transaction around the whole run is not possible on MariaDB: it commits DDL as it runs',
      '  Run without --all-or-nothing; each revision then runs in its own transaction.',
    ]);
    expect(await tableNames(db)).toEqual([]);
  });
});

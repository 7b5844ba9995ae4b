import { describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { EXAMPLE_REVISIONS, EXAMPLE_TABLES } from '../helpers/project.js';
import { recordedRevisions, tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// Every example revision up and down on each database, with the JSON shapes of up, down and status.
// The databases run side by side; the steps on one database run in order.
describe.concurrent.each(DIALECTS)('up and down on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  it('up applies every revision and prints { applied, durationMs }', async (ctx) => {
    const db = database(ctx);
    const up = await cliOn(db).json(['up']);
    expect(Object.keys(up).sort()).toEqual(['applied', 'durationMs']);
    expect(up.applied).toEqual(EXAMPLE_REVISIONS);
    expect(up.durationMs).toEqual(expect.any(Number));
    expect(await recordedRevisions(db)).toEqual(EXAMPLE_REVISIONS);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(EXAMPLE_TABLES));
  });

  it('status --json shows every revision applied, in the shape of DESIGN §3', async (ctx) => {
    const status = await cliOn(database(ctx)).json(['status']);
    expect(Object.keys(status).sort()).toEqual(['current', 'dataMigrations', 'dialect', 'pending', 'revisions']);
    // The example's backfill ran on an empty table: one data migration, done, with nothing to do.
    const backfill = EXAMPLE_REVISIONS.find((name) => name.includes('backfill_feature_slug'));
    expect(status).toMatchObject({
      dialect,
      current: EXAMPLE_REVISIONS.at(-1),
      pending: 0,
      dataMigrations: [{ revision: backfill, status: 'done', rowsDone: 0, rowsTotal: 0 }],
    });
    expect(status.revisions.map((r: any) => r.name)).toEqual(EXAMPLE_REVISIONS);
    for (const revision of status.revisions) {
      expect(Object.keys(revision).sort()).toEqual(['appliedAt', 'kind', 'name', 'status', 'warnings']);
      expect(revision.status).toBe('applied');
      // The lint is for what is still to run: an applied revision has none.
      expect(revision.warnings).toEqual([]);
      expect(revision.appliedAt).toMatch(ISO);
      expect(revision.kind).toBe(revision.name.includes('backfill_feature_slug') ? 'data' : 'schema');
    }
  });

  it('status without --json shows the database, the current revision and each revision; no command does the same without a terminal', async (ctx) => {
    const cli = cliOn(database(ctx));
    const { stdout } = expectOk(await cli.run(['status']));
    expect(stdout).toContain(`migrate-ui · ${dialect} · `);
    expect(stdout).toContain(`current: ${EXAMPLE_REVISIONS.at(-1)}   pending: 0`);
    for (const name of EXAMPLE_REVISIONS) expect(stdout).toMatch(new RegExp(`✓ applied\\s+${name}`));
    expect(expectOk(await cli.run([])).stdout).toBe(stdout);
  });

  it('check says entities and schema are in sync after up (exit 0)', async (ctx) => {
    const check = expectOk(await cliOn(database(ctx)).run(['check']));
    expect(check.stdout).toContain('entities and schema are in sync');
  });

  it('check exits 4 with the SQL that is missing when the schema lags behind the entities', async (ctx) => {
    const cli = cliOn(database(ctx));
    expectOk(await cli.run(['down', '--yes']));
    const check = await cli.run(['check']);
    expect(check.code, check.stderr).toBe(4);
    expect(check.stdout).toContain('entities and schema differ');
    expect(check.stdout).toContain('ix_features_slug');
    const json = await cli.json(['check']);
    expect(json).toMatchObject({ inSync: false, modified: [], missing: [] });
    expect(json.schemaDiff.join('\n')).toContain('ix_features_slug');
    expect((await cli.json(['up'])).applied).toEqual([EXAMPLE_REVISIONS.at(-1)]);
  });

  it('a data-losing down without a terminal needs --yes and changes nothing', async (ctx) => {
    const db = database(ctx);
    const lines = expectShortError(await cliOn(db).run(['down', 'base']), 2);
    expect(lines[0]).toMatch(/down would lose data: Migration\d+_\w+ drops (table \w+ \(empty\)|column [\w.]+ \(no values\))/);
    expect(lines[1]).toContain('--yes');
    expect(await recordedRevisions(db)).toEqual(EXAMPLE_REVISIONS);
  });

  it('down base --yes reverts every revision, newest first, and leaves no example table', async (ctx) => {
    const db = database(ctx);
    const down = await cliOn(db).json(['down', 'base', '--yes']);
    expect(Object.keys(down).sort()).toEqual(['durationMs', 'reverted']);
    expect(down.reverted).toEqual([...EXAMPLE_REVISIONS].reverse());
    expect(await recordedRevisions(db)).toEqual([]);
    const tables = await tableNames(db);
    for (const table of EXAMPLE_TABLES) expect(tables).not.toContain(table);
  });

  it('status --json at base shows every revision pending', async (ctx) => {
    const status = await cliOn(database(ctx)).json(['status']);
    expect(status).toMatchObject({ dialect, current: null, pending: EXAMPLE_REVISIONS.length });
    expect(status.revisions.map((r: any) => [r.status, r.appliedAt])).toEqual(EXAMPLE_REVISIONS.map(() => ['pending', null]));
  });

  it('up with nothing to do exits 0 and says so', async (ctx) => {
    const cli = cliOn(database(ctx));
    expect(expectOk(await cli.run(['up'])).stderr).toContain(`applied  ${EXAMPLE_REVISIONS.at(-1)}`);
    expect(expectOk(await cli.run(['up'])).stderr.trim()).toBe('nothing to do');
  });
});

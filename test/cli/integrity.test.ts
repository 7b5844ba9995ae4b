import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { copyExample, EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { recordedRevisions } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

const BROKEN = 'Migration20260103500000_broken';
const statuses = (status: any) => status.revisions.map((r: any) => `${r.name} ${r.status}`);

// Between add_features_table and add_feature_slug: a file that does not parse.
const broken = copyExample();
broken.write(
  `migrations/${BROKEN}.ts`,
  `import { Migration } from '@mikro-orm/migrations';

export class ${BROKEN} extends Migration {
  override async up(): Promise<void> {
    this.addSql('select 1';
  }
}
`,
);
afterAll(() => broken.remove());

// The databases run side by side; the steps on one database run in order.
describe.concurrent.each(DIALECTS)('a migration file with a syntax error on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  it('status still lists every revision, that one marked broken, and exits 0', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: broken.dir });
    const status = await cli.json(['status']);
    expect(statuses(status)).toEqual([...R.slice(0, 3), BROKEN, ...R.slice(3)].map((name) => `${name} ${name === BROKEN ? 'broken' : 'pending'}`));
    expect(status.revisions[3].error).toMatch(/^syntax error at line 5: /);
    const text = expectOk(await cli.run(['status']));
    expect(text.stdout).toMatch(new RegExp(`✗ broken\\s+${BROKEN}`));
    expect(text.stdout).toContain('syntax error at line 5');
  });

  it('up --dry-run prints the SQL of the revisions before it and stops there, exit 1 naming it', async (ctx) => {
    const dry = await cliOn(database(ctx), { cwd: broken.dir }).run(['up', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(1);
    expect([...dry.stdout.matchAll(/^-- (\S+) \(up\)$/gm)].map((m) => m[1])).toEqual(R.slice(0, 3));
    expect(dry.stdout).toContain(`✗ ${BROKEN} failed (up)`);
    expect(dry.stdout).toContain(`error: ${BROKEN} cannot be loaded: syntax error at line 5`);
  });

  it('up applies everything before it and stops there, exit 1 naming it', async (ctx) => {
    const db = database(ctx);
    const up = await cliOn(db, { cwd: broken.dir }).run(['up']);
    expect(up.code, up.stderr).toBe(1);
    expect(up.stderr).not.toContain('    at ');
    expect(up.stderr).toContain(`✓ applied  ${R[2]}`);
    expect(up.stderr).toContain(`✗ ${BROKEN} failed (up)`);
    expect(up.stderr).toContain(`error: ${BROKEN} cannot be loaded: syntax error at line 5`);
    expect(up.stderr).not.toContain(R[3]);
    expect(await recordedRevisions(db)).toEqual(R.slice(0, 3));
  });
});

describe.concurrent.each(DIALECTS)('applied files edited or deleted afterwards on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = copyExample();
  afterAll(() => project.remove());
  const it = test.sequential;

  it('an edited applied file shows as modified in status --json', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    expectOk(await cli.run(['up']));
    appendFileSync(join(project.migrationsDir, `${R[1]}.ts`), '// a comment added after it was applied\n');
    const status = await cli.json(['status']);
    expect(statuses(status)).toEqual(R.map((name) => `${name} ${name === R[1] ? 'modified' : 'applied'}`));
    expect(status.revisions[1].appliedAt).toEqual(expect.any(String));
  });

  it('check exits 4 naming the edited file', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    const check = await cli.run(['check']);
    expect(check.code, check.stderr).toBe(4);
    expect(check.stdout.trim()).toBe(`${R[1]} was edited after it was applied`);
    expect(await cli.json(['check'])).toEqual({
      inSync: false,
      schemaDiff: [],
      dropsEveryTable: false,
      modified: [R[1]],
      missing: [],
      unskipped: [],
    });
  });

  it('reverting and applying it again takes the edited file as the new applied one', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    expect((await cli.json(['down', R[0], '--yes'])).reverted).toEqual(R.slice(1).reverse());
    expectOk(await cli.run(['up']));
    expect(statuses(await cli.json(['status']))).toEqual(R.map((name) => `${name} applied`));
    expectOk(await cli.run(['check']));
  });

  it('a deleted applied file shows as missing, and down refuses to revert it', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir });
    rmSync(join(project.migrationsDir, `${R[5]}.ts`));
    const status = await cli.json(['status']);
    expect(status.revisions.at(-1)).toMatchObject({ name: R[5], status: 'missing', appliedAt: expect.any(String) });
    expect(status.current).toBe(R[5]);
    const lines = expectShortError(await cli.run(['down', '--yes']), 2);
    expect(lines[0]).toBe(`migrate-ui: cannot revert ${R[5]}: its file is missing`);
    expect(await recordedRevisions(db)).toEqual(R);
  });

  it('check exits 4 naming the applied revision whose file is gone (it said "in sync" before)', async (ctx) => {
    const check = await cliOn(database(ctx), { cwd: project.dir }).run(['check']);
    expect(check.code, check.stderr).toBe(4);
    expect(check.stdout.trim()).toBe(`${R[5]} is applied but its file is missing`);
  });
});

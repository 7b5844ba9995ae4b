import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { cliOn, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { copyExample, EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { recordedRevisions, withSql } from '../helpers/sql.js';
import { openProject, uiExample } from '../helpers/ui-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Issue 6: five bugs planted one at a time went unnoticed by the suite. Each test here catches one by
// asserting the behaviour itself: what the user sees and what the database holds.

const statuses = (status: { revisions: Array<{ name: string; status: string }> }) => status.revisions.map((r) => `${r.name} ${r.status}`);

/** The column names of `table`, in table order. */
async function columnNames(db: TestDatabase, table: string): Promise<string[]> {
  const sql =
    db.dialect === 'sqlite'
      ? `select name from pragma_table_info('${table}') order by cid`
      : db.dialect === 'postgresql'
        ? `select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = '${table}' order by ordinal_position`
        : `select column_name as name from information_schema.columns where table_schema = database() and table_name = '${table}' order by ordinal_position`;
  return (await withSql(db, (client) => client.query<{ name: string }>(sql))).map((r) => String(r.name));
}

describe.concurrent.each(DIALECTS)('an applied file edited so that it no longer loads, on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = copyExample();
  afterAll(() => project.remove());
  const it = test.sequential;

  it('set-up: every revision applied, then a syntax error added to the second', async (ctx) => {
    expectOk(await cliOn(database(ctx), { cwd: project.dir }).run(['up']));
    appendFileSync(join(project.migrationsDir, `${R[1]}.ts`), '\nexport const unfinished = ;\n');
  });

  it('status --json keeps it modified and gives the syntax error', async (ctx) => {
    const status = await cliOn(database(ctx), { cwd: project.dir }).json(['status']);
    expect(statuses(status)).toEqual(R.map((name) => `${name} ${name === R[1] ? 'modified' : 'applied'}`));
    expect(status.revisions[1].error).toMatch(/^syntax error at line \d+: /);
    expect(status.revisions[1].appliedAt).toEqual(expect.any(String));
    for (const revision of status.revisions.filter((r: { name: string }) => r.name !== R[1])) expect(revision.error).toBeUndefined();
  });

  it('the text status shows it modified, with the syntax error under it; exit 0', async (ctx) => {
    const text = expectOk(await cliOn(database(ctx), { cwd: project.dir }).run(['status']));
    const lines = text.stdout.split('\n');
    const row = lines.findIndex((line) => line.includes(R[1]));
    expect(lines[row]).toMatch(new RegExp(`! modified\\s+${R[1]}`));
    expect(lines[row + 1]).toMatch(/^\s+syntax error at line \d+: /);
  });
});

describe.concurrent.each(DIALECTS)('revisions MikroORM recorded with a file extension, on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  it('set-up: up to add_feature_slug by migrate-ui, the last two recorded as MikroORM did (`.js`, `.ts`)', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db);
    expectOk(await cli.run(['up', R[3]]));
    // What the last revision's up() does, then the records MikroORM wrote with the file's extension.
    await withSql(db, async (sql) => {
      await sql.query('create index ix_features_slug on features (slug)');
      await sql.query('insert into mikro_orm_migrations (name) values (?)', [`${R[4]}.js`]);
      await sql.query('insert into mikro_orm_migrations (name) values (?)', [`${R[5]}.ts`]);
    });
    expect(statuses(await cli.json(['status']))).toEqual(R.map((name) => `${name} applied`));
  });

  it('down -2 --yes reverts both and removes their records, whatever the extension', async (ctx) => {
    const db = database(ctx);
    const down = await cliOn(db).json(['down', '-2', '--yes']);
    expect(down.reverted).toEqual([R[5], R[4]]);
    expect(await recordedRevisions(db)).toEqual(R.slice(0, 4));
  });

  it('up applies them again, recorded once each', async (ctx) => {
    const db = database(ctx);
    expect((await cliOn(db).json(['up'])).applied).toEqual(R.slice(4));
    expect(await recordedRevisions(db)).toEqual(R);
  });
});

// MySQL/MariaDB and PostgreSQL drop two columns in one statement; SQLite only one per statement.
describe.concurrent.each(['postgresql', 'mariadb'] as const)('a down() that drops two columns in one alter table, on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const TWO = 'Migration20260107090000_pair_columns';
  const example = uiExample();
  example.addRevision(
    TWO,
    `import { Migration } from '@mikro-orm/migrations';

export class ${TWO} extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table pair (id int not null primary key, a int, b int)');
    this.addSql('insert into pair (id, a, b) values (1, 10, 20), (2, 11, null)');
  }

  override async down(): Promise<void> {
    this.addSql('alter table pair drop column a, drop column b');
  }
}
`,
  );
  afterAll(() => example.remove());
  const it = test.sequential;

  it('set-up: every revision applied; pair holds two rows', async (ctx) => {
    const db = database(ctx);
    expectOk(await cliOn(db, { cwd: example.dir }).run(['up']));
    expect(await columnNames(db, 'pair')).toEqual(['id', 'a', 'b']);
  });

  it('down without --yes exits 2 naming the first column and counting the second; nothing changes', async (ctx) => {
    const db = database(ctx);
    const lines = expectShortError(await cliOn(db, { cwd: example.dir }).run(['down']), 2);
    expect(lines).toEqual([
      `migrate-ui: down would lose data: ${TWO} drops column pair.a and its 2 values (and 1 more)`,
      '  Run it again with --yes to confirm.',
    ]);
    expect(await columnNames(db, 'pair')).toEqual(['id', 'a', 'b']);
    expect(await recordedRevisions(db)).toEqual([...R, TWO]);
  });

  it('the preview (what a terminal and the TUI list) names both columns with what each loses', async (ctx) => {
    const db = database(ctx);
    const project = await openProject(example.configPath, db.url);
    try {
      const [preview] = await project.previewPlan(await project.plan('down'), { measure: true });
      expect(preview.name).toBe(TWO);
      expect(preview.losses).toEqual([
        expect.objectContaining({ kind: 'column', table: 'pair', column: 'a', amount: 2 }),
        expect.objectContaining({ kind: 'column', table: 'pair', column: 'b', amount: 1 }),
      ]);
    } finally {
      await project.close();
    }
    expect(await columnNames(db, 'pair')).toEqual(['id', 'a', 'b']);
  });

  it('down --dry-run shows the one statement and changes nothing', async (ctx) => {
    const db = database(ctx);
    const dry = expectOk(await cliOn(db, { cwd: example.dir }).run(['down', '--dry-run']));
    expect(dry.stdout).toContain('alter table pair drop column a, drop column b;');
    expect(await columnNames(db, 'pair')).toEqual(['id', 'a', 'b']);
  });

  it('down --yes drops both', async (ctx) => {
    const db = database(ctx);
    expect((await cliOn(db, { cwd: example.dir }).json(['down', '--yes'])).reverted).toEqual([TWO]);
    expect(await columnNames(db, 'pair')).toEqual(['id']);
    expect(await recordedRevisions(db)).toEqual(R);
  });
});

describe.concurrent.each(DIALECTS)('a down that loses exactly one column, on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  it('set-up: every revision applied, no rows', async (ctx) => {
    const db = database(ctx);
    expectOk(await cliOn(db).run(['up']));
    expect(await columnNames(db, 'features')).toContain('slug');
  });

  it('down to add_features_table without --yes exits 2 naming the column; nothing changes', async (ctx) => {
    const db = database(ctx);
    const lines = expectShortError(await cliOn(db).run(['down', R[2]]), 2);
    expect(lines).toEqual([
      `migrate-ui: down would lose data: ${R[3]} drops column features.slug (no values)`,
      '  Run it again with --yes to confirm.',
    ]);
    expect(await recordedRevisions(db)).toEqual(R);
    expect(await columnNames(db, 'features')).toContain('slug');
  });

  it('down -1 (an index only) needs no --yes', async (ctx) => {
    const db = database(ctx);
    expect((await cliOn(db).json(['down'])).reverted).toEqual([R[5]]);
    expect(await recordedRevisions(db)).toEqual(R.slice(0, 5));
  });
});

describe('the text status header with a password in the URL (PostgreSQL, which trusts any)', () => {
  const database = useTestDatabase('postgresql');

  test('shows *** for the password and nothing of it anywhere', async (ctx) => {
    const db = database(ctx);
    const { username, host, pathname } = new URL(db.url);
    const result = expectOk(await runCli(['status', '--db', `postgres://${username}:hunter2pw@${host}${pathname}`]));
    expect(result.stdout.split('\n')[0]).toBe(`migrate-ui · postgresql · postgres://${username}:***@${host}${pathname}`);
    expect(`${result.stdout}${result.stderr}`).not.toContain('hunter2');
  });
});

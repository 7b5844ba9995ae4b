import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { EXAMPLE_REVISIONS } from '../helpers/project.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { brokenRevisions, dump, scratchDatabases, useVerifyProject } from './verify-helpers.js';

// verify on each database: the example proven on a scratch database (the configured one byte for byte the same),
// deliberately broken revisions each reported with its schema difference, and no scratch left after kill -9.
describe.each(DIALECTS)('verify on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const { project, scratchDir, scratch } = useVerifyProject(dialect);

  test('the example verifies: every pending revision reversible, entities in sync at head; the configured database untouched', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db);
    expectOk(await cli.run(['up', '+2']));
    const before = dump(db);
    const result = await cli.run(['verify', '--json', ...scratch]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.proven).toBe(true);
    expect(report.revisions.map((r: { name: string }) => r.name)).toEqual(EXAMPLE_REVISIONS.slice(2));
    for (const r of report.revisions) expect(r).toMatchObject({ status: 'reversible', differences: [] });
    expect(report.entities).toEqual({ inSync: true, schemaDiff: [] });
    expect(dump(db)).toBe(before);
    expect(await scratchDatabases(db, scratchDir)).not.toContain(report.scratch);

    const text = await cli.run(['verify', 'base..head', ...scratch]);
    expect(text.code, text.stderr).toBe(0);
    for (const name of EXAMPLE_REVISIONS) expect(text.stdout).toContain(`✓ ${name}  reversible`);
    expect(text.stdout).toContain(`6 of 6 revision(s) proven on ${dialect}`);
    expect(dump(db)).toBe(before);
  });

  test('broken revisions are each reported with their schema difference; exit 5', async (ctx) => {
    const db = database(ctx);
    for (const [name, text] of Object.entries(brokenRevisions(dialect))) project.write(`migrations/${name}.ts`, text);
    const result = await runCli(['verify', 'add_notes..', '--json', '--db', db.url, ...scratch], { cwd: project.dir });
    expect(result.code, result.stdout + result.stderr).toBe(5);
    const report = JSON.parse(result.stdout);
    const byName = Object.fromEntries(report.revisions.map((r: { name: string }) => [r.name.replace(/^Migration\d+_/, ''), r]));
    expect(Object.keys(byName)).toEqual([
      'add_notes',
      'forget_index',
      'forget_default',
      'forget_foreign_key',
      'drop_unknown_column',
      'not_repeatable',
    ]);
    expect(byName.add_notes.status).toBe('reversible');
    expect(byName.forget_index).toMatchObject({
      status: 'not-reversible',
      differences: [{ change: 'added', kind: 'index', table: 'notes', name: 'ix_notes_user_id' }],
    });
    expect(byName.forget_default.status).toBe('not-reversible');
    expect(byName.forget_default.differences).toEqual([
      { change: 'changed', kind: 'column', table: 'levels', name: 'level', properties: { default: { from: '1', to: null } } },
    ]);
    expect(byName.forget_foreign_key.status).toBe('not-reversible');
    expect(byName.forget_foreign_key.differences).toContainEqual(expect.objectContaining({ change: 'added', kind: 'foreignKey', table: 'links' }));
    expect(byName.drop_unknown_column).toMatchObject({
      status: 'not-reversible',
      differences: [{ change: 'removed', kind: 'column', table: 'features', name: 'description' }],
    });
    expect(byName.not_repeatable).toMatchObject({ status: 'not-repeatable', failure: { step: 'up again' } });
    expect(byName.not_repeatable.failure.message).toMatch(/unique|duplicate/i);
    expect(byName.not_repeatable.failure.statement).toContain('insert into users');
    // The entities know none of these tables.
    expect(report.entities.inSync).toBe(false);
    expect(await scratchDatabases(db, scratchDir)).not.toContain(report.scratch);

    const actions = await runCli(['verify', 'forget_index', '--db', db.url, ...scratch], { cwd: project.dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(actions.code).toBe(5);
    expect(actions.stdout).toContain('+ index notes.ix_notes_user_id');
    expect(actions.stdout).toMatch(
      /^::error file=migrations\/Migration20260108090000_forget_index\.ts,title=migrate-ui verify::Migration20260108090000_forget_index not reversible: \+ index notes\.ix_notes_user_id/m,
    );
    for (const name of Object.keys(brokenRevisions(dialect))) rmSync(join(project.migrationsDir, `${name}.ts`));
  });

  test('kill -9 during verify leaves its scratch database; the next run sweeps it', async (ctx) => {
    const db = database(ctx);
    const running = startCli(['verify', 'base..head', '--db', db.url, ...scratch], { cwd: project.dir });
    const pid = running.child.pid!;
    const mine = async () => (await scratchDatabases(db, scratchDir)).filter((n) => n.includes(`_${pid}_`));
    for (let i = 0; i < 200 && (await mine()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await mine()).toHaveLength(1);
    running.child.kill('SIGKILL');
    await running.done;
    expect(await mine()).toHaveLength(1);
    expectOk(await runCli(['verify', 'base..head', '--db', db.url, ...scratch], { cwd: project.dir }));
    expect(await mine()).toEqual([]);
    // SQLite's journal files went with it.
    if (dialect === 'sqlite') expect(readdirSync(scratchDir).filter((f) => f.includes(`_${pid}_`))).toEqual([]);
  });

  test('ctrl-c (SIGINT) drops the scratch database and exits 130', async (ctx) => {
    const db = database(ctx);
    const running = startCli(['verify', 'base..head', '--db', db.url, ...scratch], { cwd: project.dir });
    const pid = running.child.pid!;
    const mine = async () => (await scratchDatabases(db, scratchDir)).filter((n) => n.includes(`_${pid}_`));
    for (let i = 0; i < 200 && (await mine()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.code, result.stderr).toBe(130);
    expect(await mine()).toEqual([]);
  });
});

describe('verify --scratch URL (PostgreSQL)', () => {
  const database = useTestDatabase('postgresql');

  test('scratch databases go to the server --scratch names (its own database only creates and drops them)', async (ctx) => {
    const db = database(ctx);
    const server = new URL(db.url);
    server.pathname = '/postgres';
    const result = await runCli(['verify', 'base..head', '--json', '--db', db.url, '--scratch', server.href]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.scratch).toMatch(/^migrate_ui_scratch_/);
    expect(report.revisions).toHaveLength(EXAMPLE_REVISIONS.length);
    expect(await scratchDatabases(db)).not.toContain(report.scratch);
  });
});

describe('verify usage', () => {
  test('a RANGE with two .. or naming no revision is a usage error (exit 2)', async () => {
    expect((await runCli(['verify', 'a..b..c'])).code).toBe(2);
    expect((await runCli(['verify', 'no_such_revision'])).code).toBe(2);
    expect((await runCli(['diff', 'head'])).code).toBe(2);
  });
});

import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/databases.js';
import { events, fleetOn } from '../helpers/fleet.js';
import { expectOk, expectShortError } from '../helpers/expect-cli.js';
import { copyExample, EXAMPLE_REVISIONS, EXAMPLE_TABLES } from '../helpers/project.js';
import { useTestDatabase } from '../helpers/use-database.js';

const CREATE_USERS = EXAMPLE_REVISIONS[0];
const HEAD = EXAMPLE_REVISIONS[EXAMPLE_REVISIONS.length - 1];

describe.each(DIALECTS)('fleet on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = copyExample();
  afterAll(() => project.remove());

  test('up applies every target under its own history; a failure stops the rollout at --max-failures, and the next run finishes it, a new tenant too', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn(dialect, db, project.dir, 'tenant');
    const cli = (args: string[]) => runCli(dialect === 'sqlite' ? args : [...args, '--db', db.url], { cwd: project.dir, timeoutMs: 120_000 });
    try {
      for (const n of [1, 2, 3, 4]) await fleet.add(n);
      // Tenant 2 has a users table already: the first revision's create table fails there.
      await fleet.block(2);

      const status = JSON.parse(expectOk(await cli(['fleet', 'status', '--json'])).stdout);
      expect(status.targets.map((t: { target: string; pending: number }) => [t.target, t.pending])).toEqual(
        [1, 2, 3, 4].map((n) => [fleet.name(n), EXAMPLE_REVISIONS.length]),
      );

      // One after another, stopping at the first failure (the default --max-failures 1): 3 and 4 never start.
      const first = await cli(['fleet', 'up', '--concurrency', '1', '--json']);
      expect(first.code, first.stderr).toBe(1);
      expect(first.stderr).not.toContain('    at ');
      const stream = events(first.stdout);
      expect(stream.map((e) => [e.event, e.target ?? null])).toEqual([
        ['fleet:planned', null],
        ['target:start', fleet.name(1)],
        ...EXAMPLE_REVISIONS.map(() => ['target:revision', fleet.name(1)]),
        ['target:done', fleet.name(1)],
        ['target:start', fleet.name(2)],
        ['target:failed', fleet.name(2)],
        ['target:skipped', fleet.name(3)],
        ['target:skipped', fleet.name(4)],
        ['fleet:done', null],
      ]);
      const failed = stream.find((e) => e.event === 'target:failed');
      expect(failed.revision).toBe(CREATE_USERS);
      expect(failed.statement).toMatch(/create table .?users/i);
      expect(failed.message).toMatch(/exist/i);
      expect(stream.find((e) => e.event === 'target:skipped').reason).toBe('max-failures');
      expect(await fleet.history(1)).toEqual(EXAMPLE_REVISIONS);
      for (const table of EXAMPLE_TABLES) expect(await fleet.hasTable(1, table)).toBe(true);
      expect(await fleet.history(2)).toEqual([]);
      // Untouched: not even a history table.
      for (const n of [3, 4]) {
        expect(await fleet.history(n)).toEqual([]);
        expect(await fleet.hasTable(n, 'mikro_orm_migrations')).toBe(false);
        expect(await fleet.hasTable(n, 'features')).toBe(false);
      }

      const after = JSON.parse(expectOk(await cli(['fleet', 'status', '--json'])).stdout);
      expect(after.targets.map((t: { current: string | null; pending: number }) => [t.current, t.pending])).toEqual([
        [HEAD, 0],
        [null, EXAMPLE_REVISIONS.length],
        [null, EXAMPLE_REVISIONS.length],
        [null, EXAMPLE_REVISIONS.length],
      ]);

      // Fixed, and a tenant created since: the next run (canary first, three at once) applies the rest, and 1 has nothing to do.
      await fleet.unblock(2);
      await fleet.add(5);
      const second = expectOk(await cli(['fleet', 'up', '--canary', '1', '--concurrency', '3']));
      expect(second.stderr).toContain(`canary ${fleet.name(1)}`);
      expect(second.stderr).toContain(`✓ ${fleet.name(1)}  nothing to do`);
      for (const n of [2, 3, 4, 5]) expect(second.stderr).toContain(`✓ ${fleet.name(n)}  applied ${EXAMPLE_REVISIONS.length}`);
      expect(second.stderr).toContain('fleet: 5 done, 0 failed, 0 not started');
      for (const n of [1, 2, 3, 4, 5]) {
        expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS);
        expect(await fleet.sideTable(n)).toEqual(EXAMPLE_REVISIONS);
      }
      const text = expectOk(await cli(['fleet', 'status'])).stdout;
      for (const n of [1, 2, 3, 4, 5]) expect(text).toMatch(new RegExp(`✓ ${fleet.name(n)} +${HEAD}  up to date`));
    } finally {
      await fleet.cleanup();
    }
  });

  test('a failing canary leaves every other target untouched', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn(dialect, db, project.dir, 'canary');
    const cli = (args: string[]) => runCli(dialect === 'sqlite' ? args : [...args, '--db', db.url], { cwd: project.dir, timeoutMs: 120_000 });
    try {
      for (const n of [11, 12, 13]) await fleet.add(n);
      await fleet.block(11);
      const run = await cli(['fleet', 'up', '--canary', '1', '--max-failures', '5']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(`✗ ${fleet.name(11)}  ${CREATE_USERS} failed:`);
      expect(run.stderr).toMatch(/ {4}statement: create table .?users/i);
      expect(run.stderr).toContain(`- ${fleet.name(12)}  not started: a canary failed`);
      expect(run.stderr).toContain('fleet: 0 done, 1 failed, 2 not started');
      for (const n of [12, 13]) expect(await fleet.hasTable(n, 'mikro_orm_migrations')).toBe(false);
    } finally {
      await fleet.cleanup();
    }
  });
});

describe.each(DIALECTS)('fleet down on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = copyExample();
  afterAll(() => project.remove());

  test('reverts every target; data lost anywhere in the fleet needs --yes, summed in one line', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn(dialect, db, project.dir, 'down');
    const cli = (args: string[]) => runCli(dialect === 'sqlite' ? args : [...args, '--db', db.url], { cwd: project.dir, timeoutMs: 120_000 });
    try {
      for (const n of [1, 2]) await fleet.add(n);
      expectOk(await cli(['fleet', 'up']));
      await fleet.exec(
        2,
        (t) =>
          `insert into ${t('features')} (id, user_id, name, slug, is_active, created_at, updated_at) values ('f1', 'u1', 'Dark mode', 'dark-mode', ?, 0, 0)`,
        [true],
      );

      // The index goes on both: nothing is lost, nothing is asked.
      const index = expectOk(await cli(['fleet', 'down']));
      for (const n of [1, 2]) expect(index.stderr).toContain(`✓ ${fleet.name(n)}  reverted 1`);
      for (const n of [1, 2]) expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS.slice(0, -1));

      // Back to the features table: the slug column and its values go. Without a terminal: refused, nothing reverted.
      const [line, hint] = expectShortError(await cli(['fleet', 'down', 'add_features_table']), 2);
      expect(line).toMatch(/^migrate-ui: fleet down would lose data on [12] of 2 target\(s\): /);
      expect(line).toContain(`${fleet.name(2)}: `);
      expect(line).toContain('slug');
      expect(hint).toContain('--yes');
      for (const n of [1, 2]) expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS.slice(0, -1));

      const down = await cli(['fleet', 'down', 'add_features_table', '--yes', '--json']);
      expect(down.code, down.stderr).toBe(0);
      const done = events(down.stdout).filter((e) => e.event === 'target:done');
      expect(done.map((e) => e.done.length)).toEqual([2, 2]);
      for (const n of [1, 2]) expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS.slice(0, 3));
      expect(await fleet.exec(2, (t) => `select id from ${t('features')}`)).toEqual([{ id: 'f1' }]);
    } finally {
      await fleet.cleanup();
    }
  });
});

describe('fleet up stopped by SIGTERM (SQLite)', () => {
  const project = copyExample();
  afterAll(() => project.remove());

  test('the running target stops after its batch and resumes on the next run; the others never start; exit 130', async () => {
    const fleet = fleetOn('sqlite', { dialect: 'sqlite', url: 'sqlite:unused', drop: async () => undefined }, project.dir, 'stop');
    await fleet.add(1);
    expectOk(await runCli(['fleet', 'up', 'add_feature_slug'], { cwd: project.dir }));
    for (const n of [2, 3]) await fleet.add(n);
    // 20,000 rows in stop1 for the example's backfill, which the demo's throttle makes take some 5 s.
    await fleet.exec(
      1,
      (t) =>
        `insert into ${t('features')} (id, user_id, name, is_active, created_at, updated_at) with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000) select 'f' || i, 'u', 'Name ' || i, 1, 0, 0 from n`,
    );
    const env = { MIGRATE_UI_DEMO_SLOW: '1' };
    const running = startCli(['fleet', 'up', '--concurrency', '1', '--json'], { cwd: project.dir, env });
    let out = '';
    running.child.stdout!.on('data', (d) => (out += d));
    for (let i = 0; i < 200 && !out.includes('"target:start"'); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500));
    running.child.kill('SIGTERM');
    const stopped = await running.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    const stream = events(stopped.stdout);
    expect(stream.filter((e) => e.event !== 'fleet:planned' && e.event !== 'fleet:done').map((e) => [e.event, e.target, e.reason ?? null])).toEqual([
      ['target:start', 'stop1', null],
      ['target:stopped', 'stop1', null],
      ['target:skipped', 'stop2', 'stopped'],
      ['target:skipped', 'stop3', 'stopped'],
    ]);
    const [progress] = await fleet.exec(1, (t) => `select rows_done from ${t('migrate_ui_progress')}`);
    expect(Number(progress.rows_done)).toBeGreaterThan(0);
    expect(Number(progress.rows_done)).toBeLessThan(20_000);
    for (const n of [2, 3]) expect(await fleet.hasTable(n, 'mikro_orm_migrations')).toBe(false);

    // Again, at full speed: stop1 carries on from its checkpoint, the others take everything.
    const again = expectOk(await runCli(['fleet', 'up'], { cwd: project.dir }));
    expect(again.stderr).toContain('✓ stop1  applied 2');
    for (const n of [2, 3]) expect(again.stderr).toContain(`✓ stop${n}  applied ${EXAMPLE_REVISIONS.length}`);
    const [left] = await fleet.exec(1, (t) => `select count(*) as n from ${t('features')} where slug is null or slug <> lower(name)`);
    expect(Number(left.n)).toBe(0);
    for (const n of [1, 2, 3]) expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS);
  });
});

describe('fleet: bad input', () => {
  const project = copyExample();
  afterAll(() => project.remove());
  const cli = (args: string[]) => runCli(args, { cwd: project.dir });

  test('no fleet file, a bad entry, a schema on SQLite, an unknown action: one line each, exit 2', async () => {
    let [line, hint] = expectShortError(await cli(['fleet', 'status']), 2);
    expect(line).toBe(`migrate-ui: no fleet.json beside ${join(project.dir, 'mikro-orm.config.ts')}`);
    expect(hint).toContain('fleet.json');

    project.write('fleet.json', JSON.stringify({ targets: ['sqlite:./a.sqlite', { schema: 'x', color: 'red' }] }));
    [line] = expectShortError(await cli(['fleet', 'up']), 2);
    expect(line).toBe(`migrate-ui: fleet file ${join(project.dir, 'fleet.json')}, target 2: unknown field "color"`);

    project.write('fleet.json', JSON.stringify([{ schema: 'tenant_1' }]));
    [line] = expectShortError(await cli(['fleet', 'up']), 2);
    expect(line).toBe('migrate-ui: fleet target "tenant_1" is a schema, which needs PostgreSQL; its database is sqlite');

    project.write('fleet.json', '{ "targets": [');
    [line] = expectShortError(await cli(['fleet', 'status']), 2);
    expect(line).toMatch(/^migrate-ui: fleet file .*fleet\.json is not JSON/);

    [line] = expectShortError(await cli(['fleet', 'sideways']), 2);
    expect(line).toBe('migrate-ui: unknown fleet action "sideways"');
    [line] = expectShortError(await cli(['fleet']), 2);
    expect(line).toBe('migrate-ui: fleet needs an action: status, up or down');
    [line] = expectShortError(await cli(['fleet', 'up', '--concurrency', 'many']), 2);
    expect(line).toBe('migrate-ui: --concurrency takes a number, not "many"');
    [line] = expectShortError(await cli(['fleet', 'status', '--canary', '1']), 2);
    expect(line).toBe('migrate-ui: fleet status does not take --canary');
  });
});

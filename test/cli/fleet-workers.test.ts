import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type CliResult, runCli, startCli } from '../helpers/cli.js';
import type { TestDatabase, TestDialect } from '../helpers/databases.js';
import { expectOk, expectShortError } from '../helpers/expect-cli.js';
import { events, fleetOn } from '../helpers/fleet.js';
import { copyExample, EXAMPLE_REVISIONS, type TempProject } from '../helpers/project.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Several `fleet up --rollout NAME` processes share one rollout: the targets are claimed in the control database.

/** `fleet up` workers of one project, each its own process, pointed at `db` (a SQLite fleet needs no --db). */
function workersOf(project: TempProject, db: TestDatabase | undefined) {
  const withDb = (args: string[]) => (db ? [...args, '--db', db.url] : args);
  return {
    start: (args: string[], env: NodeJS.ProcessEnv = {}) => startCli(['fleet', 'up', '--json', ...withDb(args)], { cwd: project.dir, env }),
    run: (args: string[]) => runCli(withDb(args), { cwd: project.dir, timeoutMs: 120_000 }),
  };
}

/** The rows of the claims table for `rollout`, in the fleet's order. */
function claims(control: TestDatabase, rollout: string) {
  return withSql(control, (sql) =>
    sql.query<{ target: string; state: string; attempts: number; worker: string | null }>(
      'select target, state, attempts, worker from migrate_ui_fleet_claims where rollout = ? order by position',
      [rollout],
    ),
  ).then((rows) => rows.map((r) => ({ ...r, attempts: Number(r.attempts) })));
}

/** A worker's stream: every line names the worker, and its last line is the rollout's end. */
function streamOf(result: CliResult) {
  const stream = events(result.stdout);
  const worker = stream[0].worker;
  expect(worker).toMatch(/^.+:\d+:[0-9a-f]{8}$/);
  for (const event of stream) expect(event.worker).toBe(worker);
  const done = stream.at(-1);
  expect(done.event).toBe('fleet:done');
  return { stream, worker, done };
}

/** Several workers on one fleet of `dialect`: every target applied by exactly one of them, each revision once. */
async function everyTargetOnce(dialect: TestDialect, db: TestDatabase | undefined, control: TestDatabase, project: TempProject, count: number) {
  const fleet = fleetOn(dialect, db ?? { dialect: 'sqlite', url: 'sqlite:unused', drop: async () => undefined }, project.dir, 'fwa');
  const tenants = [1, 2, 3, 4, 5, 6];
  try {
    for (const n of tenants) await fleet.add(n);
    const workers = workersOf(project, db);
    const running = Array.from({ length: count }, () => workers.start(['--rollout', 'once', '--concurrency', '2']));
    const results = await Promise.all(running.map((r) => r.done));
    const names = tenants.map((n) => fleet.name(n));
    const ran: string[] = [];
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      const { done } = streamOf(result);
      // Each worker ends seeing the whole rollout done; together they ran each target once.
      expect([...done.done].sort()).toEqual([...names].sort());
      expect(done.failed).toEqual([]);
      ran.push(...done.ran);
    }
    expect([...ran].sort()).toEqual([...names].sort());
    for (const n of tenants) expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS);
    const rows = await claims(control, 'once');
    expect(rows.map((r) => [r.target, r.state, r.attempts])).toEqual(names.map((name) => [name, 'done', 1]));
    return results;
  } finally {
    await fleet.cleanup();
  }
}

describe('fleet workers on PostgreSQL schemas', () => {
  const database = useTestDatabase('postgresql');
  const project = copyExample();
  afterAll(() => project.remove());

  test('three workers share one rollout: every schema applied once, by one of them', async (ctx) => {
    const db = database(ctx);
    await everyTargetOnce('postgresql', db, db, project, 3);
  });

  test('a worker killed -9 mid-target: the others finish, take its claim over when it goes stale, and nothing is applied twice', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn('postgresql', db, project.dir, 'fwk');
    const workers = workersOf(project, db);
    for (const n of [1, 2, 3]) await fleet.add(n);
    expectOk(await workers.run(['fleet', 'up', 'add_feature_slug']));
    // 20,000 rows in fwk_1 for the backfill, which the demo's throttle makes take some 5 s.
    await fleet.exec(
      1,
      (t) =>
        `insert into ${t('features')} (id, user_id, name, is_active, created_at, updated_at) select 'f' || i, 'u', 'Name ' || i, true, 0, 0 from generate_series(1, 20000) i`,
    );
    const doomed = workers.start(['--rollout', 'kill', '--concurrency', '1', '--stale-after', '2'], { MIGRATE_UI_DEMO_SLOW: '1' });
    let out = '';
    doomed.child.stdout!.on('data', (d) => (out += d));
    const progress = () =>
      fleet
        .exec(1, (t) => `select rows_done from ${t('migrate_ui_progress')}`)
        .then(
          (rows) => Number((rows[0] as { rows_done?: number } | undefined)?.rows_done ?? 0),
          () => 0,
        );
    for (let i = 0; i < 400 && (await progress()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await progress()).toBeGreaterThan(0);
    doomed.child.kill('SIGKILL');
    await doomed.done;
    const dead = events(out)[0].worker;
    expect(
      events(out)
        .filter((e) => e.event === 'target:start')
        .map((e) => e.target),
    ).toEqual([fleet.name(1)]);

    const results = await Promise.all([1, 2].map(() => workers.start(['--rollout', 'kill', '--concurrency', '2', '--stale-after', '2']).done));
    const streams = results.map((result) => {
      expect(result.code, result.stderr).toBe(0);
      return streamOf(result);
    });
    const takeovers = streams.flatMap(({ stream }) => stream.filter((e) => e.event === 'target:start' && e.takenFrom));
    expect(takeovers.map((e) => [e.target, e.takenFrom, e.attempt])).toEqual([[fleet.name(1), dead, 2]]);
    const finished = streams.flatMap(({ stream }) => stream.filter((e) => e.event === 'target:done'));
    // fwk_1 carries on from the backfill's checkpoint; the others take the two revisions after add_feature_slug.
    expect(finished.map((e) => [e.target, e.done]).sort()).toEqual([1, 2, 3].map((n) => [fleet.name(n), EXAMPLE_REVISIONS.slice(-2)]));
    for (const n of [1, 2, 3]) expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS);
    const [left] = await fleet.exec(1, (t) => `select count(*) as n from ${t('features')} where slug is null or slug <> lower(name)`);
    expect(Number((left as { n: number }).n)).toBe(0);
    const rows = await claims(db, 'kill');
    expect(rows.map((r) => [r.target, r.state, r.attempts])).toEqual([
      [fleet.name(1), 'done', 2],
      [fleet.name(2), 'done', 1],
      [fleet.name(3), 'done', 1],
    ]);
    expect(rows[0].worker).not.toBe(dead);
  });

  test('a worker stopped by SIGTERM gives its claim back (exit 130); the next worker finishes it from the checkpoint', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn('postgresql', db, project.dir, 'fws');
    const workers = workersOf(project, db);
    for (const n of [1, 2]) await fleet.add(n);
    expectOk(await workers.run(['fleet', 'up', 'add_feature_slug']));
    await fleet.exec(
      1,
      (t) =>
        `insert into ${t('features')} (id, user_id, name, is_active, created_at, updated_at) select 'f' || i, 'u', 'Name ' || i, true, 0, 0 from generate_series(1, 20000) i`,
    );
    const stopping = workers.start(['--rollout', 'term', '--concurrency', '1'], { MIGRATE_UI_DEMO_SLOW: '1' });
    const progress = () =>
      fleet
        .exec(1, (t) => `select rows_done from ${t('migrate_ui_progress')}`)
        .then(
          (rows) => Number((rows[0] as { rows_done?: number } | undefined)?.rows_done ?? 0),
          () => 0,
        );
    for (let i = 0; i < 400 && (await progress()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    stopping.child.kill('SIGTERM');
    const stopped = await stopping.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    const { stream } = streamOf(stopped);
    expect(stream.filter((e) => e.event === 'target:stopped').map((e) => e.target)).toEqual([fleet.name(1)]);
    expect((await claims(db, 'term')).map((r) => [r.target, r.state, r.worker])).toEqual([
      [fleet.name(1), 'pending', null],
      [fleet.name(2), 'pending', null],
    ]);

    const next = await workers.start(['--rollout', 'term']).done;
    expect(next.code, next.stderr).toBe(0);
    const starts = streamOf(next).stream.filter((e) => e.event === 'target:start');
    expect(starts.map((e) => [e.target, e.attempt, e.takenFrom ?? null])).toEqual([
      [fleet.name(1), 2, null],
      [fleet.name(2), 1, null],
    ]);
    for (const n of [1, 2]) expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS);
    const [left] = await fleet.exec(1, (t) => `select count(*) as n from ${t('features')} where slug is null or slug <> lower(name)`);
    expect(Number((left as { n: number }).n)).toBe(0);
  });

  test('max-failures and canaries count across workers; a worker asking for another plan is refused', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn('postgresql', db, project.dir, 'fwf');
    const workers = workersOf(project, db);
    const names = [1, 2, 3, 4, 5].map((n) => fleet.name(n));
    for (const n of [1, 2, 3, 4, 5]) await fleet.add(n);
    await fleet.block(1);
    await fleet.block(2);

    // The first claim of each worker is 1 or 2, which fail; then --max-failures 1 is reached: 3, 4, 5 never start.
    const failing = await Promise.all([1, 2].map(() => workers.start(['--rollout', 'fail', '--concurrency', '1']).done));
    for (const result of failing) {
      expect(result.code, result.stderr).toBe(1);
      const { done, stream } = streamOf(result);
      expect(done.failed).toContain(names[0]);
      expect(done.skipped).toEqual(expect.arrayContaining(names.slice(2)));
      expect(done.done).toEqual([]);
      for (const name of names.slice(2)) expect(stream.find((e) => e.event === 'target:skipped' && e.target === name)?.reason).toBe('max-failures');
    }
    for (const n of [3, 4, 5]) expect(await fleet.hasTable(n, 'mikro_orm_migrations')).toBe(false);
    const failed = await claims(db, 'fail');
    expect(failed.filter((r) => r.state === 'failed').map((r) => r.target)).toContain(names[0]);
    expect(failed.slice(2).map((r) => [r.state, r.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
      ['pending', 0],
    ]);

    // One canary, failing: the other worker waits for it, and nobody starts the rest.
    const canary = await Promise.all([1, 2].map(() => workers.start(['--rollout', 'canary', '--canary', '1', '--max-failures', '5']).done));
    for (const result of canary) {
      expect(result.code, result.stderr).toBe(1);
      const { done, stream } = streamOf(result);
      expect(done.failed).toEqual([names[0]]);
      expect(stream.find((e) => e.event === 'target:skipped' && e.target === names[1])?.reason).toBe('canary-failed');
    }
    for (const n of [3, 4, 5]) expect(await fleet.hasTable(n, 'mikro_orm_migrations')).toBe(false);

    // Fixed: a new rollout finishes; a worker asking the same rollout for another plan is refused, in one line.
    await fleet.unblock(1);
    await fleet.unblock(2);
    const fixed = await Promise.all([1, 2].map(() => workers.start(['--rollout', 'fixed']).done));
    for (const result of fixed) expect(streamOf(result).done.done.sort()).toEqual([...names].sort());
    for (const n of [1, 2, 3, 4, 5]) expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS);
    const [line] = expectShortError(await workers.run(['fleet', 'up', 'add_channel_table', '--rollout', 'fixed']), 2);
    expect(line).toBe('migrate-ui: fleet rollout "fixed" is a fleet up head, not a fleet up add_channel_table');
  });
});

describe('fleet workers on MariaDB databases', () => {
  const database = useTestDatabase('mariadb');
  const project = copyExample();
  afterAll(() => project.remove());

  test('two workers share one rollout: every database applied once, by one of them', async (ctx) => {
    const db = database(ctx);
    await everyTargetOnce('mariadb', db, db, project, 2);
  });
});

describe('fleet workers on SQLite files', () => {
  const project = copyExample();
  afterAll(() => project.remove());

  test('two workers share one rollout, claimed in the configured SQLite file: every file applied once', async () => {
    const control: TestDatabase = { dialect: 'sqlite', url: `sqlite:${join(project.dir, 'example.sqlite')}`, drop: async () => undefined };
    await everyTargetOnce('sqlite', undefined, control, project, 2);
  });

  test('bad input: one line each, exit 2', async () => {
    const cli = (args: string[]) => runCli(args, { cwd: project.dir });
    let [line, hint] = expectShortError(await cli(['fleet', 'up', '--control', 'sqlite:./c.sqlite']), 2);
    expect(line).toBe('migrate-ui: --control belongs to a shared rollout');
    expect(hint).toContain('--rollout NAME');
    [line] = expectShortError(await cli(['fleet', 'status', '--rollout', 'r1', '--retry-failed']), 2);
    expect(line).toBe('migrate-ui: fleet status does not take --retry-failed');
    [line] = expectShortError(await cli(['fleet', 'up', '--retry-failed']), 2);
    expect(line).toBe('migrate-ui: --retry-failed belongs to a shared rollout');
    [line] = expectShortError(await cli(['fleet', 'up', '--rollout', 'a b']), 2);
    expect(line).toMatch(/^migrate-ui: --rollout takes a name of letters/);
    [line] = expectShortError(await cli(['fleet', 'up', '--rollout', 'r', '--stale-after', 'soon']), 2);
    expect(line).toBe('migrate-ui: --stale-after takes a number, not "soon"');
  });
});

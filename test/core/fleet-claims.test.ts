import { afterAll, describe, expect, test } from 'vitest';
import { Database } from '../../src/core/database.js';
import { ClaimBoard } from '../../src/core/fleet/claims.js';
import { databaseOf, type Project } from '../../src/core/project.js';
import { connectSql, withSql } from '../helpers/sql.js';
import { openProject, uiExample } from '../helpers/ui-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

// A worker's claim passes over rows another worker is claiming at that moment (SKIP LOCKED). Those rows are not gone:
// the worker must wait for them, not end the rollout as finished while they are still to run.
describe.each(['postgresql', 'mariadb'] as const)('the claims board on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const example = uiExample();
  afterAll(() => example.remove());

  test("targets another worker is claiming right now are waited for, not taken as the rollout's end", async (ctx) => {
    const db = database(ctx);
    const project: Project = await openProject(example.configPath, db.url);
    ctx.onTestFinished(() => project.close());
    const board = await ClaimBoard.open(await Database.connect(databaseOf(project).config, { single: true }), {
      rollout: 'skipped',
      plan: 'up head',
      staleAfterMs: 30_000,
    });
    ctx.onTestFinished(() => board.close());
    await board.enlist([{ name: 't1' }, { name: 't2' }], 0);
    // Another worker inside its claim transaction: both rows locked, not committed.
    const other = await connectSql(db);
    ctx.onTestFinished(() => other.close());
    await other.query('begin');
    await other.query(`select target from migrate_ui_fleet_claims where rollout = 'skipped' for update`);
    expect(await board.next(1, () => true)).toEqual({ wait: true });
    // Its claims committed: this worker still waits while they run, and claims what is given back.
    await other.query(`update migrate_ui_fleet_claims set state = 'running', heartbeat_at = 0, worker = 'w2' where target = 't1'`);
    await other.query('commit');
    const next = await board.next(1, () => true);
    expect(next).toMatchObject({ claim: { target: 't1', takenFrom: 'w2' } });
  });

  test('a claim waits while another worker writes a failure, and counts it: with --max-failures 1 nothing more is claimed', async (ctx) => {
    const db = database(ctx);
    const project: Project = await openProject(example.configPath, db.url);
    ctx.onTestFinished(() => project.close());
    const open = async () => {
      const board = await ClaimBoard.open(await Database.connect(databaseOf(project).config, { single: true }), {
        rollout: 'counted',
        plan: 'up head',
        staleAfterMs: 30_000,
      });
      ctx.onTestFinished(() => board.close());
      await board.enlist([{ name: 't1' }, { name: 't2' }, { name: 't3' }], 0);
      return board;
    };
    const [a, b] = [await open(), await open()];
    expect(await a.next(1, () => true)).toMatchObject({ claim: { target: 't1' } });
    expect(await b.next(1, () => true)).toMatchObject({ claim: { target: 't2' } });
    // B's target failed; its outcome is being written (held up on the row by another session meanwhile).
    const other = await connectSql(db);
    ctx.onTestFinished(() => other.close());
    await other.query('begin');
    await other.query(`select target from migrate_ui_fleet_claims where rollout = 'counted' and target = 't2' for update`);
    const failing = b.finish('t2', 'failed', { failure: { message: 'boom', exitCode: 1 }, done: [] });
    // Waiters in this test's database only: other test files hold and wait for rollout locks of their own meanwhile.
    const waiting =
      dialect === 'postgresql'
        ? `select count(*) as n from pg_locks where locktype = 'advisory' and not granted
             and database = (select oid from pg_database where datname = current_database())`
        : `select count(*) as n from information_schema.processlist where state = 'User lock' and db = database()`;
    const waiters = async () => Number((await withSql(db, (c) => c.query<{ n: number | string }>(waiting)))[0].n);
    // A's slot asks for its next target meanwhile: it waits for B's outcome, not claiming t3 beside it.
    const asked = a.next(1, () => true);
    for (let i = 0; i < 1200 && (await waiters()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await waiters()).toBe(1);
    await other.query('commit');
    await failing;
    expect(await asked).toEqual({ wait: true });
    expect((await b.rows()).map((r) => [r.target, r.state])).toEqual([
      ['t1', 'running'],
      ['t2', 'failed'],
      ['t3', 'pending'],
    ]);
  });
});

import { afterAll, describe, expect, test } from 'vitest';
import { Rollout } from '../../src/core/fleet/rollout.js';
import { targetOpener } from '../../src/core/fleet/fleet.js';
import { databaseOf, Project } from '../../src/core/project.js';
import { ROOT, runCli, startCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/databases.js';
import { expectOk } from '../helpers/expect-cli.js';
import { events, fleetOn } from '../helpers/fleet.js';
import { copyExample, EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Issue 24's Done means, the cases fleet.test.ts does not cover: a tenant created while a rollout runs; a revision
// failing part-way on two targets with --max-failures 2 (the failed ones keep what ran before it, the rest untouched);
// search_path never leaking into a pool that stays open across an in-process rollout.

const ADD_FEATURES = R[2];
const ADD_SLUG = R[3];

describe.each(DIALECTS)('fleet rollouts on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = copyExample();
  afterAll(() => project.remove());

  test('a tenant created while the rollout runs is left alone by it and taken by the next run', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn(dialect, db, project.dir, 'late');
    const cli = (args: string[]) => runCli(dialect === 'sqlite' ? args : [...args, '--db', db.url], { cwd: project.dir, timeoutMs: 120_000 });
    try {
      for (const n of [1, 2]) await fleet.add(n);
      expectOk(await cli(['fleet', 'up', ADD_SLUG]));
      // 10,000 rows for tenant 1's backfill, which the demo's throttle stretches over some 2.5 s.
      for (let from = 0; from < 10_000; from += 1000) {
        const ids = Array.from({ length: 1000 }, (_, i) => from + i);
        await fleet.exec(
          1,
          (t) =>
            `insert into ${t('features')} (id, user_id, name, is_active, created_at, updated_at) values ${ids.map(() => '(?, ?, ?, ?, 0, 0)').join(', ')}`,
          ids.flatMap((i) => [`f${i}`, 'u', `Name ${i}`, true]),
        );
      }
      const args = ['fleet', 'up', '--concurrency', '1', '--json', ...(dialect === 'sqlite' ? [] : ['--db', db.url])];
      const running = startCli(args, { cwd: project.dir, env: { MIGRATE_UI_DEMO_SLOW: '1' } });
      let out = '';
      running.child.stdout!.on('data', (d) => (out += d));
      for (let i = 0; i < 400 && !out.includes('"target:start"'); i++) await new Promise((r) => setTimeout(r, 25));
      // Tenant 3 appears mid-run (tenant 1's backfill still going): a new schema or database the pattern matches, a new line in fleet.json.
      await fleet.add(3);
      expect(out).not.toContain('"target:revision"');
      const first = await running.done;
      expect(first.code, first.stderr).toBe(0);
      const stream = events(first.stdout);
      expect(stream[0].targets).toEqual([fleet.name(1), fleet.name(2)]);
      expect(stream.filter((e) => e.event === 'target:done').map((e) => [e.target, e.done.length])).toEqual([
        [fleet.name(1), 2],
        [fleet.name(2), 2],
      ]);
      expect(await fleet.hasTable(3, 'mikro_orm_migrations')).toBe(false);
      expect(await fleet.hasTable(3, 'users')).toBe(false);

      const next = expectOk(await cli(['fleet', 'up']));
      expect(next.stderr).toContain(`✓ ${fleet.name(1)}  nothing to do`);
      expect(next.stderr).toContain(`✓ ${fleet.name(3)}  applied ${R.length}`);
      for (const n of [1, 2, 3]) expect(await fleet.history(n)).toEqual(R);
    } finally {
      await fleet.cleanup();
    }
  });

  test('a revision failing part-way on two targets stops the rollout at --max-failures 2: each reported with its statement, the rest untouched', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn(dialect, db, project.dir, 'fail');
    const cli = (args: string[]) => runCli(dialect === 'sqlite' ? args : [...args, '--db', db.url], { cwd: project.dir, timeoutMs: 120_000 });
    try {
      for (const n of [1, 2, 3, 4, 5]) await fleet.add(n);
      // A features table in the way on 2 and 3: their third revision's create table fails there.
      for (const n of [2, 3]) await fleet.exec(n, (t) => `create table ${t('features')} (id integer primary key)`);
      const run = await cli(['fleet', 'up', '--concurrency', '1', '--max-failures', '2', '--json']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).not.toContain('    at ');
      const stream = events(run.stdout);
      expect(stream.filter((e) => e.event.startsWith('target:') && e.event !== 'target:revision').map((e) => [e.event, e.target])).toEqual([
        ['target:start', fleet.name(1)],
        ['target:done', fleet.name(1)],
        ['target:start', fleet.name(2)],
        ['target:failed', fleet.name(2)],
        ['target:start', fleet.name(3)],
        ['target:failed', fleet.name(3)],
        ['target:skipped', fleet.name(4)],
        ['target:skipped', fleet.name(5)],
      ]);
      for (const failed of stream.filter((e) => e.event === 'target:failed')) {
        expect(failed.revision).toBe(ADD_FEATURES);
        expect(failed.statement).toMatch(/create table .?features/i);
        expect(failed.message).toMatch(/exist/i);
        expect(failed.done).toEqual(R.slice(0, 2));
      }
      expect(stream.at(-1)).toMatchObject({ event: 'fleet:done', done: [fleet.name(1)], failed: [fleet.name(2), fleet.name(3)] });
      expect(await fleet.history(1)).toEqual(R);
      // The failed ones keep what ran before the failure; nothing of the failing revision stays.
      for (const n of [2, 3]) {
        expect(await fleet.history(n)).toEqual(R.slice(0, 2));
        expect(await fleet.sideTable(n)).toEqual(R.slice(0, 2));
      }
      for (const n of [4, 5]) {
        expect(await fleet.hasTable(n, 'mikro_orm_migrations')).toBe(false);
        expect(await fleet.hasTable(n, 'users')).toBe(false);
      }

      // The same in text: each failed target with its revision and its statement, the rest not started.
      const text = await cli(['fleet', 'up', '--concurrency', '1', '--max-failures', '2']);
      expect(text.code).toBe(1);
      for (const n of [2, 3]) {
        expect(text.stderr).toContain(`✗ ${fleet.name(n)}  ${ADD_FEATURES} failed:`);
        expect(text.stderr).toContain(`    statement: create table ${dialect === 'postgresql' ? '"features"' : '`features`'}`);
      }
      for (const n of [4, 5]) expect(text.stderr).toContain(`- ${fleet.name(n)}  not started: 2 target(s) failed (--max-failures 2)`);
      expect(text.stderr).toContain('fleet: 1 done, 2 failed, 2 not started');
    } finally {
      await fleet.cleanup();
    }
  });
});

describe('search_path on PostgreSQL across an in-process rollout of schema targets', () => {
  const database = useTestDatabase('postgresql');

  test("a pool open throughout (the configured database's) sees public after the run, several connections at once", async (ctx) => {
    const db = database(ctx);
    const base = await Project.open({ cwd: ROOT, dbUrl: db.url, env: {} });
    try {
      const pool = databaseOf(base);
      const schemas = async () =>
        (await Promise.all(Array.from({ length: 6 }, () => pool.query<{ s: string }>('select current_schema() as s')))).map(([r]) => r.s);
      expect(await schemas()).toEqual(Array(6).fill('public'));
      const rollout = new Rollout(
        ['sp_a', 'sp_b', 'sp_c'].map((schema) => ({ name: schema, schema })),
        targetOpener({ cwd: ROOT, dbUrl: db.url, env: {} }),
      );
      const result = await rollout.run({ direction: 'up', concurrency: 3, canary: 0, maxFailures: 1, lockTimeoutMs: 30_000 });
      expect(result.done.sort()).toEqual(['sp_a', 'sp_b', 'sp_c']);
      expect(await schemas()).toEqual(Array(6).fill('public'));
      // An unqualified query on that pool reads the default schema's tables, none of the tenants'.
      const [{ n }] = await pool.query<{ n: number }>(
        `select count(*)::int as n from information_schema.tables where table_schema = current_schema()`,
      );
      expect(n).toBe(0);
    } finally {
      await base.close();
    }
    await withSql(db, async (sql) => {
      for (const schema of ['sp_a', 'sp_b', 'sp_c']) {
        const history = await sql.query<{ name: string }>(`select name from ${schema}.mikro_orm_migrations order by id`);
        expect(history.map((r) => r.name)).toEqual(R);
      }
    });
  });
});

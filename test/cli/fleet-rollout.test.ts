import { hostname } from 'node:os';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import type { TestDatabase, TestDialect } from '../helpers/databases.js';
import { expectOk, expectShortError } from '../helpers/expect-cli.js';
import { events, fleetOn } from '../helpers/fleet.js';
import { copyExample, EXAMPLE_REVISIONS, type TempProject } from '../helpers/project.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// A shared rollout seen from its control database (fleet status --rollout), retried under its own name
// (--retry-failed), and --max-failures counted at claim time over every worker.

function cliOf(project: TempProject, db: TestDatabase) {
  return {
    start: (args: string[], env: NodeJS.ProcessEnv = {}) => startCli(['fleet', 'up', '--json', ...args, '--db', db.url], { cwd: project.dir, env }),
    run: (args: string[]) => runCli([...args, '--db', db.url], { cwd: project.dir, timeoutMs: 120_000 }),
  };
}

interface ClaimRow {
  target: string;
  state: string;
  attempts: number;
  claimed_at: number | null;
  heartbeat_at: number | null;
}

function claims(db: TestDatabase, rollout: string): Promise<ClaimRow[]> {
  return withSql(db, (sql) =>
    sql.query<ClaimRow>('select target, state, attempts, claimed_at, heartbeat_at from migrate_ui_fleet_claims where rollout = ? order by position', [
      rollout,
    ]),
  ).then((rows) =>
    rows.map((r) => ({
      ...r,
      attempts: Number(r.attempts),
      claimed_at: r.claimed_at === null ? null : Number(r.claimed_at),
      heartbeat_at: r.heartbeat_at === null ? null : Number(r.heartbeat_at),
    })),
  );
}

const until = async (what: () => Promise<boolean>, label: string) => {
  for (let i = 0; i < 600; i++) {
    if (await what().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${label}`);
};

describe('fleet status --rollout on PostgreSQL', () => {
  const database = useTestDatabase('postgresql');
  const project = copyExample();
  afterAll(() => project.remove());

  test('each target: state, the worker running it (pid@host), since when, heartbeat age; what failed; text and --json', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn('postgresql', db, project.dir, 'frs');
    const cli = cliOf(project, db);
    for (const n of [1, 2, 3]) await fleet.add(n);
    expectOk(await cli.run(['fleet', 'up', 'add_feature_slug']));
    await fleet.exec(
      1,
      (t) =>
        `insert into ${t('features')} (id, user_id, name, is_active, created_at, updated_at) select 'f' || i, 'u', 'Name ' || i, true, 0, 0 from generate_series(1, 20000) i`,
    );
    // frs_2 fails its last revision: an index of its name is there already.
    await fleet.exec(2, (t) => `create index ix_features_slug on ${t('features')} (name)`);
    const worker = cli.start(['--rollout', 'seen', '--concurrency', '1', '--max-failures', '5'], { MIGRATE_UI_DEMO_SLOW: '1' });
    let out = '';
    worker.child.stdout!.on('data', (d) => (out += d));
    // frs_1 runs (its slow backfill); frs_2 and frs_3 wait, pending.
    await until(async () => (await claims(db, 'seen')).some((r) => r.target === fleet.name(1) && r.state === 'running'), 'frs_1 running');
    const status = await cli.run(['fleet', 'status', '--rollout', 'seen', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const json = JSON.parse(status.stdout);
    const [id] = events(out).map((e) => e.worker as string);
    const pid = Number(id.split(':').at(-2));
    expect(json).toMatchObject({ rollout: 'seen', plan: 'up head', counts: { running: 1, pending: 2, done: 0, failed: 0 } });
    expect(json.targets.map((t: { target: string; state: string }) => [t.target, t.state])).toEqual([
      [fleet.name(1), 'running'],
      [fleet.name(2), 'pending'],
      [fleet.name(3), 'pending'],
    ]);
    const running = json.targets[0];
    expect(running).toMatchObject({ worker: id, by: `${pid}@${hostname()}`, stale: false, attempts: 1 });
    expect(Date.now() - Date.parse(running.since)).toBeLessThan(60_000);
    expect(running.heartbeatAgeMs).toBeGreaterThanOrEqual(0);
    expect(running.heartbeatAgeMs).toBeLessThan(30_000);
    expect(json.targets[1]).toMatchObject({ worker: null, by: null, since: null, heartbeatAgeMs: null });
    const text = await cli.run(['fleet', 'status', '--rollout', 'seen']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(new RegExp(`^▶ ${fleet.name(1)}  running  by ${pid}@${hostname()}  since \\S+Z  heartbeat \\d+\\.\\d s ago$`));
    expect(lines[2]).toMatch(new RegExp(`^· ${fleet.name(2)}  pending$`));
    expect(lines.at(-1)).toBe('rollout seen: 0 done, 0 failed, 1 running, 2 pending');

    // The worker ends the rollout: frs_2 failed, the others done; the status says what failed, and who ran each.
    const ended = await worker.done;
    expect(ended.code, ended.stderr).toBe(1);
    const after = JSON.parse((await cli.run(['fleet', 'status', '--rollout', 'seen', '--json'])).stdout);
    expect(after.counts).toEqual({ pending: 0, running: 0, done: 2, failed: 1 });
    expect(after.targets[1]).toMatchObject({
      target: fleet.name(2),
      state: 'failed',
      by: `${pid}@${hostname()}`,
      failure: { revision: EXAMPLE_REVISIONS[5] },
    });
    expect(after.targets[0]).toMatchObject({ state: 'done', done: EXAMPLE_REVISIONS.slice(-2) });
    const textAfter = (await cli.run(['fleet', 'status', '--rollout', 'seen'])).stdout.trimEnd().split('\n');
    expect(textAfter[2]).toMatch(
      new RegExp(`^✗ ${fleet.name(2)}  failed   ran by ${pid}@${hostname()}  since \\S+Z  ${EXAMPLE_REVISIONS[5]} failed: `),
    );

    // A claim whose worker went silent (its heartbeat two minutes old, past --stale-after): said stale.
    await withSql(db, (sql) =>
      sql.query(`update migrate_ui_fleet_claims set state = 'running', heartbeat_at = heartbeat_at - 120000 where rollout = 'seen' and target = ?`, [
        fleet.name(3),
      ]),
    );
    const stale = JSON.parse((await cli.run(['fleet', 'status', '--rollout', 'seen', '--json', '--stale-after', '60'])).stdout).targets[2];
    expect(stale).toMatchObject({ state: 'running', stale: true, by: `${pid}@${hostname()}` });
    expect(stale.heartbeatAgeMs).toBeGreaterThanOrEqual(120_000);
    const staleLine = (await cli.run(['fleet', 'status', '--rollout', 'seen', '--stale-after', '60'])).stdout.trimEnd().split('\n')[3];
    expect(staleLine).toMatch(/ {2}heartbeat 2 min ago \(stale: another worker takes it over\)$/);

    // A rollout nobody ran: one line, exit 2.
    const [line] = expectShortError(await cli.run(['fleet', 'status', '--rollout', 'nobody']), 2);
    expect(line).toMatch(/^migrate-ui: no fleet rollout "nobody" on postgres:\/\//);
    await fleet.cleanup();
  });
});

describe.each(['postgresql', 'mariadb'] as const)('a shared rollout on %s', (dialect: TestDialect) => {
  const database = useTestDatabase(dialect);
  const project = copyExample();
  afterAll(() => project.remove());

  test('--retry-failed: the failed target, fixed, runs again under the same rollout name; applied once, the others not run again', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn(dialect, db, project.dir, 'frr');
    const cli = cliOf(project, db);
    try {
      for (const n of [1, 2, 3]) await fleet.add(n);
      await fleet.block(2);
      const first = await cli.start(['--rollout', 'again', '--max-failures', '5']).done;
      expect(first.code, first.stderr).toBe(1);
      expect((await claims(db, 'again')).map((r) => [r.target, r.state])).toEqual([
        [fleet.name(1), 'done'],
        [fleet.name(2), 'failed'],
        [fleet.name(3), 'done'],
      ]);
      await fleet.unblock(2);
      // Without the flag the rollout stays as it ended: its failed target is not run again.
      const plain = await cli.start(['--rollout', 'again', '--max-failures', '5']).done;
      expect(plain.code, plain.stderr).toBe(1);
      expect(events(plain.stdout).filter((e) => e.event === 'target:start')).toEqual([]);
      expect(await fleet.history(2)).toEqual([]);

      const retried = await cli.start(['--rollout', 'again', '--max-failures', '5', '--retry-failed']).done;
      expect(retried.code, retried.stderr).toBe(0);
      const stream = events(retried.stdout);
      expect(stream[0]).toMatchObject({ event: 'fleet:planned', retried: 1 });
      expect(stream.filter((e) => e.event === 'target:start').map((e) => [e.target, e.attempt])).toEqual([[fleet.name(2), 2]]);
      expect(stream.at(-1)).toMatchObject({ event: 'fleet:done', failed: [], ran: [fleet.name(2)] });
      for (const n of [1, 2, 3]) expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS);
      expect(await fleet.sideTable(2)).toEqual([...EXAMPLE_REVISIONS].sort());
      expect((await claims(db, 'again')).map((r) => [r.target, r.state, r.attempts])).toEqual([
        [fleet.name(1), 'done', 1],
        [fleet.name(2), 'done', 2],
        [fleet.name(3), 'done', 1],
      ]);
      // Nothing failed any more: the flag changes nothing, and says nothing.
      const text = await cli.run(['fleet', 'up', '--rollout', 'again', '--retry-failed']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stderr).not.toContain('back to pending');
      expect(text.stderr).toContain('fleet: 3 done, 0 failed, 0 not started; this worker ran 0');
    } finally {
      await fleet.cleanup();
    }
  });

  test('--max-failures 1 over 2 workers × 2 slots, every target failing: none is claimed after the first failure is recorded', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn(dialect, db, project.dir, 'frm');
    const cli = cliOf(project, db);
    const tenants = [1, 2, 3, 4, 5, 6, 7, 8];
    try {
      for (const n of tenants) await fleet.add(n);
      for (const n of tenants) await fleet.block(n);
      const results = await Promise.all([1, 2].map(() => cli.start(['--rollout', 'bound', '--concurrency', '2', '--max-failures', '1']).done));
      for (const result of results) expect(result.code, result.stderr).toBe(1);
      const rows = await claims(db, 'bound');
      const failed = rows.filter((r) => r.state === 'failed');
      const firstRecorded = Math.min(...failed.map((r) => r.heartbeat_at!));
      const started = rows.filter((r) => r.claimed_at !== null);
      // Claimed at the first failure's recording or later: none (claims and outcomes go one at a time, each claim
      // counting the failures recorded before it). Only targets already running then may fail too: at most 2 × 2 − 1.
      expect(started.filter((r) => r.claimed_at! > firstRecorded)).toEqual([]);
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(failed.length).toBeLessThanOrEqual(1 + (2 * 2 - 1));
      expect(started.length).toBe(failed.length);
      for (const r of rows.filter((r) => r.claimed_at === null)) {
        expect(r.state).toBe('pending');
        expect(await fleet.history(tenants[rows.indexOf(r)])).toEqual([]);
      }
    } finally {
      await fleet.cleanup();
    }
  });
});

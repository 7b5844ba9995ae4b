import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/databases.js';
import { expectOk } from '../helpers/expect-cli.js';
import { fleetOn, fleetSnapshot } from '../helpers/fleet.js';
import { copyExample, EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { useTestDatabase } from '../helpers/use-database.js';

/** The target and revision headers of a fleet dry run's text, in the order printed. */
const headers = (stdout: string) => [...stdout.matchAll(/^-- ([^⚠].*)$/gm)].map((m) => m[1]);

// fleet up|down --dry-run: per target what `up --dry-run` shows for one database (its plan and the SQL), and the
// tenants hold exactly what they held before, byte for byte.
describe.each(DIALECTS)('fleet --dry-run on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = copyExample();
  afterAll(() => project.remove());

  test('up and down print each target plan and SQL, text and --json, and change nothing anywhere', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn(dialect, db, project.dir, 'dry');
    const cli = (args: string[]) => runCli(dialect === 'sqlite' ? args : [...args, '--db', db.url], { cwd: project.dir, timeoutMs: 120_000 });
    try {
      // Tenant 1 stands at the features table with a row in it; tenant 2 is new and empty.
      await fleet.add(1);
      expectOk(await cli(['fleet', 'up', 'add_features_table']));
      await fleet.exec(
        1,
        (t) => `insert into ${t('features')} (id, user_id, name, is_active, created_at, updated_at) values ('f1', 'u1', 'Dark mode', ?, 0, 0)`,
        [true],
      );
      await fleet.add(2);
      const before = await fleetSnapshot(dialect, db, project.dir);

      const up = expectOk(await cli(['fleet', 'up', '--dry-run']));
      expect(headers(up.stdout)).toEqual([
        `${fleet.name(1)}: would apply 3`,
        ...R.slice(3).map((name) => `${name} (up)`),
        `${fleet.name(2)}: would apply 6`,
        ...R.map((name) => `${name} (up)`),
      ]);
      expect(up.stdout).toMatch(/alter table .?features.? add .*slug/i);
      expect(up.stdout).toMatch(/create table .?users/i);
      expect(await fleetSnapshot(dialect, db, project.dir)).toEqual(before);

      const json = JSON.parse(expectOk(await cli(['fleet', 'up', '+1', '--dry-run', '--json'])).stdout);
      expect(json.dryRun).toBe(true);
      expect(json.direction).toBe('up');
      expect(json.targets.map((t: { target: string; revisions: { name: string }[] }) => [t.target, t.revisions.map((r) => r.name)])).toEqual([
        [fleet.name(1), [R[3]]],
        [fleet.name(2), [R[0]]],
      ]);
      expect(json.targets[0].revisions[0].statements.join('\n')).toMatch(/slug/);
      expect(json.targets[1].revisions[0].statements.join('\n')).toMatch(/create table .?users/i);
      expect(await fleetSnapshot(dialect, db, project.dir)).toEqual(before);

      // down loses the features row on tenant 1: a dry run needs no --yes and shows it; tenant 2 has nothing to revert.
      const down = expectOk(await cli(['fleet', 'down', '--dry-run']));
      expect(headers(down.stdout)).toEqual([`${fleet.name(1)}: would revert 1`, `${R[2]} (down)`, `${fleet.name(2)}: nothing to do`]);
      expect(down.stdout).toMatch(/drop table .?features/i);
      const downJson = JSON.parse(expectOk(await cli(['fleet', 'down', 'base', '--dry-run', '--json'])).stdout);
      expect(downJson.targets.map((t: { revisions: { name: string }[] }) => t.revisions.map((r) => r.name))).toEqual([[R[2], R[1], R[0]], []]);
      expect(await fleetSnapshot(dialect, db, project.dir)).toEqual(before);
      expect(await fleet.history(1)).toEqual(R.slice(0, 3));
      expect(await fleet.exec(1, (t) => `select id from ${t('features')}`)).toEqual([{ id: 'f1' }]);
    } finally {
      await fleet.cleanup();
    }
  });
});

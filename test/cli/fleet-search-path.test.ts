import { describe, expect, test } from 'vitest';
import { Rollout } from '../../src/core/fleet/rollout.js';
import { targetOpener } from '../../src/core/fleet/fleet.js';
import { databaseOf, Project } from '../../src/core/project.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { copyExample, EXAMPLE_REVISIONS, EXAMPLE_TABLES } from '../helpers/project.js';
import { connectSql, withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

const SIDE_TABLES = ['migrate_ui_lock', 'migrate_ui_progress', 'migrate_ui_revisions', 'mikro_orm_migrations'];

// A schema target's search_path is set on its run's own connection: the project's pool, which the run never
// borrows, keeps seeing the default schema, and each tenant's tables and history land in its own schema.
describe('fleet on PostgreSQL: a tenant schema never leaks out of its run', () => {
  const database = useTestDatabase('postgresql');

  test("after a schema target's run the project's pooled connections see public; the tables are in the tenant's schema", async (ctx) => {
    const db = database(ctx);
    const project = await Project.open({ cwd: ROOT, dbUrl: db.url, env: {}, schema: 'tenant_a' });
    try {
      const result = await project.runner().run({ direction: 'up' });
      expect(result.done).toEqual(EXAMPLE_REVISIONS);
      // Several at once: the pool hands out more than one connection.
      const pool = databaseOf(project);
      const seen = await Promise.all(Array.from({ length: 6 }, () => pool.query<{ s: string }>('select current_schema() as s')));
      expect(seen.map(([row]) => row.s)).toEqual(Array(6).fill('public'));
      // The project still reads its tenant's history through that pool.
      expect((await project.timeline()).current).toBe(EXAMPLE_REVISIONS[EXAMPLE_REVISIONS.length - 1]);
    } finally {
      await project.close();
    }

    // Two more tenants through a rollout, two at once.
    const rollout = new Rollout(
      [
        { name: 'tenant_b', schema: 'tenant_b' },
        { name: 'tenant_c', schema: 'tenant_c' },
      ],
      targetOpener({ cwd: ROOT, dbUrl: db.url, env: {} }),
    );
    const rolled = await rollout.run({ direction: 'up', concurrency: 2, canary: 0, maxFailures: 1, lockTimeoutMs: 30_000 });
    expect(rolled.done.sort()).toEqual(['tenant_b', 'tenant_c']);

    await withSql(db, async (sql) => {
      const tables = await sql.query<{ schema: string; name: string }>(
        `select table_schema as schema, table_name as name from information_schema.tables
         where table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`,
      );
      const bySchema = (schema: string) => tables.filter((t) => t.schema === schema).map((t) => t.name);
      expect(bySchema('public')).toEqual([]);
      for (const tenant of ['tenant_a', 'tenant_b', 'tenant_c']) {
        expect(bySchema(tenant)).toEqual([...EXAMPLE_TABLES, ...SIDE_TABLES].sort());
        const history = await sql.query<{ name: string }>(`select name from ${tenant}.mikro_orm_migrations order by id`);
        expect(history.map((r) => r.name)).toEqual(EXAMPLE_REVISIONS);
      }
      // A fresh connection of the database's own sees the default schema too.
      expect((await sql.query<{ s: string }>('select current_schema() as s'))[0].s).toBe('public');
    });
  });

  test('a tenant whose lock another run holds: status names the holder, up waits --lock-timeout for it alone and exits 3', async (ctx) => {
    const db = database(ctx);
    const project = copyExample();
    const holder = await connectSql(db);
    try {
      project.write('fleet.json', JSON.stringify([{ schema: 'lock_a' }, { schema: 'lock_b' }, { schema: 'lock_c' }]));
      const cli = (args: string[]) => runCli([...args, '--db', db.url], { cwd: project.dir, timeoutMs: 120_000 });
      expect((await cli(['fleet', 'up', '+1'])).code).toBe(0);
      // Another run on lock_b, as lock.ts takes it: the schema's advisory lock and the holder row beside it.
      await holder.query('select pg_advisory_lock(74211609, hashtext(?))', ['lock_b']);
      await holder.query('insert into lock_b.migrate_ui_lock (id, holder, pid, host, acquired_at, heartbeat_at) values (1, ?, 4242, ?, 0, 0)', [
        'other',
        'elsewhere',
      ]);
      const status = JSON.parse((await cli(['fleet', 'status', '--json'])).stdout);
      expect(status.targets.map((t: { target: string; lock: unknown }) => [t.target, t.lock])).toEqual([
        ['lock_a', null],
        ['lock_b', { pid: 4242, host: 'elsewhere', since: 0 }],
        ['lock_c', null],
      ]);
      const run = await cli(['fleet', 'up', '--lock-timeout', '1', '--max-failures', '3']);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/✗ lock_b {2}the migration lock is held by pid 4242 on elsewhere since 1970-01-01T00:00:00.000Z; gave up after 1 s/);
      expect(run.stderr).toContain(`✓ lock_a  applied ${EXAMPLE_REVISIONS.length - 1}`);
      expect(run.stderr).toContain(`✓ lock_c  applied ${EXAMPLE_REVISIONS.length - 1}`);
      const history = await holder.query<{ n: number }>('select count(*)::int as n from lock_b.mikro_orm_migrations');
      expect(history[0].n).toBe(1);
    } finally {
      await holder.close();
      project.remove();
    }
  });
});

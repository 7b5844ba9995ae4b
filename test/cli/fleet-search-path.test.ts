import { describe, expect, test } from 'vitest';
import { Rollout } from '../../src/core/fleet/rollout.js';
import { targetOpener } from '../../src/core/fleet/fleet.js';
import { databaseOf, Project } from '../../src/core/project.js';
import { ROOT } from '../helpers/cli.js';
import { EXAMPLE_REVISIONS, EXAMPLE_TABLES } from '../helpers/project.js';
import { withSql } from '../helpers/sql.js';
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
});

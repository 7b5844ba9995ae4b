import { MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadProjectConfig, switchToMariaDbDriver } from '../../src/core/config.js';
import { Project } from '../../src/index.js';
import { ROOT } from '../helpers/cli.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { cliOn } from '../helpers/expect-cli.js';
import { EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { useTestDatabase } from '../helpers/use-database.js';

/** MikroORM itself, on the example config with the connection switched as --db does, with its own migrator (no schema snapshot written into the example). */
async function mikroOrm(db: TestDatabase): Promise<MikroORM> {
  let config = await loadProjectConfig({ cwd: ROOT, dbUrl: db.url, env: {} });
  if (db.dialect === 'mariadb') config = switchToMariaDbDriver(config) ?? config;
  const { options } = config;
  return MikroORM.init({
    ...options,
    debug: false,
    extensions: [Migrator],
    migrations: { ...options.migrations, silent: true, snapshot: false },
  } as any);
}

async function withOrm<T>(db: TestDatabase, fn: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await mikroOrm(db);
  try {
    return await fn(orm);
  } finally {
    await orm.close(true);
  }
}

beforeAll(async () => {
  // MikroORM's migrator imports the example's .ts migrations with Node's own import().
  const { register } = await import('tsx/esm/api');
  register();
});

// Both tools share MikroORM's table: what one applied, the other sees (DESIGN §1, §4: no lock-in).
// The databases run side by side; the steps on one database run in order.
describe.concurrent.each(DIALECTS)('compatibility with MikroORM on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  it("revisions applied by MikroORM's migrator show as applied, checksum unknown", async (ctx) => {
    const db = database(ctx);
    await withOrm(db, (orm) => orm.migrator.up({ to: R[2] }));
    const project = await Project.open({ cwd: ROOT, dbUrl: db.url, env: {} });
    try {
      const timeline = await project.timeline();
      expect(timeline.revisions.map((r) => [r.name, r.status, r.checksum])).toEqual([
        ...R.slice(0, 3).map((name) => [name, 'applied', 'unknown']),
        ...R.slice(3).map((name) => [name, 'pending', null]),
      ]);
      expect(timeline.current).toBe(R[2]);
    } finally {
      await project.close();
    }
    const status = await cliOn(db).json(['status']);
    expect(status.revisions.map((r: any) => r.status)).toEqual(['applied', 'applied', 'applied', 'pending', 'pending', 'pending']);
  });

  it('migrate-ui up then applies only the rest', async (ctx) => {
    expect((await cliOn(database(ctx)).json(['up'])).applied).toEqual(R.slice(3));
  });

  it("after migrate-ui up, MikroORM's getExecutedMigrations reports the same revisions and nothing pending", async (ctx) => {
    await withOrm(database(ctx), async (orm) => {
      expect((await orm.migrator.getExecutedMigrations()).map((m) => m.name)).toEqual(R);
      expect(await orm.migrator.getPendingMigrations()).toEqual([]);
    });
  });

  it("MikroORM's migrator reverts what migrate-ui applied, and migrate-ui sees it", async (ctx) => {
    const db = database(ctx);
    // umzug's `to` is inclusive going down: this reverts R[5] … R[1].
    await withOrm(db, (orm) => orm.migrator.down({ to: R[1] }));
    const status = await cliOn(db).json(['status']);
    expect(status.current).toBe(R[0]);
    expect(status.revisions.map((r: any) => r.status)).toEqual(['applied', ...R.slice(1).map(() => 'pending')]);
  });
});

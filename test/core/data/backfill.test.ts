import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Project } from '../../../src/core/project.js';
import { DIALECTS } from '../../helpers/databases.js';
import { connectSql, recordedRevisions, type SqlClient } from '../../helpers/sql.js';
import { useTestDatabase } from '../../helpers/use-database.js';
import { type DataProject, dataProject, insertRows, ofType, openOn, up } from './data-project.js';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);
const SMALL = '{ initialBatchSize: 300, maxBatchSize: 400, minBatchSize: 100 }';

// The data executor on each database, in-process: set-based and callback steps, keys of every kind, the edges.
describe.concurrent.each(DIALECTS)('data migrations on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;
  let project: DataProject;
  let sql: SqlClient;
  let orm: Project;

  beforeAll(() => {
    project = dataProject();
  });
  afterAll(async () => {
    await orm?.close();
    await sql?.close();
    project.remove();
  });

  const open = async (ctx: Parameters<typeof database>[0]) => {
    const db = database(ctx);
    sql ??= await connectSql(db);
    orm ??= await openOn(project, db);
    return { db, sql, orm };
  };
  const count = async (query: string) => Number(Object.values((await sql.query(query))[0])[0]);

  it('a set-based step on a string key sets every row, batch by batch, then records the revision', async (ctx) => {
    const { db } = await open(ctx);
    await sql.query('create table s_items (id varchar(20) not null primary key, name varchar(50) not null, slug varchar(50))');
    await insertRows(
      sql.query,
      's_items',
      ['id', 'name'],
      range(2500).map((i) => [`k${String(i).padStart(6, '0')}`, `Name ${i}`]),
    );
    const name = project.addDataRevision('string_key', `[{ table: 's_items', set: { slug: 'lower(name)' }, where: 'slug is null' }]`, SMALL);
    const { result, events } = await up(orm);
    expect(result.done).toEqual([name]);
    expect(await count(`select count(*) from s_items where slug is null or slug <> lower(name)`)).toBe(0);
    const progress = ofType(events, 'batch:progress');
    expect(progress.length).toBeGreaterThanOrEqual(7);
    expect(Math.max(...progress.map((p) => p.batchSize))).toBeLessThanOrEqual(400);
    expect(progress.at(-1)).toMatchObject({ revision: name, step: 1, steps: 1, rowsDone: 2500, rowsTotal: 2500 });
    expect(ofType(events, 'data:step-start')[0]).toMatchObject({ rowsDone: 0, rowsTotal: 2500, table: 's_items' });
    expect(await recordedRevisions(db)).toContain(name);
    const [row] = await sql.query('select status, rows_done, rows_total, last_key from migrate_ui_progress where revision = ?', [name]);
    expect({ ...row, rows_done: Number(row.rows_done), rows_total: Number(row.rows_total) }).toEqual({
      status: 'done',
      rows_done: 2500,
      rows_total: 2500,
      last_key: '["k002499"]',
    });
    // What the run view shows is what the progress table keeps (and watch reads): the last batch's size, the first start.
    const [kept] = await sql.query('select batch_size, started_at from migrate_ui_progress where revision = ?', [name]);
    expect(progress.at(-1)!.batchSize).toBe(Number(kept.batch_size));
    // Every row matches the step's where, so each batch's rows are its size: each event names the batch it follows.
    const batches = progress.filter((p) => p.state === 'running');
    // (The first batch is 300 rows; the sizer then asks for more: the event after it still says 300.)
    for (let i = 0; i < batches.length - 1; i++) expect(batches[i].rowsDone - (batches[i - 1]?.rowsDone ?? 0)).toBe(batches[i].batchSize);
    expect(ofType(events, 'data:step-start')[0].startedAt).toBe(Number(kept.started_at));
  });

  it('an integer key with a where, and a callback step on a composite key: each row exactly once, several steps in one revision', async (ctx) => {
    await open(ctx);
    await sql.query('create table i_items (id integer not null primary key, n integer not null, doubled integer)');
    await sql.query('create table c_items (a integer not null, b varchar(10) not null, counter integer not null, primary key (a, b))');
    await insertRows(
      sql.query,
      'i_items',
      ['id', 'n'],
      range(1500, 1).map((i) => [i, i]),
    );
    await insertRows(
      sql.query,
      'c_items',
      ['a', 'b', 'counter'],
      range(60).flatMap((a) => ['x', 'y', 'z', 'w', 'v'].map((b) => [a, b, 0])),
    );
    const steps = `[
      { table: 'i_items', set: { doubled: 'n * 2' }, where: 'n > 100' },
      { table: 'c_items', select: ['counter'], batch: (rows) => rows.map((r) => ({ a: r.a, b: r.b, counter: Number(r.counter) + 1 })) },
    ]`;
    const name = project.addDataRevision('two_steps', steps, '{ initialBatchSize: 100, minBatchSize: 100, maxBatchSize: 100 }');
    const { result, events } = await up(orm);
    expect(result.done).toEqual([name]);
    expect(await count('select count(*) from i_items where n > 100 and doubled = n * 2')).toBe(1400);
    expect(await count('select count(*) from i_items where doubled is not null and n <= 100')).toBe(0);
    expect(await count('select count(*) from c_items where counter = 1')).toBe(300);
    expect(await count('select count(*) from c_items where counter <> 1')).toBe(0);
    expect(ofType(events, 'data:step-done').map((e) => [e.step, e.rowsDone])).toEqual([
      [1, 1400],
      [2, 300],
    ]);
    const status = (await orm.dataMigrations()).find((d) => d.revision === name);
    expect(status).toMatchObject({ status: 'done', rowsDone: 1700, rowsTotal: 1700, steps: 2 });
  });

  it('a set-based step on a composite key with a where: each matching row once, up to a short last batch', async (ctx) => {
    await open(ctx);
    await sql.query('create table k_items (a integer not null, b varchar(10) not null, n integer not null, doubled integer, primary key (a, b))');
    await insertRows(
      sql.query,
      'k_items',
      ['a', 'b', 'n'],
      range(90).flatMap((a) => ['x', 'y', 'z'].map((b, j) => [a, b, a * 3 + j])),
    );
    const name = project.addDataRevision(
      'composite_set',
      `[{ table: 'k_items', set: { doubled: 'n * 2' }, where: 'n >= 30' }]`,
      '{ initialBatchSize: 100, minBatchSize: 100, maxBatchSize: 100 }',
    );
    const { result, events } = await up(orm);
    expect(result.done).toEqual([name]);
    expect(await count('select count(*) from k_items where n >= 30 and doubled = n * 2')).toBe(240);
    expect(await count('select count(*) from k_items where doubled is not null and n < 30')).toBe(0);
    expect(ofType(events, 'data:step-done')[0]).toMatchObject({ rowsDone: 240 });
  });

  it("a callback's updates, written together, leave the rows as one UPDATE each in order would: a row named twice ends with its last", async (ctx) => {
    await open(ctx);
    await sql.query('create table w_items (id integer not null primary key, n integer not null, label varchar(20), twice integer)');
    await insertRows(
      sql.query,
      'w_items',
      ['id', 'n'],
      range(450, 1).map((i) => [i, i]),
    );
    // One batch of 450 rows: every n times ten, a label on even rows only, then rows 411 and 412 named again, and row 9's twice.
    const steps = `[{ table: 'w_items', select: ['n'], batch: (rows) => [
      ...rows.map((r) => (Number(r.id) % 2 === 0 ? { id: r.id, n: Number(r.n) * 10, label: 'even ' + r.id } : { id: r.id, n: Number(r.n) * 10 })),
      { id: 411, n: -411 },
      { id: 9, twice: 2 },
      { id: 412, n: 412, label: null },
    ] }]`;
    const name = project.addDataRevision('grouped_writes', steps, '{ initialBatchSize: 500, minBatchSize: 100, maxBatchSize: 500 }');
    const { result } = await up(orm);
    expect(result.done).toEqual([name]);
    const rows = await sql.query('select id, n, label, twice from w_items order by id');
    const expected = range(450, 1).map((i) => ({
      id: i,
      n: i === 411 ? -411 : i === 412 ? 412 : i * 10,
      label: i % 2 === 0 && i !== 412 ? `even ${i}` : null,
      twice: i === 9 ? 2 : null,
    }));
    expect(rows.map((r) => ({ id: Number(r.id), n: Number(r.n), label: r.label, twice: r.twice === null ? null : Number(r.twice) }))).toEqual(
      expected,
    );
  });

  it('an empty table: the step is done at once and the revision recorded', async (ctx) => {
    const { db } = await open(ctx);
    await sql.query('create table e_items (id integer not null primary key, v integer)');
    const name = project.addDataRevision('empty', `[{ table: 'e_items', set: { v: '1' } }]`);
    const { result, events } = await up(orm);
    expect(result.done).toEqual([name]);
    expect(ofType(events, 'data:step-done')[0]).toMatchObject({ rowsDone: 0 });
    expect(await recordedRevisions(db)).toContain(name);
  });

  it('rows inserted ahead of the cursor while it runs are done too', async (ctx) => {
    await open(ctx);
    await sql.query('create table g_items (id integer not null primary key, name varchar(20) not null, slug varchar(20))');
    await insertRows(
      sql.query,
      'g_items',
      ['id', 'name'],
      range(1000, 1).map((i) => [i, `N${i}`]),
    );
    const name = project.addDataRevision(
      'growing',
      `[{ table: 'g_items', set: { slug: 'lower(name)' } }]`,
      '{ initialBatchSize: 100, maxBatchSize: 100, pauseMs: 20 }',
    );
    let inserted = false;
    const other = await connectSql(database(ctx));
    try {
      const { result } = await up(orm, {
        during: async (event) => {
          if (event.type !== 'batch:progress' || inserted) return;
          inserted = true;
          await insertRows(
            other.query,
            'g_items',
            ['id', 'name'],
            range(500, 5001).map((i) => [i, `M${i}`]),
          );
        },
      });
      expect(result.done).toEqual([name]);
    } finally {
      await other.close();
    }
    expect(inserted).toBe(true);
    expect(await count('select count(*) from g_items')).toBe(1500);
    expect(await count('select count(*) from g_items where slug is null or slug <> lower(name)')).toBe(0);
  });

  it('a batch the database refuses is retried, then the revision fails with its message; the checkpoint stays and a rerun continues', async (ctx) => {
    const { db } = await open(ctx);
    await sql.query('create table u_items (id integer not null primary key, name varchar(20) not null, slug varchar(20))');
    await sql.query('create unique index ux_u_items_slug on u_items (slug)');
    // Row 450 gets the slug of row 1: the batch holding it breaks the unique index.
    await insertRows(
      sql.query,
      'u_items',
      ['id', 'name'],
      range(600, 1).map((i) => [i, i === 450 ? 'N1' : `N${i}`]),
    );
    const name = project.addDataRevision(
      'unique_clash',
      `[{ table: 'u_items', set: { slug: 'lower(name)' } }]`,
      '{ initialBatchSize: 100, minBatchSize: 100, maxBatchSize: 100, retries: 2 }',
    );
    const first = await up(orm);
    expect(first.result.done).toEqual([]);
    expect(first.result.failed?.message).toMatch(/unique|duplicate/i);
    expect(ofType(first.events, 'batch:retry').map((e) => e.attempt)).toEqual([1, 2]);
    expect(await recordedRevisions(db)).not.toContain(name);
    const [row] = await sql.query('select status, rows_done, last_key from migrate_ui_progress where revision = ?', [name]);
    expect([row.status, Number(row.rows_done), row.last_key]).toEqual(['failed', 400, '[400]']);
    expect(await count('select count(*) from u_items where slug is not null')).toBe(400);

    await sql.query(`update u_items set name = 'N450' where id = 450`);
    const second = await up(orm);
    expect(second.result.done).toEqual([name]);
    expect(ofType(second.events, 'data:step-start')[0].rowsDone).toBe(400);
    expect(await count('select count(*) from u_items where slug is null or slug <> lower(name)')).toBe(0);
  });

  it('a stop (ctrl-c) lands after a batch: not recorded, cancelled in the table, and the next up continues from there', async (ctx) => {
    const { db } = await open(ctx);
    await sql.query('create table t_items (id integer not null primary key, counter integer not null)');
    await insertRows(
      sql.query,
      't_items',
      ['id', 'counter'],
      range(800, 1).map((i) => [i, 0]),
    );
    const steps = `[{ table: 't_items', batch: (rows) => rows.map((r) => ({ id: r.id, counter: Number(r.counter) + 1 })) }]`;
    const name = project.addDataRevision('stop_and_go', steps, '{ initialBatchSize: 100, minBatchSize: 100, maxBatchSize: 100 }');
    const first = await up(orm, { during: (event, stop) => event.type === 'batch:progress' && event.rowsDone >= 300 && stop() });
    expect(first.result).toMatchObject({ stopped: true, done: [], notRun: [name] });
    expect(ofType(first.events, 'data:cancelled')[0]).toMatchObject({ by: 'stop', rowsDone: 300 });
    expect(await recordedRevisions(db)).not.toContain(name);
    expect((await orm.dataMigrations()).find((d) => d.revision === name)).toMatchObject({ status: 'cancelled', rowsDone: 300 });
    const second = await up(orm);
    expect(second.result.done).toEqual([name]);
    expect(ofType(second.events, 'data:step-start')[0].rowsDone).toBe(300);
    expect(await count('select count(*) from t_items where counter <> 1')).toBe(0);
  });

  it('a pause asked while it runs lands at the end of a batch, whose checkpoint is kept; resumed, every row is done once', async (ctx) => {
    await open(ctx);
    await sql.query('create table p_items (id integer not null primary key, counter integer not null)');
    await insertRows(
      sql.query,
      'p_items',
      ['id', 'counter'],
      range(3000, 1).map((i) => [i, 0]),
    );
    const steps = `[{ table: 'p_items', batch: (rows) => rows.map((r) => ({ id: r.id, counter: Number(r.counter) + 1 })) }]`;
    const name = project.addDataRevision('paused_midway', steps, '{ initialBatchSize: 100, minBatchSize: 100, maxBatchSize: 100, pauseMs: 20 }');
    let asked = false;
    let whilePaused: unknown[] = [];
    const { result, events } = await up(orm, {
      during: async (event) => {
        if (event.type === 'batch:progress' && event.rowsDone >= 300 && !asked) {
          asked = true;
          await orm.controlDataMigration(name, 'pause');
        }
        if (event.type === 'data:paused') {
          const [row] = await sql.query('select status, rows_done from migrate_ui_progress where revision = ?', [name]);
          whilePaused = [row.status, Number(row.rows_done)];
          await orm.controlDataMigration(name, 'resume');
        }
      },
    });
    expect(result.done).toEqual([name]);
    const paused = ofType(events, 'batch:progress').find((e) => e.state === 'paused');
    expect(paused?.rowsDone).toBeGreaterThan(300);
    expect(whilePaused).toEqual(['paused', paused?.rowsDone]);
    expect(ofType(events, 'data:resumed')).toHaveLength(1);
    expect(await count('select count(*) from p_items where counter <> 1')).toBe(0);
  });

  it('a step held by a run that is gone (no heartbeat for a minute, another machine) is taken over and continued', async (ctx) => {
    await open(ctx);
    await sql.query('create table h_items (id integer not null primary key, v integer)');
    await insertRows(
      sql.query,
      'h_items',
      ['id', 'v'],
      range(300, 1).map((i) => [i, i <= 100 ? 1 : null]),
    );
    const name = project.addDataRevision('taken_over', `[{ table: 'h_items', set: { v: '1' } }]`);
    const old = Date.now() - 60_000;
    await sql.query(
      `insert into migrate_ui_progress (revision, step, status, rows_done, rows_total, last_key, batch_size, started_at, updated_at, holder)
       values (?, 1, 'running', 100, 300, '[100]', 1000, ?, ?, '4242@elsewhere#dead')`,
      [name, old, old],
    );
    const { result, events } = await up(orm);
    expect(result.done).toEqual([name]);
    expect(ofType(events, 'data:step-start')[0]).toMatchObject({ rowsDone: 100, rowsTotal: 300 });
    const [row] = await sql.query('select status, rows_done, holder from migrate_ui_progress where revision = ?', [name]);
    expect([row.status, Number(row.rows_done)]).toEqual(['done', 300]);
    expect(row.holder).toMatch(new RegExp(`^${process.pid}@`));
  });

  it('one transaction around the whole run refuses a data migration before anything runs', async (ctx) => {
    const { db } = await open(ctx);
    await sql.query('create table a_items (id integer not null primary key, v integer)');
    const name = project.addDataRevision('all_or_nothing', `[{ table: 'a_items', set: { v: '1' } }]`);
    if (dialect === 'mariadb') {
      // MariaDB refuses one transaction around any run, before it starts (it commits DDL as it runs).
      await expect(up(orm, { allOrNothing: true })).rejects.toThrow('one transaction around the whole run is not possible on MariaDB');
      expect(await recordedRevisions(db)).not.toContain(name);
      expect((await up(orm)).result.done).toEqual([name]);
      return;
    }
    const { result } = await up(orm, { allOrNothing: true });
    expect(result.done).toEqual([]);
    expect(result.failed?.message).toContain('cannot run inside one transaction around the whole run');
    expect(result.notRun).toEqual([name]);
    expect(await recordedRevisions(db)).not.toContain(name);
    expect((await up(orm)).result.done).toEqual([name]);
  });

  it('down reverts a data migration (its down()) and forgets its checkpoints', async (ctx) => {
    const { db } = await open(ctx);
    const last = (await recordedRevisions(db)).at(-1)!;
    const result = await orm.runner().run({ direction: 'down' });
    expect(result.done).toEqual([last]);
    expect(await count(`select count(*) from migrate_ui_progress where revision = '${last}'`)).toBe(0);
  });

  it("reverted by another tool (MikroORM's own migration:down), then up again: the steps run again, none is taken as done", async (ctx) => {
    await open(ctx);
    await sql.query('create table r_items (id integer not null primary key, name varchar(50) not null, slug varchar(50))');
    await insertRows(
      sql.query,
      'r_items',
      ['id', 'name'],
      range(500, 1).map((i) => [i, `Name ${i}`]),
    );
    const name = project.addDataRevision('reverted_elsewhere', `[{ table: 'r_items', set: { slug: 'lower(name)' } }]`, SMALL);
    // (The revision the test before reverted is applied again too.)
    expect((await up(orm)).result.done.at(-1)).toBe(name);
    // What migration:down does for it: the revision's down() (here: the slugs back to null), MikroORM's row deleted.
    await sql.query('update r_items set slug = null');
    await sql.query(`delete from mikro_orm_migrations where name like '${name}%'`);
    const { result } = await up(orm);
    expect(result.done).toEqual([name]);
    expect(await count('select count(*) from r_items where slug is null')).toBe(0);
  });
});

// Without statistics PostgreSQL's planner may sort the whole table for every batch: a table never analyzed (autovacuum
// has not come by yet) is analyzed before the first batch.
describe('a data migration on a PostgreSQL table that was never analyzed', () => {
  const database = useTestDatabase('postgresql');

  test('analyzes it first, then sets every row', async (ctx) => {
    const db = database(ctx);
    const project = dataProject();
    const sql = await connectSql(db);
    const orm = await openOn(project, db);
    try {
      await sql.query('create table fresh_items (id integer not null primary key, name varchar(50) not null, slug varchar(50))');
      // Autovacuum must not analyze it behind the test's back.
      await sql.query('alter table fresh_items set (autovacuum_enabled = false)');
      await sql.query(`insert into fresh_items (id, name) select i, 'Name ' || i from generate_series(1, 3000) i`);
      const reltuples = async () => Number((await sql.query(`select reltuples from pg_class where oid = 'fresh_items'::regclass`))[0].reltuples);
      expect(await reltuples()).toBe(-1);
      const name = project.addDataRevision('fresh', `[{ table: 'fresh_items', set: { slug: 'lower(name)' } }]`, SMALL);
      const { result } = await up(orm);
      expect(result.done).toEqual([name]);
      expect(await reltuples()).toBe(3000);
      const [left] = await sql.query('select count(*) as n from fresh_items where slug is null or slug <> lower(name)');
      expect(Number(left.n)).toBe(0);
    } finally {
      await orm.close();
      await sql.close();
      project.remove();
    }
  });
});

// SQLite's default journal is deleted at every commit and made again by the next: the batches keep it (`persist`, a
// setting of the run's connection), and the database is left in its own mode afterwards. WAL is the file's, not ours.
describe('a data migration on SQLite and its rollback journal', () => {
  const database = useTestDatabase('sqlite');
  /** A callback step that writes, in each row, the journal mode its batch ran under. */
  const stepsOf = (table: string) =>
    `[{ table: '${table}', select: ['id'], batch: async (rows, ctx) => { const [m] = await ctx.execute('pragma journal_mode'); return rows.map((r) => ({ id: r.id, mode: m.journal_mode })); } }]`;

  test.for([
    ['delete', 'persist'],
    ['wal', 'wal'],
  ])('a database in %s mode: the batches run in %s mode, and the database is back in its own mode after', async ([mode, during], ctx) => {
    const db = database(ctx);
    const project = dataProject();
    const sql = await connectSql(db);
    const file = db.url.replace(/^sqlite:/, '');
    const table = `j_${mode}`;
    try {
      await sql.query(`pragma journal_mode = ${mode}`);
      await sql.query(`create table ${table} (id integer not null primary key, mode varchar(10))`);
      await insertRows(
        sql.query,
        table,
        ['id'],
        range(700, 1).map((i) => [i]),
      );
      const orm = await openOn(project, db);
      try {
        const name = project.addDataRevision(`journal_${mode}`, stepsOf(table), SMALL);
        const { result } = await up(orm);
        expect(result.done).toEqual([name]);
      } finally {
        await orm.close();
      }
      const modes = await sql.query(`select mode, count(*) as n from ${table} group by mode`);
      expect(modes.map((m) => [m.mode, Number(m.n)])).toEqual([[during, 700]]);
      expect((await sql.query('pragma journal_mode'))[0].journal_mode).toBe(mode);
      expect(existsSync(`${file}-journal`)).toBe(false);
    } finally {
      await sql.close();
      project.remove();
    }
  });
});

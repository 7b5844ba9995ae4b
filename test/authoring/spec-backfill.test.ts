import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { mikroOrmCli, startCli } from '../helpers/cli.js';
import type { TestDatabase } from '../helpers/databases.js';
import { cliOn, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { waitFor } from '../helpers/processes.js';
import { authoringProject } from '../helpers/real-project.js';
import { recordedRevisions, type SqlClient, withSql } from '../helpers/sql.js';
import { createTable } from '../helpers/spec.js';
import { useAuthoringProject } from '../helpers/authoring.js';

// Enough rows that the first kill, sent as soon as a batch shows, lands before the last batch on a quiet machine too.
const ROWS = 200_000;
const KILLS = 3;

const COUNTERS = {
  operations: [createTable('counters', { name: 'id', type: 'integer', primary: true }, { name: 'n', type: 'integer', default: 0 })],
};

// The shape: a column added, filled by a non-idempotent backfill (n + 1), then made NOT NULL.
const BUMP = {
  operations: [
    { op: 'addColumn', table: 'counters', column: { name: 'touched', type: 'integer', nullable: true } },
    { op: 'backfill', table: 'counters', set: { n: 'n + 1', touched: '1' } },
    { op: 'alterColumn', table: 'counters', column: 'touched', nullable: false },
  ],
};

const FILL: Record<string, string> = {
  sqlite: `with recursive s(i) as (select 1 union all select i + 1 from s where i < ${ROWS}) insert into counters (id, n) select i, 0 from s`,
  postgresql: `insert into counters (id, n) select i, 0 from generate_series(1, ${ROWS}) as i`,
};

// A spec's backfill is a DataMigration: checkpointed batch by batch, so kill -9 at random moments and `up` again
// update every row exactly once; its schema operations run in transactions of their own, before and after.
describe.concurrent.each(['sqlite', 'postgresql'] as const)('a backfill written by new --spec on %s', (dialect) => {
  const { database, project, cli, authorJson, connect } = useAuthoringProject(dialect);
  let sql: SqlClient | undefined;
  const it = test.sequential;
  const count = async (query: string) => Number(Object.values((await sql!.query(query))[0])[0]);
  const author = (db: TestDatabase, name: string, spec: unknown) => authorJson<{ file: string; sql: Record<string, string[]> }>(db, name, spec);

  it(`kill -9 ${KILLS} times at random moments, then up: every row updated exactly once, the column NOT NULL`, async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['up']));
    await author(db, 'counters', COUNTERS);
    expectOk(await cli(db).run(['up']));
    sql = await connect(db);
    await sql.query(FILL[dialect]);

    const made = await author(db, 'bump', BUMP);
    const name = made.file.slice(made.file.lastIndexOf('/') + 1, -3);
    expect(readFileSync(made.file, 'utf8')).toContain(`export class ${name} extends DataMigration {`);
    const status = await cli(db).json(['status', '--json']);
    expect(status.revisions.find((r: { name: string }) => r.name === name)).toMatchObject({ status: 'pending', kind: 'data' });

    let firstKillAt = -1;
    for (let kill = 0; kill < KILLS; kill++) {
      const before = await count('select count(*) from counters where n > 0');
      const run = startCli(['up', '--db', db.url], { cwd: project.dir });
      if (kill === 0) {
        // The first batch, seen at once: a row updated (the first rows are the first batch's), asked every few
        // milliseconds without reading the table through (a count over every row, under load, let the whole
        // backfill end before it saw the first batch).
        const updated = async () => (await count('select count(*) from (select 1 from counters where n > 0 limit 1) t')) > 0;
        while (!(await updated()) && run.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5));
      } else await waitFor(async () => (await count('select count(*) from counters where n > 0')) > before || run.child.exitCode !== null, 'a batch');
      if (kill > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
      const finished = run.child.exitCode !== null;
      run.child.kill('SIGKILL');
      await run.done;
      const done = await count('select count(*) from counters where n = 1');
      if (kill === 0) firstKillAt = done;
      expect(await count('select count(*) from counters where n > 1'), `kill ${kill + 1}: a row was updated twice`).toBe(0);
      if (finished) break;
    }
    // The first kill came mid-backfill, so the run after it had rows to skip.
    expect(firstKillAt).toBeGreaterThan(0);
    expect(firstKillAt).toBeLessThan(ROWS);

    // The last kill may have come after the revision was done: then there is nothing left to apply.
    expectOk(await cli(db).run(['up']));
    expect(await count('select count(*) from counters where n <> 1 or touched is null')).toBe(0);
    expect(await count('select count(*) from counters')).toBe(ROWS);
    expect(await recordedRevisions(db)).toContain(name);
    const after = await cli(db).json(['status', '--json']);
    expect(after.dataMigrations.find((d: { revision: string }) => d.revision === name)).toMatchObject({ status: 'done', rowsDone: ROWS });
    // afterSteps() ran: the column is NOT NULL now, and the entities agree.
    await expect(sql.query('insert into counters (id, n) values (?, 0)', [ROWS + 1])).rejects.toThrow(/null/i);
    expectOk(await cli(db).run(['check']));
  }, 90_000);

  it('the schema operations before a backfill keep a transaction: a failure there leaves no column behind', async (ctx) => {
    const db = database(ctx);
    const made = await author(db, 'half', {
      operations: [
        { op: 'addColumn', table: 'counters', column: { name: 'extra', type: 'integer', nullable: true } },
        { op: 'sql', up: 'insert into no_such_table values (1)', down: '' },
        { op: 'backfill', table: 'counters', set: { extra: 'n' } },
      ],
    });
    const name = made.file.slice(made.file.lastIndexOf('/') + 1, -3);
    const run = await cli(db).run(['up']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(name);
    expect(run.stderr).toContain('no_such_table');
    const columns = await sql!.query(
      dialect === 'sqlite'
        ? "select name from pragma_table_info('counters')"
        : "select column_name as name from information_schema.columns where table_name = 'counters'",
    );
    expect(columns.map((c) => c.name).sort()).toEqual(['id', 'n', 'touched']);
    expect(await recordedRevisions(db)).not.toContain(name);
  });
});

// No lock-in: MikroORM's own CLI runs the same file (the schema operations, the steps in a plain loop, in its
// transaction) and reverts it; a schema operation between two backfills is refused before anything is written.
describe('a spec backfill under MikroORM’s own CLI (SQLite)', () => {
  const project = authoringProject();
  afterAll(() => project.remove());
  const sqlite = { dialect: 'sqlite', url: `sqlite:${join(project.dir, 'example.sqlite')}` } as TestDatabase;
  const cli = cliOn(sqlite, { cwd: project.dir });
  const mikroOrm = (command: string) => mikroOrmCli(project.dir, command);

  test('migration:up fills the column and makes it NOT NULL, migration:down takes it away', async () => {
    expectOk(await cli.run(['up']));
    await withSql(sqlite, (sql) =>
      sql.query("insert into features (id, user_id, name, is_active, created_at, updated_at) values ('f1', 'u1', 'N', 1, 0, 0)"),
    );
    const spec = {
      operations: [
        { op: 'addColumn', table: 'features', column: { name: 'rank', type: 'integer', nullable: true } },
        { op: 'backfill', table: 'features', set: { rank: '7' } },
        { op: 'alterColumn', table: 'features', column: 'rank', nullable: false },
      ],
    };
    writeFileSync(join(project.dir, 'spec.json'), JSON.stringify(spec));
    const made = await cli.json(['new', 'rank', '--spec', 'spec.json']);
    const name = made.file.slice(made.file.lastIndexOf('/') + 1, -3);
    expect(mikroOrm('migration:up')).toContain(`Applied '${name}'`);
    expect(await withSql(sqlite, (sql) => sql.query('select id, rank from features'))).toEqual([{ id: 'f1', rank: 7 }]);
    const columns = await withSql(sqlite, (sql) => sql.query("select name, \"notnull\" from pragma_table_info('features') where name = 'rank'"));
    expect(columns).toEqual([{ name: 'rank', notnull: 1 }]);
    expect(expectOk(await cli.run(['check'])).stdout).toContain('entities and schema are in sync');
    expect(mikroOrm('migration:down')).toContain(`Reverted '${name}'`);
    expect(await withSql(sqlite, (sql) => sql.query("select name from pragma_table_info('features') where name = 'rank'"))).toEqual([]);
  }, 120_000);

  test('a schema operation between two backfills: exit 2, one line naming it, nothing written', async () => {
    const spec = {
      operations: [
        { op: 'backfill', table: 'features', set: { slug: 'lower(name)' } },
        { op: 'addColumn', table: 'features', column: { name: 'extra', type: 'integer', nullable: true } },
        { op: 'backfill', table: 'features', set: { extra: '1' } },
      ],
    };
    writeFileSync(join(project.dir, 'between.json'), JSON.stringify(spec));
    const files = readdirSync(project.migrationsDir);
    const run = await cli.run(['new', 'between', '--spec', 'between.json']);
    const [line] = expectShortError(run, 2);
    expect(line).toContain('operation 2 (addColumn)');
    expect(line).toContain('move it before the first backfill or after the last');
    expect(readdirSync(project.migrationsDir)).toEqual(files);
  });
});

// Issue 17 (round 3): on MariaDB the DDL of beforeSteps() commits as it runs. A kill -9 after the column was added and
// before the steps' checkpoint rows were written left the column and no rows: `up` again ran beforeSteps() again
// and failed with "Duplicate column name". It resumes: what was done counts as done, the rest runs.
describe('a spec backfill on MariaDB killed inside its schema changes', () => {
  const { database, project, cli, authorJson: author, connect } = useAuthoringProject('mariadb');
  let sql: SqlClient | undefined;
  const ROWS_HERE = 2_000;

  test('kill -9 after the column is added, before the checkpoints: up again finishes, every row filled once', async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['up']));
    await author(db, 'counters', COUNTERS);
    expectOk(await cli(db).run(['up']));
    sql = await connect(db);
    await sql.query(`insert into counters (id, n) select seq, seq from seq_1_to_${ROWS_HERE}`);
    const made = await author(db, 'fill_extra', {
      operations: [
        { op: 'addColumn', table: 'counters', column: { name: 'extra', type: 'integer', nullable: true } },
        // Holds the run between the column (committed at once on MariaDB) and the checkpoints, long enough to kill it.
        { op: 'sql', up: 'select sleep(3)', down: '' },
        { op: 'createIndex', table: 'counters', columns: ['extra'], name: 'ix_counters_extra' },
        { op: 'backfill', table: 'counters', set: { extra: 'n + 1' } },
      ],
    });
    const name = made.file.slice(made.file.lastIndexOf('/') + 1, -3);
    const columns = () =>
      sql!.query("select column_name as name from information_schema.columns where table_schema = database() and table_name = 'counters'");

    const run = startCli(['up', '--db', db.url], { cwd: project.dir });
    await waitFor(async () => (await columns()).some((c) => c.name === 'extra') || run.child.exitCode !== null, 'the column');
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGKILL');
    await run.done;
    // The column stayed (MariaDB's DDL commits), the index and the checkpoints did not come.
    expect((await columns()).map((c) => c.name).sort()).toEqual(['extra', 'id', 'n']);
    expect(
      await sql.query("select index_name from information_schema.statistics where table_schema = database() and index_name = 'ix_counters_extra'"),
    ).toEqual([]);

    const again = await cli(db).run(['up']);
    expect(again.code, again.stderr).toBe(0);
    expect(await recordedRevisions(db)).toContain(name);
    const [wrong] = await sql.query('select count(*) as n from counters where extra is null or extra <> n + 1');
    expect(Number(wrong.n)).toBe(0);
    expect(
      await sql.query("select index_name from information_schema.statistics where table_schema = database() and index_name = 'ix_counters_extra'"),
    ).toHaveLength(1);
    const status = await cli(db).json(['status', '--json']);
    expect(status.dataMigrations.filter((d: { revision: string }) => d.revision === name)).toEqual([
      { revision: name, status: 'done', rowsDone: ROWS_HERE, rowsTotal: ROWS_HERE },
    ]);
    // The mark that the schema changes had begun is gone with them done.
    expect(await sql.query('select step from migrate_ui_progress where revision = ? order by step', [name])).toEqual([{ step: 1 }]);
    expectOk(await cli(db).run(['check']));
  }, 90_000);
});

// On MariaDB the claim of the revision went in the transaction whose afterSteps() DDL commits it at once: a kill
// during that DDL (MODIFY … NOT NULL copies the table) left a claim and no record, and the next run took it for a
// half-dead run's and forgot the checkpoints with it: the backfill ran again from the first row (n = 2).
describe('a spec backfill on MariaDB killed inside its schema changes after the steps', () => {
  const { database, project, cli, connect } = useAuthoringProject('mariadb');
  let sql: SqlClient | undefined;
  const count = async (query: string) => Number(Object.values((await sql!.query(query))[0])[0]);

  test('kill -9 while afterSteps() runs, then up: every row updated once, the column NOT NULL', async (ctx) => {
    const db = database(ctx);
    expectOk(await cli(db).run(['up']));
    writeFileSync(join(project.dir, 'counters.json'), JSON.stringify(COUNTERS));
    expectOk(await cli(db).run(['new', 'counters', '--spec', 'counters.json']));
    expectOk(await cli(db).run(['up']));
    sql = await connect(db);
    await sql.query(`insert into counters (id, n) select seq, 0 from seq_1_to_${ROWS}`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    writeFileSync(join(project.dir, 'bump.json'), JSON.stringify(BUMP));
    const made = await cli(db).json(['new', 'bump', '--spec', 'bump.json']);
    const name = made.file.slice(made.file.lastIndexOf('/') + 1, -3);

    const run = startCli(['up', '--db', db.url], { cwd: project.dir });
    // Once the batches run, a second connection holds a shared metadata lock on counters: the batches' UPDATEs go
    // through, the MODIFY … NOT NULL after the steps waits for it, so the kill lands inside afterSteps() every time.
    const holder = await connect(db);
    // A batch committed (rows touched), not only its progress row written: before the column is added, the holder's
    // lock would keep the ALTER … ADD from running, and no batch would ever start.
    const batching = async () => {
      try {
        return (await count('select count(*) from counters where touched is not null')) > 0;
      } catch {
        return false; // the column is not there yet
      }
    };
    await waitFor(async () => (await batching()) || run.child.exitCode !== null, 'the first batch', 60_000);
    await holder.query('begin');
    await holder.query('select id from counters limit 1');
    const stepsDone = async () => (await count(`select count(*) from migrate_ui_progress where revision = '${name}' and status = 'done'`)) === 1;
    await waitFor(async () => (await stepsDone()) || run.child.exitCode !== null, 'the steps done', 60_000);
    const waiting = `select id from information_schema.processlist where state = 'Waiting for table metadata lock' and info like 'alter table%counters%'`;
    await waitFor(async () => (await sql!.query(waiting)).length > 0 || run.child.exitCode !== null, 'the MODIFY waiting', 20_000);
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGKILL');
    await run.done;
    // The server does not notice the dead client while its ALTER waits: end that statement as the kill would have.
    for (const { id } of await sql.query<{ id: number }>(waiting)) await sql.query(`kill query ${Number(id)}`);
    await holder.query('rollback');
    expect(await recordedRevisions(db)).not.toContain(name);
    expect(await count('select count(*) from counters where n > 1')).toBe(0);

    const again = await cli(db).run(['up']);
    expect(again.code, again.stderr).toBe(0);
    expect(await count('select count(*) from counters where n <> 1 or touched is null')).toBe(0);
    expect(await recordedRevisions(db)).toContain(name);
    // NOT NULL without a default: MariaDB says "Field 'touched' doesn't have a default value".
    await expect(sql.query('insert into counters (id, n) values (?, 0)', [ROWS + 1])).rejects.toThrow(/touched/i);
    expectOk(await cli(db).run(['check']));
  }, 120_000);
});

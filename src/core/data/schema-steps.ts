// A data migration's schema changes around its steps: beforeSteps() once, in a transaction of its own with the
// steps' checkpoint rows, and afterSteps() in the transaction that records the revision. On SQLite a rebuild of a
// referenced table in either runs with foreign-key enforcement off, as a schema revision's does; on MySQL/MariaDB,
// whose DDL commits as it runs, a run cut short inside beforeSteps() is resumed, not run into "duplicate column".
import type { Database, Transaction } from '../database.js';
import type { RevisionRun } from '../executors/executor.js';
import { rebuildPreview, rebuilds, withRebuildGuard } from '../executors/schema-executor.js';
import { sqlText } from '../failure.js';
import { PROGRESS_TABLE } from './kind.js';
import type { SqlRunSession } from '../run-session.js';
// The parser alone, not the package's index: a run that applies revisions never loads the lint.
import { parseStatement, type Statement } from '../sql/statement.js';
import type { DataMigrationLike } from './brand.js';
import type { ProgressStore } from './progress-store.js';

/** The progress row that says beforeSteps() began: it goes in the transaction that creates the steps' rows. */
const BEFORE_STEPS = 0;

type Check = (trx?: Transaction) => Promise<void>;

/** Which of a data migration's schema parts rebuild a SQLite table (a preview asks, recording). */
export async function sqliteRebuilds(db: Database, r: RevisionRun): Promise<{ before: boolean; after: boolean }> {
  const engine = async () => new (await import('../preview/preview.js')).PreviewEngine(db);
  const parts = db.dialect === 'sqlite' ? (await rebuildPreview(engine, r))?.parts : undefined;
  return { before: rebuilds(parts?.before), after: rebuilds(parts?.after) };
}

/** Runs `transaction` as it is, or with enforcement off and its foreign-key check when it rebuilds a SQLite table. */
function guarded(db: Database, name: string, rebuild: boolean, transaction: (check?: Check) => Promise<void>): Promise<void> {
  return rebuild ? withRebuildGuard(db, name, transaction) : transaction();
}

/**
 * The schema changes before the steps, once: in one transaction with the steps' checkpoint rows, whose existence
 * says they ran (a run resumed after a kill finds the rows and goes on with the batches). Where DDL commits as it
 * runs, a kill inside them leaves the BEFORE_STEPS row alone: the next run runs them again, and a statement the
 * database refuses because it was done already (the column, index or table is there, or gone) counts as done.
 */
export async function runBeforeSteps(
  { db, lock }: SqlRunSession,
  store: ProgressStore,
  r: RevisionRun & { migration: DataMigrationLike },
  count: number,
  holder: string,
  batchSize: number,
  rebuild: boolean,
): Promise<void> {
  const { migration } = r;
  if (!migration.beforeSteps) return;
  const rows = await store.read(r.name);
  const interrupted = rows.some((row) => row.step === BEFORE_STEPS);
  if (rows.length > 0 && !interrupted) return;
  await guarded(db, r.name, rebuild, (check) =>
    db.transaction(async (trx) => {
      await lock.assertHeld(trx);
      await store.create(r.name, BEFORE_STEPS, holder, batchSize, trx);
      await inTransaction(db, migration, trx, () => migration.beforeSteps?.(), interrupted ? skipDone(db) : undefined);
      await check?.(trx);
      for (let step = 1; step <= count; step++) await store.create(r.name, step, holder, batchSize, trx);
      await db.run(`delete from ${db.table(PROGRESS_TABLE)} where revision = ? and step = ?`, [r.name, BEFORE_STEPS], trx);
    }),
  );
}

/**
 * The schema changes after the steps, in the transaction that claims the revision first and records it last. Where
 * DDL commits as it runs (MySQL/MariaDB), that would commit the claim before the DDL and the record alone after it:
 * a kill in between leaves a claim the next run takes for a dead run's, and forgets the checkpoints with it (the
 * backfill would run again). There the claim and the record go in a transaction of their own after the DDL; and
 * when every step was done before this run began (an earlier run got that far), afterSteps() runs as beforeSteps()
 * does when resumed: what it finds done counts as done.
 */
export async function runAfterSteps(
  { db, lock }: SqlRunSession,
  r: RevisionRun & { migration: DataMigrationLike },
  options: { rebuild: boolean; resumed: boolean },
  history: { claim(trx: Transaction): Promise<void>; record(trx: Transaction): Promise<void> },
): Promise<void> {
  const { migration } = r;
  const skip = options.resumed ? skipDone(db) : undefined;
  if (db.dialect !== 'mysql' && db.dialect !== 'mariadb') {
    return guarded(db, r.name, options.rebuild, (check) =>
      db.transaction(async (trx) => {
        await history.claim(trx);
        await inTransaction(db, migration, trx, () => migration.afterSteps?.());
        await check?.(trx);
        await history.record(trx);
      }),
    );
  }
  let committed = false;
  const watch: Send = (sql, run) => {
    committed ||= DDL.has(parseStatement(sql, db.dialect).kind);
    return skip ? skip(sql, run) : run();
  };
  await db.transaction(async (trx) => {
    await lock.assertHeld(trx);
    await inTransaction(db, migration, trx, () => migration.afterSteps?.(), watch);
    // Without DDL the transaction still holds: the changes, the claim and the record commit together.
    if (committed) return;
    await history.claim(trx);
    await history.record(trx);
  });
  if (!committed) return;
  await db.transaction(async (trx) => {
    await history.claim(trx);
    await history.record(trx);
  });
}

type Send = (sql: string, run: () => Promise<unknown>) => Promise<unknown>;

/**
 * Runs `fn` with the migration's execute() in `trx`, then what it queued with addSql(), in `trx` too; `send`, when
 * given, stands around each statement.
 */
export async function inTransaction(db: Database, migration: DataMigrationLike, trx: Transaction, fn: () => Promise<void> | undefined, send?: Send) {
  migration.setTransactionContext(trx);
  // MikroORM's Migration.execute(), which ops() and a migration's own code send statements through.
  const own = migration as DataMigrationLike & { execute(sql: string, params?: unknown[]): Promise<unknown> };
  const execute = own.execute;
  if (send) own.execute = (sql, params) => send(sql, () => execute.call(migration, sql, params));
  try {
    await fn();
    for (const query of migration.getQueries()) {
      const sql = sqlText(query);
      await (send ? send(sql, () => db.run(sql, [], trx)) : db.run(sql, [], trx));
    }
  } finally {
    if (send) delete (own as Partial<typeof own>).execute;
    migration.reset();
  }
}

/** A statement run again after a kill, which MySQL/MariaDB refuse because it was done: what it did is there. */
function skipDone(db: Database): Send | undefined {
  if (db.dialect !== 'mysql' && db.dialect !== 'mariadb') return undefined;
  return async (sql, run) => {
    try {
      return await run();
    } catch (error) {
      if (doneAlready(error as { errno?: unknown; message?: unknown }, parseStatement(sql, db.dialect))) return [];
      throw error;
    }
  };
}

// MySQL/MariaDB error numbers that say a schema change is in place already.
const EXISTS = new Set([
  1050, // ER_TABLE_EXISTS_ERROR: create table
  1060, // ER_DUP_FIELDNAME: add column
  1061, // ER_DUP_KEYNAME: create index, add unique
  1826, // ER_FK_DUP_NAME: add foreign key (MySQL)
]);
const GONE = new Set([
  1051, // ER_BAD_TABLE_ERROR: drop table
  1091, // ER_CANT_DROP_FIELD_OR_KEY: drop column, index, foreign key
]);

// Statements that commit the transaction they run in on MySQL/MariaDB, and whose being done a schema can show.
const DDL = new Set<Statement['kind']>(['alter-table', 'create-table', 'create-index', 'drop-table', 'drop-index', 'rename-table']);

function doneAlready(error: { errno?: unknown; message?: unknown }, statement: Statement): boolean {
  const errno = Number(error.errno);
  if (!DDL.has(statement.kind)) return false;
  if (EXISTS.has(errno) || GONE.has(errno)) return true;
  // MariaDB's duplicate foreign key name: "Can't create table … (errno: 121 …)".
  if (errno === 1005) return statement.kind === 'alter-table' && /errno: 121\b/.test(String(error.message));
  // A rename done already: the old column (1054) or table (1146) is not there any more.
  if (errno === 1054) return statement.kind === 'alter-table' && statement.actions.some((a) => a.kind === 'rename-column');
  if (errno === 1146)
    return statement.kind === 'rename-table' || (statement.kind === 'alter-table' && statement.actions.some((a) => a.kind === 'rename-table'));
  return false;
}

import type { MigrationsOptions } from '@mikro-orm/core';
import type { Database, Transaction } from '../database.js';
import type { PreviewEngine, RevisionPreview } from '../preview/preview.js';
import { foreignKeyViolations, newViolation, REBUILT } from '../sqlite-table.js';
import { LockLostError } from '../errors.js';
import { AlreadyRecordedError } from '../history.js';
import { orm } from '../orm/index.js';
import type { MigrationClass, MigrationInstance } from '../loader.js';
import type { SqlRunSession } from '../run-session.js';
import { ConnectionSettings, type Frame } from './connection-settings.js';
import type { Executor, RevisionRun } from './executor.js';

/** Whether MikroORM would wrap this migration in a transaction (its config and the migration both allow it). */
export function runsInTransaction(migration: MigrationInstance, options: MigrationsOptions): boolean {
  return options.transactional !== false && migration.isTransactional();
}

/**
 * Runs a migration through MikroORM's own MigrationRunner (its query framing, its transaction), inside a
 * transaction of ours on the run's connection that first claims the revision under the lock, and records it
 * (MikroORM's row and our checksum) before it commits.
 */
export function schemaExecutor(session: SqlRunSession): Executor {
  const { db, history } = session;
  // One preview engine for the session: building its recording driver costs ~15 ms, a preview with it under 1 ms.
  // Loaded only when a SQLite revision written with ops() may rebuild a table: the preview brings the SQL analyser.
  let previews: Promise<PreviewEngine> | undefined;
  const previewEngine = () => {
    previews ??= import('../preview/preview.js').then(({ PreviewEngine }) => new PreviewEngine(db));
    return previews;
  };
  // Resolved once a session: each resolution of a package through the CLI's loaders costs a few tenths of a millisecond.
  const settings = settingsOf(db);
  // Where a revision waits longest for the database: SQLite's commit waits for the disk; elsewhere its own statements do.
  const commitWaits = db.dialect === 'sqlite';
  return {
    accepts: () => true,
    async run(r: RevisionRun): Promise<void> {
      const options = db.mikroConfig.get('migrations');
      // With enforcement off (a rebuild), nothing else stops the revision from leaving a row that references nothing.
      let checkKeys: ((trx?: Transaction) => Promise<void>) | undefined;
      const runner = orm.migrationRunner(db.driver, r.outer ? { ...options, transactional: true } : options, db.mikroConfig);
      const body = async (trx?: Transaction) => {
        const started = Date.now();
        const settled = await begin(session, r, trx);
        if (trx) await runFramed(runner, r, trx, settings, commitWaits ? undefined : r.waiting);
        else {
          settings.forget();
          await runner.run(r.migration as never, r.direction);
        }
        await checkKeys?.(trx);
        if (!settled) await finish(session, r, trx);
        // A long revision commits with a fresh heartbeat, so a waiting run never finds it stale the moment it ends.
        if (Date.now() - started > HEARTBEAT_REFRESH_MS) await session.lock.beat(trx);
        if (commitWaits) r.waiting?.();
      };
      if (r.outer && !runsInTransaction(r.migration, options)) {
        // All-or-nothing was asked for: a revision that would commit as it goes runs inside the one transaction too
        // (MikroORM would send it on another connection, outside that transaction; a run here has only one).
        r.migration.isTransactional = () => true;
        return db.transaction(body, r.outer);
      }
      const run = async () => {
        if (runsInTransaction(r.migration, options)) return db.transaction(body, r.outer);
        try {
          await body(r.outer);
        } catch (error) {
          // Nothing rolls a non-transactional revision back: at least its claim must not outlive the failure.
          // Not when the claim was another run's (or the lock went): that row is not this run's to take back.
          if (r.direction === 'up' && !(error instanceof LockLostError || error instanceof AlreadyRecordedError))
            await history.unclaim(r.name).catch(() => undefined);
          throw error;
        }
      };
      try {
        // Inside the one transaction of an all-or-nothing run enforcement cannot change: a rebuild of a referenced table refuses there.
        if (db.dialect !== 'sqlite' || r.outer || !rebuilds((await rebuildPreview(previewEngine, r))?.statements)) return await run();
        return await withRebuildGuard(db, r.name, (check) => {
          checkKeys = check;
          return run();
        });
      } catch (error) {
        settings.forget();
        // PostgreSQL's transaction was aborted by the duplicate: the other run's row is read now, after the rollback.
        if (error instanceof AlreadyRecordedError && r.direction === 'up' && !error.found.recordedAt)
          throw error.with({ recordedAt: await history.recordedAt(r.name) });
        throw error;
      }
    },
  };
}

/** What a revision would run, previewed, when it may rebuild a SQLite table (only revisions written with ops() can). */
export async function rebuildPreview(previews: () => Promise<PreviewEngine>, r: RevisionRun): Promise<RevisionPreview | undefined> {
  const migration = r.migration.constructor as MigrationClass;
  if (!/\bops\b/.test(Function.prototype.toString.call(migration))) return undefined;
  return (await previews()).preview({ name: r.name, migration }, r.direction, { statementsOnly: true });
}

/** Whether these statements rebuild a SQLite table. */
export function rebuilds(statements: string[] | undefined): boolean {
  return statements?.some((sql) => sql.includes(REBUILT)) ?? false;
}

/**
 * Runs `run` (which begins its own transaction) with foreign-key enforcement off, for a SQLite rebuild; `run` gets
 * the check its transaction makes before it commits: no row may reference nothing that did not before.
 */
export async function withRebuildGuard(
  db: Database,
  name: string,
  run: (check: (trx?: Transaction) => Promise<void>) => Promise<void>,
): Promise<void> {
  // Rows that referenced nothing before the revision (with enforcement off): only new ones fail it.
  const before = await foreignKeyViolations((sql) => db.query(sql));
  const check = async (trx?: Transaction) => {
    const violation = newViolation(before, await foreignKeyViolations((sql) => db.query(sql, [], trx)));
    if (violation) throw new Error(`after ${name}, ${violation}`);
  };
  await withoutForeignKeys(db, () => run(check));
}

/**
 * Runs a revision that rebuilds tables with foreign-key enforcement off on the run's connection, as SQLite's own
 * ALTER TABLE procedure, MikroORM's schema generator and Alembic's batch mode do: dropping a referenced table with
 * it on deletes (cascade) or orphans the rows that reference it. `pragma foreign_keys` is a no-op inside a
 * transaction, so it is set before the revision's transaction begins; the check runs before it commits.
 */
async function withoutForeignKeys(db: Database, run: () => Promise<void>): Promise<void> {
  const [row] = await db.query<{ foreign_keys: number }>('pragma foreign_keys');
  if (Number(row?.foreign_keys) === 0) return run();
  await db.query('pragma foreign_keys = off');
  try {
    await run();
  } finally {
    await db.query('pragma foreign_keys = on');
  }
}

const HEARTBEAT_REFRESH_MS = 5_000;

/**
 * What MikroORM's runner.run() does inside a transaction (its framing: charset, foreign keys, the migration's queries),
 * but in ours as it is: the runner would nest a savepoint in it, two more round trips per revision for nothing. The
 * framing's settings go once a run while they stay in effect (see ConnectionSettings).
 */
async function runFramed(
  runner: import('@mikro-orm/migrations').MigrationRunner,
  r: RevisionRun,
  trx: Transaction,
  settings: ConnectionSettings,
  beforeQueries?: () => void,
): Promise<void> {
  const framed = runner as unknown as {
    getQueries(m: unknown, d: string): Promise<unknown[]>;
    driver: { execute(...a: unknown[]): Promise<unknown> };
  };
  r.migration.reset();
  r.migration.setTransactionContext(trx);
  settings.start();
  const queries = await framed.getQueries(r.migration, r.direction);
  const frame = frameOf(runner);
  const left = settings.leaveOut(frame, queries);
  beforeQueries?.();
  for (const sql of queries.slice(left)) await framed.driver.execute(sql, undefined, 'all', trx);
  settings.ran(frame, left);
}

/** The statements MikroORM's runner puts before and after a revision's queries, as its getQueries() puts them. */
function frameOf(runner: import('@mikro-orm/migrations').MigrationRunner): Frame {
  const { helper, config, options } = runner as unknown as {
    helper: { getSchemaBeginning?(charset: string, disableForeignKeys?: boolean): string; getSchemaEnd?(disableForeignKeys?: boolean): string };
    config: { get(key: 'charset'): string };
    options: MigrationsOptions;
  };
  if (typeof helper?.getSchemaBeginning !== 'function' || typeof helper.getSchemaEnd !== 'function') return { opening: [], closing: [] };
  const lines = (text: string) => text.split('\n').filter((sql) => sql.trim().length > 0);
  return {
    opening: lines(helper.getSchemaBeginning(config.get('charset'), options.disableForeignKeys)),
    closing: lines(helper.getSchemaEnd(options.disableForeignKeys)),
  };
}

const sessions = new WeakMap<Database, ConnectionSettings>();

/** The settings kept on a session's connection, shared by every executor of the session. */
function settingsOf(db: Database): ConnectionSettings {
  let settings = sessions.get(db);
  if (!settings) {
    settings = new ConnectionSettings(db);
    sessions.set(db, settings);
  }
  return settings;
}

/** The last statements of a revision that ran, when begin() did not settle its records: record it, or forget it. */
export async function finish({ db, lock, history }: SqlRunSession, r: RevisionRun, trx?: Transaction): Promise<void> {
  if (r.direction === 'down') {
    await history.unrecord(r.name, trx);
    return;
  }
  if (claimsLate(db)) {
    try {
      await history.claim(r.name, r.checksum, r.kind, trx, lock.guard());
    } catch (error) {
      // Claimed after the revision ran: its DDL committed as it ran, whoever recorded it.
      throw error instanceof AlreadyRecordedError ? error.with({ ranHere: true }) : error;
    }
  }
  await history.record(r.name, trx);
}

/**
 * Whether a revision's claim is written after it ran, with MikroORM's row: where DDL commits as it runs (MySQL,
 * MariaDB), a claim before it protects nothing the session's lock does not (a lost connection takes the lock and the
 * run with it) and costs a commit of its own. A run that dies half-way leaves no claim then, as MikroORM leaves no row.
 */
function claimsLate(db: Database): boolean {
  return db.dialect === 'mysql' || db.dialect === 'mariadb';
}

/**
 * The first statements of a revision, each a write where it matters (on SQLite the first write takes the file's
 * write lock): claim it under the lock (up; on PostgreSQL, recorded with it; on MySQL and MariaDB, after it ran). A revert whose DDL rolls back with its
 * transaction (PostgreSQL, SQLite) forgets the revision first, under the lock, and finds out in the same statement
 * whether it was still recorded; elsewhere (MySQL commits DDL as it runs; a revision outside a transaction) it checks
 * the lock and the record, and forgets it only after its down() ran. Returns whether the records are settled already
 * (nothing to record or forget once the revision ran).
 */
export async function begin({ db, lock, history }: SqlRunSession, r: RevisionRun, trx?: Transaction): Promise<boolean> {
  if (r.direction === 'up') {
    // PostgreSQL records it in the same statement as the claim (see claimAndRecord): done as soon as the DDL commits.
    if (trx && db.dialect === 'postgresql') {
      await history.claimAndRecord(r.name, r.checksum, r.kind, trx);
      return true;
    }
    // MySQL and MariaDB commit at the revision's first DDL statement: a claim written before it would be a commit
    // (a flush to disk) of its own. It is written after, beside MikroORM's row, in one commit (see finish()).
    if (claimsLate(db)) return false;
    await history.claim(r.name, r.checksum, r.kind, trx, lock.guard());
    return false;
  }
  if (trx && (db.dialect === 'postgresql' || db.dialect === 'sqlite')) {
    if ((await history.unrecord(r.name, trx, lock.guard())) > 0) return true;
    // Nothing went: the lock was lost (SQLite's guard), or another run reverted it.
    await lock.assertHeld(trx);
  } else {
    await lock.assertHeld(trx);
    if (await history.isRecorded(r.name, trx)) return false;
  }
  throw new AlreadyRecordedError(r.name, 'down');
}

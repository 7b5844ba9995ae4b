import { performance } from 'node:perf_hooks';
import type { Database, Transaction } from './database.js';
import { BrokenRevisionError, RevisionFailedError, UsageError } from './errors.js';
import { RunEvents, type Direction } from './events.js';
import { History } from './history.js';
import { loadMigrationClass, type MigrationInstance } from './loader.js';
import { acquireLock } from './lock.js';
import { appliedUnchanged, listRevisionFiles, type RevisionFile } from './revisions.js';
import { planFor, type Plan } from './target.js';
import { buildTimeline, type Revision, type Timeline } from './timeline.js';

export interface RunOptions {
  direction: Direction;
  /** A TARGET of DESIGN §3; defaults to head for up and -1 for down. */
  target?: string;
  /** Print nothing to the database; collect the SQL each revision would run. */
  dryRun?: boolean;
  /** One transaction around the whole run instead of one per revision. */
  allOrNothing?: boolean;
  /** How long to wait for another run's lock (ms). */
  lockTimeoutMs?: number;
}

export interface RevisionSql {
  name: string;
  statements: string[];
}

export interface RunResult {
  direction: Direction;
  /** Revisions applied (or reverted) and kept. */
  done: string[];
  failed?: RevisionFailedError | BrokenRevisionError;
  /** True when stop() ended the run before its plan was finished. */
  stopped: boolean;
  durationMs: number;
  /** With dryRun: the SQL of each planned revision, in order. */
  sql: RevisionSql[];
}

/** Reads the files and the database and joins them into the timeline. */
export async function readTimeline(
  db: Database,
  options: { checkSyntax?: boolean } = {},
): Promise<{ timeline: Timeline; files: RevisionFile[] }> {
  const applied = await new History(db).readApplied();
  const files = await listRevisionFiles(db.config.migrationsDir, options.checkSyntax === false ? () => true : appliedUnchanged(applied));
  return { timeline: buildTimeline(files, applied), files };
}

/** Renders whatever a migration queued (string, knex builder or raw) as SQL text. */
export function sqlText(query: unknown): string {
  if (typeof query === 'string') return query;
  const q = query as { toQuery?: () => string; toString?: () => string };
  return q?.toQuery?.() ?? String(q);
}

/** Applies or reverts revisions one by one, each in its own transaction, and tells its listeners as it goes. */
export class Runner {
  readonly events = new RunEvents();
  #stopRequested = false;

  constructor(private readonly db: Database) {}

  /** Asks the run to stop after the revision in progress; what ran stays applied. */
  stop(): void {
    this.#stopRequested = true;
  }

  async run(options: RunOptions): Promise<RunResult> {
    const started = performance.now();
    this.#stopRequested = false;
    if (options.allOrNothing && (this.db.dialect === 'mysql' || this.db.dialect === 'mariadb')) {
      // DDL commits implicitly there: the one transaction would roll back nothing but our records of it.
      const name = this.db.dialect === 'mariadb' ? 'MariaDB' : 'MySQL';
      throw new UsageError(`--all-or-nothing is not possible on ${name}: it commits DDL as it runs`, 'Run without it; each revision then runs in its own transaction.');
    }
    if (options.dryRun) return this.#dryRun(options, started);
    const lock = await acquireLock(this.db, {
      timeoutMs: options.lockTimeoutMs ?? 30_000,
      onWaiting: (holder) => this.events.emit({ type: 'lock:waiting', holder }),
    });
    try {
      this.events.emit({ type: 'lock:acquired' });
      const history = new History(this.db);
      await history.ensureTables();
      // Plan only now, under the lock: a run that waited must not redo what the other one did.
      // No syntax pass here: importing each revision reports a broken file just as well, and a run pays for every check.
      const { timeline, files } = await readTimeline(this.db, { checkSyntax: false });
      const plan = planFor(timeline, options.direction, options.target);
      this.events.emit({ type: 'run:planned', direction: plan.direction, revisions: plan.revisions.map((r) => r.name), dryRun: false });
      const checksums = new Map(files.map((f) => [f.name, f]));
      const result: RunResult = { direction: plan.direction, done: [], stopped: false, durationMs: 0, sql: [] };
      const runAll = async (outer?: Transaction) => {
        for (const [i, revision] of plan.revisions.entries()) {
          if (this.#stopRequested) {
            result.stopped = true;
            this.events.emit({ type: 'run:stopped', remaining: plan.revisions.slice(i).map((r) => r.name) });
            return;
          }
          await this.#runOne(revision, plan.direction, history, checksums.get(revision.name), outer);
          result.done.push(revision.name);
        }
      };
      try {
        if (options.allOrNothing) await this.db.transaction((trx) => runAll(trx));
        else await runAll();
      } catch (error) {
        if (!(error instanceof RevisionFailedError || error instanceof BrokenRevisionError)) throw error;
        result.failed = error;
        // Under --all-or-nothing the rollback took everything with it.
        if (options.allOrNothing) result.done = [];
      }
      result.durationMs = Math.round(performance.now() - started);
      this.events.emit({ type: 'run:done', direction: plan.direction, done: result.done, durationMs: result.durationMs });
      return result;
    } finally {
      await lock.release();
    }
  }

  async #runOne(revision: Revision, direction: Direction, history: History, file: RevisionFile | undefined, outer?: Transaction): Promise<void> {
    this.events.emit({ type: 'revision:start', name: revision.name, direction });
    const started = performance.now();
    let statement: string | undefined;
    try {
      if (revision.error || !revision.path) throw new BrokenRevisionError(revision.name, revision.error ?? 'its file is missing');
      const migration = await this.#instantiate(revision);
      const execute = migration.execute.bind(migration);
      migration.execute = (sql, params) => {
        statement = sqlText(sql);
        return execute(sql, params);
      };
      const body = async (trx?: Transaction) => {
        if (trx) migration.setTransactionContext(trx);
        await migration[direction]();
        for (const query of this.#wrapQueries(migration.getQueries())) {
          statement = sqlText(query);
          await this.db.connection.execute(query, [], 'all', trx);
        }
        statement = undefined;
        if (direction === 'up') await history.record(revision.name, file?.checksum ?? '', file?.kind ?? revision.kind, trx);
        else await history.unrecord(revision.name, trx);
      };
      if (migration.isTransactional()) await this.db.transaction(body, outer);
      else await body(outer);
    } catch (error) {
      const failure = error instanceof BrokenRevisionError ? error : this.#failure(revision.name, direction, statement, error);
      this.events.emit({
        type: 'revision:failed',
        name: revision.name,
        direction,
        statement: failure instanceof RevisionFailedError ? failure.statement : undefined,
        message: failure instanceof RevisionFailedError ? failure.databaseMessage : failure.message,
        // Under --all-or-nothing the whole run rolls back, earlier revisions included.
        hint: outer ? 'Every revision of this run was rolled back (--all-or-nothing); fix the revision and run again.' : failure.hint,
      });
      throw failure;
    }
    this.events.emit({ type: 'revision:done', name: revision.name, direction, durationMs: Math.round(performance.now() - started) });
  }

  async #instantiate(revision: Revision): Promise<MigrationInstance> {
    const MigrationClass = await loadMigrationClass(revision.path!, revision.name);
    const migration = new MigrationClass(this.db.driver, this.db.mikroConfig);
    migration.reset();
    return migration;
  }

  /** MikroORM's runner frames each migration's queries with the schema beginning and end (charset, FK checks). */
  #wrapQueries(queries: unknown[]): unknown[] {
    const helper = this.db.driver.getPlatform().getSchemaHelper();
    const options = this.db.mikroConfig.get('migrations') ?? {};
    const begin = String(helper?.getSchemaBeginning(this.db.mikroConfig.get('charset'), options.disableForeignKeys) ?? '').split('\n');
    const end = String(helper?.getSchemaEnd(options.disableForeignKeys) ?? '').split('\n');
    return [...begin, ...queries, ...end].filter((q) => typeof q !== 'string' || q.trim().length > 0);
  }

  #failure(name: string, direction: Direction, statement: string | undefined, error: unknown): RevisionFailedError {
    let message = error instanceof Error ? error.message : String(error);
    if (statement && message.startsWith(statement)) message = message.slice(statement.length).replace(/^\s*-\s*/, '');
    message = message.split('\n')[0];
    const mysql = this.db.dialect === 'mysql' || this.db.dialect === 'mariadb';
    const hint = mysql
      ? `${this.db.dialect === 'mariadb' ? 'MariaDB' : 'MySQL'} commits DDL as it runs: statements before the failing one may be partly applied; check the schema before running again.`
      : 'Earlier revisions stay applied; fix the revision and run again.';
    return new RevisionFailedError(name, direction, statement, message, hint, { cause: error });
  }

  async #dryRun(options: RunOptions, started: number): Promise<RunResult> {
    const { timeline } = await readTimeline(this.db);
    const plan: Plan = planFor(timeline, options.direction, options.target);
    this.events.emit({ type: 'run:planned', direction: plan.direction, revisions: plan.revisions.map((r) => r.name), dryRun: true });
    const sql: RevisionSql[] = [];
    for (const revision of plan.revisions) {
      if (revision.error || !revision.path) {
        const failed = new BrokenRevisionError(revision.name, revision.error ?? 'its file is missing');
        this.events.emit({ type: 'revision:failed', name: revision.name, direction: plan.direction, message: failed.message, hint: failed.hint });
        return { direction: plan.direction, done: [], failed, stopped: false, durationMs: Math.round(performance.now() - started), sql };
      }
      const statements = await this.statementsOf(revision, plan.direction);
      this.events.emit({ type: 'revision:sql', name: revision.name, direction: plan.direction, statements });
      sql.push({ name: revision.name, statements });
    }
    return { direction: plan.direction, done: [], stopped: false, durationMs: Math.round(performance.now() - started), sql };
  }

  /** The SQL one revision would run in one direction on this database, without running any of it. */
  async statementsOf(revision: Revision, direction: Direction): Promise<string[]> {
    const migration = await this.#instantiate(revision);
    const executed: string[] = [];
    // Statements a migration runs itself (batched data loops) are recorded, not run: an empty result ends such loops.
    migration.execute = async (query) => {
      executed.push(sqlText(query));
      return [];
    };
    await migration[direction]();
    return [...executed, ...migration.getQueries().map(sqlText)];
  }
}


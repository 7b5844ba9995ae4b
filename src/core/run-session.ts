import type { Database, Transaction } from './database.js';
import type { Executor } from './executors/executor.js';
import { schemaExecutor } from './executors/schema-executor.js';
import { trackStatements, type StatementTracker } from './failure.js';
import { type AppliedRevision, History, readTimeline } from './history.js';
import { instantiate, loadMigrationClass, loadMigrationClassOnce, type MigrationClass, type MigrationInstance } from './loader.js';
import { acquireLock, type HeldLock, type LockOptions } from './lock.js';
import { kindExecutors, type RevisionFile } from './revisions.js';
import type { Revision, Timeline } from './timeline.js';
import type { Dialect } from './url.js';
import { BrokenRevisionError } from './errors.js';

/** What one run holds from taking the lock to releasing it: where it records, how it loads and runs revisions. */
export interface RunSession {
  readonly dialect: Dialect;
  /** Readies the history and forgets the claims of runs that died half-way; returns those revisions. */
  prepare(): Promise<string[]>;
  /** The timeline as this session sees it, under the lock. */
  readTimeline(): Promise<{ timeline: Timeline; files: RevisionFile[] }>;
  /** A revision's migration, ready to run in this session. */
  load(revision: Revision): Promise<MigrationInstance>;
  /** Asked in order; the first that accepts a migration runs it. */
  readonly executors: Executor[];
  /** One transaction around the whole run (all-or-nothing). */
  transaction<T>(fn: (trx: Transaction) => Promise<T>): Promise<T>;
  /** The statement in flight when a revision failed, to name it; reset before each revision. */
  readonly statements: StatementTracker;
  /**
   * Writes the records of `revisions` as applied (up) or forgets them (down) without running them, in one
   * transaction: MikroORM's table and ours, as a run would leave them.
   */
  stamp(revisions: Revision[], files: Map<string, RevisionFile>, direction: 'up' | 'down'): Promise<void>;
  /** Forgets the records of revisions a squash replaces (before the squash is reverted), in one transaction, under the lock. */
  forget?(names: string[], outer?: Transaction): Promise<void>;
  /**
   * The database is a scratch one (verify's): nobody else writes its history, so each run of the session plans from
   * what the runs before it did (told by ran()) instead of reading it again; and none of it must outlive a crash, so
   * no commit waits for the disk.
   */
  scratch?(): void;
  /** What a run of the session did: `done` applied (up) or reverted (down); `whole`: nothing else happened (no failure, no stop). */
  ran?(direction: 'up' | 'down', done: Revision[], whole: boolean): void;
  release(): Promise<void>;
}

/** Where runs happen: opens a session (and takes the lock, waiting as told). The database in the app, memory in tests. */
export interface RunBackend {
  readonly dialect: Dialect;
  open(options: LockOptions): Promise<RunSession>;
}

/** What an executor of SQL revisions works with: the run's single connection, its lock and its history. */
export interface SqlRunSession {
  db: Database;
  lock: HeldLock;
  history: History;
}

/** Makes a kind's executor for one session (the data-migration executor); asked before the schema executor. */
export type ExecutorFactory = (session: SqlRunSession) => Executor;

/** Runs on the project's database: each run gets a connection of its own that holds the lock until release. */
export class DatabaseBackend implements RunBackend {
  constructor(private readonly db: Database) {}

  get dialect(): Dialect {
    return this.db.dialect;
  }

  async open(options: LockOptions): Promise<RunSession> {
    // The kinds' executors (asked before the schema executor) load while the connection is made; a failed connection is the failure to report.
    const loading = kindExecutors();
    loading.catch(() => undefined);
    const db = await this.db.openSession();
    try {
      const factories = await loading;
      const statements = trackStatements(db.driver);
      const lock = await acquireLock(db, options);
      return new DatabaseRunSession({ db, lock, history: new History(db) }, statements, factories);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
  }
}

class DatabaseRunSession implements RunSession {
  readonly executors: Executor[];
  readonly #classes = new Map<string, Promise<MigrationClass>>();
  #files: RevisionFile[] | undefined;
  #quick = false;
  /** What prepare() read under the lock; nothing changes it before the plan is made. */
  #applied: AppliedRevision[] | undefined;
  /** Set by keepHistory(): the history as this session's last run left it, when that is known. */
  #kept: AppliedRevision[] | undefined;
  #scratch = false;

  constructor(
    private readonly sql: SqlRunSession,
    readonly statements: StatementTracker,
    factories: ExecutorFactory[],
  ) {
    this.executors = [...factories.map((make) => make(sql)), schemaExecutor(sql)];
  }

  get dialect(): Dialect {
    return this.sql.db.dialect;
  }

  async prepare(): Promise<string[]> {
    if (this.#kept) {
      this.#applied = this.#kept;
      return [];
    }
    // Read once, under the lock: the tables are made only where missing, and the plan is made from this same read.
    const state = await this.sql.history.read();
    // The run's commits made cheaper first: on a new database, the tables' own commits are some of them. Once a
    // session: a held one (verify) prepares before each of its runs, and the setting stays.
    if (!this.#quick) await this.sql.db.commitQuickly({ throwaway: this.#scratch });
    this.#quick = true;
    if (!state.tables.mikroOrm || !state.tables.ours) await this.sql.history.ensureTables(state);
    const orphans = await this.sql.history.removeOrphans(state);
    this.#applied = state.applied;
    if (this.#scratch) this.#kept = state.applied;
    return orphans;
  }

  scratch(): void {
    this.#scratch = true;
  }

  ran(direction: 'up' | 'down', done: Revision[], whole: boolean): void {
    if (!this.#kept) return;
    // After a failure or a stop (a half-run revision, a claim taken back) the history is read again; so it is where a
    // squash's revert forgot the records of what it replaced.
    if (!whole || done.some((r) => r.replaces?.length)) {
      this.#kept = undefined;
      return;
    }
    if (direction === 'down') {
      const reverted = new Set(done.map((r) => r.name));
      this.#kept = this.#kept.filter((r) => !reverted.has(r.name));
      return;
    }
    const checksums = new Map(this.#files?.map((f) => [f.name, f.checksum]));
    const now = new Date();
    this.#kept = [...this.#kept, ...done.map((r) => ({ name: r.name, appliedAt: now, checksum: checksums.get(r.name) ?? null }))];
  }

  async readTimeline() {
    // No syntax pass: importing each revision reports a broken file just as well, and a run pays for every check.
    const applied = this.#applied;
    this.#applied = undefined;
    // Listed once a session: a held session (verify) plans many runs on the files as they were when it began.
    const read = await readTimeline(this.sql.db, { checkSyntax: false, applied, files: this.#files });
    this.#files = read.files;
    // A squash whose every replaced revision is applied here is recorded the first time a run sees it, under the lock,
    // so MikroORM's CLI (and every later read) finds it applied too.
    const unrecorded = read.timeline.revisions.filter((r) => r.virtual);
    if (unrecorded.length === 0) return read;
    this.#kept = undefined;
    await this.stamp(unrecorded, new Map(read.files.map((f) => [f.name, f])), 'up');
    return readTimeline(this.sql.db, { checkSyntax: false, files: this.#files });
  }

  async load(revision: Revision): Promise<MigrationInstance> {
    if (revision.error || !revision.path) throw new BrokenRevisionError(revision.name, revision.error ?? 'its file is missing');
    // A file is imported once a session, a new instance each time: a held session (verify) runs one revision three times.
    const key = `${revision.path}\n${revision.name}`;
    let loading = this.#classes.get(key);
    if (!loading) {
      const checksum = this.#files?.find((f) => f.name === revision.name && f.path === revision.path)?.checksum;
      loading = checksum ? loadMigrationClassOnce(revision.path, revision.name, checksum) : loadMigrationClass(revision.path, revision.name);
      this.#classes.set(key, loading);
    }
    return instantiate(await loading, this.sql.db.driver, this.sql.db.mikroConfig);
  }

  transaction<T>(fn: (trx: Transaction) => Promise<T>): Promise<T> {
    return this.sql.db.transaction(fn);
  }

  async stamp(revisions: Revision[], files: Map<string, RevisionFile>, direction: 'up' | 'down'): Promise<void> {
    const { db, history, lock } = this.sql;
    await db.transaction(async (trx) => {
      for (const revision of revisions) {
        if (direction === 'down') {
          // A squash forgotten takes the records of what it replaced with it: they would make it applied again.
          for (const name of revision.replaces ?? []) await history.unrecord(name, trx, lock.guard());
          await history.unrecord(revision.name, trx, lock.guard());
          continue;
        }
        const file = files.get(revision.name);
        await history.claim(revision.name, file?.checksum ?? '', revision.kind, trx, lock.guard());
        await history.record(revision.name, trx);
      }
      await lock.assertHeld(trx);
    });
  }

  async forget(names: string[], outer?: Transaction): Promise<void> {
    const { db, history, lock } = this.sql;
    await db.transaction(async (trx) => {
      for (const name of names) await history.unrecord(name, trx, lock.guard());
      await lock.assertHeld(trx);
    }, outer);
  }

  async release(): Promise<void> {
    const settle = () => this.sql.db.settleCommits().catch(() => undefined);
    const unlock = () => this.sql.lock.release().catch(() => undefined);
    try {
      // SQLite's commits are on disk as they happen: its lock row goes while the journal is still kept (a commit
      // without creating and deleting the journal file). Elsewhere every commit is on disk before another run may start.
      // A scratch database is dropped next: nothing to wait for.
      if (this.#scratch) await unlock();
      else if (this.dialect === 'sqlite') await unlock().then(settle);
      else await settle().then(unlock);
    } finally {
      await this.sql.db.close().catch(() => undefined);
    }
  }
}

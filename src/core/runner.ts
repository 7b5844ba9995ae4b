import { performance } from 'node:perf_hooks';
import type { Database, Transaction } from './database.js';
import { BrokenRevisionError, PlanChangedError, RevisionFailedError, StoppedError, UnsupportedError } from './errors.js';
import { RunEvents, type Direction, type RunEvent } from './events.js';
import type { Executor } from './executors/executor.js';
import { schemaExecutor } from './executors/schema-executor.js';
import { revisionFailure, trackStatements, type StatementTracker } from './failure.js';
import { History } from './history.js';
import { hasDown, instantiate, loadMigrationClass, type MigrationInstance } from './loader.js';
import { acquireLock, type HeldLock } from './lock.js';
import { readTimeline } from './read-timeline.js';
import type { RevisionFile } from './revisions.js';
import { planFor, type Plan } from './target.js';
import type { Revision } from './timeline.js';

export interface RunOptions {
  direction: Direction;
  /** A TARGET of DESIGN §3; defaults to head for up and -1 for down. */
  target?: string;
  /** The revisions the person confirmed, in order. Under the lock the plan must be exactly these, or nothing runs. */
  confirmed?: string[];
  /** One transaction around the whole run instead of one per revision. */
  allOrNothing?: boolean;
  /** How long to wait for another run's lock (ms). */
  lockTimeoutMs?: number;
}

export interface RunResult {
  direction: Direction;
  /** Revisions applied (or reverted) and kept. */
  done: string[];
  failed?: RevisionFailedError | BrokenRevisionError;
  /** True when stop() ended the run before its plan was finished. */
  stopped: boolean;
  /** The planned revisions that did not run because of a stop. */
  notRun: string[];
  durationMs: number;
}

/** Everything one run holds while it runs: its connection, its lock, its history. */
interface RunSession {
  session: Database;
  lock: HeldLock;
  history: History;
  tracker: StatementTracker;
}

/**
 * Orchestrates a run: one connection from lock to release, the plan made under the lock, revisions one by
 * one through the executor that takes each kind, events for every step, and a stop that lands between
 * revisions (or between batches, for an executor that can).
 */
export class Runner {
  readonly events = new RunEvents();
  readonly #stop = new AbortController();
  readonly #executors: Executor[];

  constructor(
    private readonly db: Database,
    options: { executors?: Executor[] } = {},
  ) {
    this.#executors = [...(options.executors ?? []), schemaExecutor];
  }

  /** Asks the run to stop after the revision in progress (or at once, while it waits for the lock); what ran stays applied. */
  stop(): void {
    this.#stop.abort();
  }

  get stopping(): boolean {
    return this.#stop.signal.aborted;
  }

  async run(options: RunOptions): Promise<RunResult> {
    const started = performance.now();
    if (options.allOrNothing && (this.db.dialect === 'mysql' || this.db.dialect === 'mariadb')) {
      // DDL commits implicitly there: the one transaction would roll back nothing but our records of it.
      const name = this.db.dialect === 'mariadb' ? 'MariaDB' : 'MySQL';
      throw new UnsupportedError(`one transaction around the whole run is not possible on ${name}: it commits DDL as it runs`);
    }
    const session = await this.db.openSession();
    const tracker = trackStatements(session.driver);
    try {
      const lock = await acquireLock(session, {
        timeoutMs: options.lockTimeoutMs ?? 30_000,
        onWaiting: (holder) => this.#emit({ type: 'lock:waiting', holder }),
        signal: this.#stop.signal,
      });
      try {
        this.#emit({ type: 'lock:acquired' });
        const history = new History(session);
        await history.ensureTables();
        const repaired = await history.removeOrphans();
        if (repaired.length > 0) this.#emit({ type: 'run:repaired', revisions: repaired });
        // Plan only now, under the lock: a run that waited must not redo what the other one did.
        // No syntax pass: importing each revision reports a broken file just as well, and a run pays for every check.
        const { timeline, files } = await readTimeline(session, { checkSyntax: false });
        const plan = planFor(timeline, options.direction, options.target);
        const planned = plan.revisions.map((r) => r.name);
        if (options.confirmed && planned.join('\n') !== options.confirmed.join('\n')) throw new PlanChangedError(options.confirmed, planned);
        if (this.#stop.signal.aborted) throw new StoppedError('stopped before the first revision');
        this.#emit({ type: 'run:planned', direction: plan.direction, revisions: planned });
        const result = await this.#runPlan(plan, new Map(files.map((f) => [f.name, f])), { session, lock, history, tracker }, options);
        result.durationMs = Math.round(performance.now() - started);
        this.#emit({ type: 'run:done', direction: plan.direction, done: result.done, durationMs: result.durationMs });
        return result;
      } finally {
        await lock.release().catch(() => undefined);
      }
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  async #runPlan(plan: Plan, files: Map<string, RevisionFile>, run: RunSession, options: RunOptions): Promise<RunResult> {
    const result: RunResult = { direction: plan.direction, done: [], stopped: false, notRun: [], durationMs: 0 };
    const irreversible = plan.direction === 'down' ? await this.#withoutDown(plan) : undefined;
    if (irreversible) {
      // Found before anything ran: a revert that would stop half-way at it does not start.
      this.#emit({
        type: 'revision:failed',
        name: irreversible.revision,
        direction: 'down',
        message: irreversible.message,
        details: [],
        hint: irreversible.hint,
      });
      return { ...result, failed: irreversible, notRun: plan.revisions.map((r) => r.name) };
    }
    const runAll = async (outer?: Transaction) => {
      for (const [i, revision] of plan.revisions.entries()) {
        if (this.#stop.signal.aborted) {
          result.stopped = true;
          result.notRun = plan.revisions.slice(i).map((r) => r.name);
          this.#emit({ type: 'run:stopped', remaining: result.notRun });
          return;
        }
        await this.#runOne(revision, plan.direction, files.get(revision.name), run, outer);
        result.done.push(revision.name);
      }
    };
    try {
      if (options.allOrNothing) await run.session.transaction((trx) => runAll(trx));
      else await runAll();
    } catch (error) {
      if (!(error instanceof RevisionFailedError || error instanceof BrokenRevisionError)) throw error;
      result.failed = error;
      // Under all-or-nothing the rollback took everything with it.
      if (options.allOrNothing) result.done = [];
    }
    return result;
  }

  /** The first planned revision that has no down() of its own (MikroORM's base only throws), as a failure. */
  async #withoutDown(plan: Plan): Promise<BrokenRevisionError | undefined> {
    for (const revision of plan.revisions) {
      if (revision.error || !revision.path) continue;
      const MigrationClass = await loadMigrationClass(revision.path, revision.name).catch(() => undefined);
      if (MigrationClass && !hasDown(MigrationClass)) {
        return new BrokenRevisionError(
          revision.name,
          'it has no down()',
          'cannot be reverted',
          'Nothing was reverted; write its down() first, or revert to a revision after it.',
        );
      }
    }
    return undefined;
  }

  async #instantiate(revision: Revision, session: Database): Promise<MigrationInstance> {
    if (revision.error || !revision.path) throw new BrokenRevisionError(revision.name, revision.error ?? 'its file is missing');
    return instantiate(await loadMigrationClass(revision.path, revision.name), session.driver, session.mikroConfig);
  }

  async #runOne(revision: Revision, direction: Direction, file: RevisionFile | undefined, run: RunSession, outer?: Transaction): Promise<void> {
    this.#emit({ type: 'revision:start', name: revision.name, direction });
    const started = performance.now();
    try {
      const migration = await this.#instantiate(revision, run.session);
      const executor = this.#executors.find((e) => e.accepts(migration))!;
      run.tracker.reset();
      await executor.run({
        name: revision.name,
        direction,
        kind: file?.kind ?? revision.kind,
        checksum: file?.checksum ?? '',
        migration,
        session: run.session,
        history: run.history,
        lock: run.lock,
        outer,
        signal: this.#stop.signal,
        emit: (event) => this.#emit(event),
      });
    } catch (error) {
      const failure =
        error instanceof BrokenRevisionError
          ? error
          : revisionFailure(revision.name, direction, error, run.tracker.current, { dialect: run.session.dialect, path: revision.path ?? undefined });
      const failed = failure instanceof RevisionFailedError ? failure : undefined;
      this.#emit({
        type: 'revision:failed',
        name: revision.name,
        direction,
        statement: failed?.statement,
        message: failed ? failed.databaseMessage : failure.message,
        details: failed?.details ?? [],
        // Under all-or-nothing the whole run rolls back, earlier revisions included.
        hint: outer ? 'Every revision of this run was rolled back; fix the revision and run again.' : failure.hint,
      });
      throw failure;
    }
    this.#emit({ type: 'revision:done', name: revision.name, direction, durationMs: Math.round(performance.now() - started) });
  }

  #emit(event: RunEvent): void {
    this.events.emit(event);
  }
}

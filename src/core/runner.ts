import { performance } from 'node:perf_hooks';
import type { Transaction } from './database.js';
import { BrokenRevisionError, PlanChangedError, RevisionFailedError, StoppedError, UnsupportedError } from './errors.js';
import { type Direction, type RunEvent, RunEvents } from './events.js';
import { connectionLost, isConnectionLoss, revisionFailure } from './failure.js';
import { hasDown, type MigrationClass, type MigrationInstance, migrationBase } from './loader.js';
import { type RevisionFile, revisionKind } from './revisions.js';
import type { RunBackend, RunSession } from './run-session.js';
import { type Plan, planFor } from './target.js';
import { isApplied, type Revision } from './timeline.js';

export interface RunOptions {
  direction: Direction;
  /** A TARGET of DESIGN §3; defaults to head for up and -1 for down. */
  target?: string;
  /** The revisions the person confirmed, in order. Under the lock the plan must be exactly these, or nothing runs. */
  confirmed?: string[];
  /** One transaction around the whole run instead of one per revision. */
  allOrNothing?: boolean;
  /** Applies pending revisions from a merged branch (below the newest applied one) too; refused otherwise. */
  allowOutOfOrder?: boolean;
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
  /** The planned revisions that did not run because of a stop (or a revision found unfit before anything ran). */
  notRun: string[];
  durationMs: number;
}

/** Runs under one lock held until release() (Runner.hold). */
export interface HeldRuns {
  run(options: RunOptions): Promise<RunResult>;
  release(): Promise<void>;
}

/**
 * Orchestrates a run: a session from lock to release, the plan made under the lock, revisions one by one
 * through the executor that takes each kind, events for every step, and a stop that lands between revisions
 * (or between batches, for an executor that can). Where revisions are recorded is the backend's business.
 */
export class Runner {
  readonly events = new RunEvents();
  readonly #stop = new AbortController();
  /** The run's imported revisions; a map of its own for each run, so that nothing left from one reaches the next. */
  #loaded = new Map<string, Promise<MigrationInstance>>();
  #waiting = false;

  /** @internal Runners come from Project.runner(). */
  constructor(private readonly backend: RunBackend) {}

  /** Asks the run to stop after the revision in progress (or at once, while it waits for the lock); what ran stays applied. */
  stop(): void {
    this.#stop.abort();
  }

  get stopping(): boolean {
    return this.#stop.signal.aborted;
  }

  /** True while the run waits for another run's lock: nothing of it has run yet. */
  get waitingForLock(): boolean {
    return this.#waiting;
  }

  async run(options: RunOptions): Promise<RunResult> {
    const started = performance.now();
    this.#refuseAllOrNothing(options);
    const session = await this.#open(options.lockTimeoutMs);
    try {
      return await this.#runIn(session, options, started);
    } finally {
      this.#loaded = new Map();
      await session.release();
    }
  }

  /**
   * Takes the lock once for several runs on one connection, each planned under it as run() plans it, until release().
   * For verify, which moves a scratch database up and down three times a revision: a session per move was most of its time.
   */
  async hold(lockTimeoutMs?: number, options: { scratch?: boolean } = {}): Promise<HeldRuns> {
    const session = await this.#open(lockTimeoutMs);
    // A scratch database (verify's): nobody else writes its history, and nothing of it must outlive a crash.
    if (options.scratch) session.scratch?.();
    let released: Promise<void> | undefined;
    return {
      run: (options) => {
        this.#refuseAllOrNothing(options);
        return this.#runIn(session, options, performance.now()).finally(() => {
          this.#loaded = new Map();
        });
      },
      release: () => {
        released ??= session.release();
        return released;
      },
    };
  }

  #refuseAllOrNothing(options: RunOptions): void {
    const dialect = this.backend.dialect;
    if (options.allOrNothing && (dialect === 'mysql' || dialect === 'mariadb')) {
      // DDL commits implicitly there: the one transaction would roll back nothing but our records of it.
      const name = dialect === 'mariadb' ? 'MariaDB' : 'MySQL';
      throw new UnsupportedError(`one transaction around the whole run is not possible on ${name}: it commits DDL as it runs`);
    }
  }

  async #open(lockTimeoutMs = 30_000): Promise<RunSession> {
    this.#loaded = new Map();
    const session = await this.backend
      .open({
        timeoutMs: lockTimeoutMs,
        onWaiting: (holder) => {
          this.#waiting = true;
          this.#emit({ type: 'lock:waiting', holder });
        },
        signal: this.#stop.signal,
      })
      .finally(() => {
        this.#waiting = false;
      });
    this.#emit({ type: 'lock:acquired' });
    return session;
  }

  /** One run in an open session: the history readied, the plan made under the lock, then the plan. */
  async #runIn(session: RunSession, options: RunOptions, started: number): Promise<RunResult> {
    try {
      const repaired = await session.prepare();
      if (repaired.length > 0) this.#emit({ type: 'run:repaired', revisions: repaired });
      // Plan only now, under the lock: a run that waited must not redo what the other one did.
      const { timeline, files } = await session.readTimeline();
      const plan = planFor(timeline, options.direction, options.target, options);
      const planned = plan.revisions.map((r) => r.name);
      if (options.confirmed && planned.join('\n') !== options.confirmed.join('\n')) throw new PlanChangedError(options.confirmed, planned);
      if (this.#stop.signal.aborted) throw new StoppedError('stopped before the first revision');
      this.#emit({ type: 'run:planned', direction: plan.direction, revisions: planned });
      const recorded = new Set(timeline.revisions.filter(isApplied).map((r) => r.name));
      const result = await this.#runPlan(plan, new Map(files.map((f) => [f.name, f])), session, options, recorded);
      const done = new Set(result.done);
      session.ran?.(
        plan.direction,
        plan.revisions.filter((r) => done.has(r.name)),
        !result.failed && !result.stopped,
      );
      result.durationMs = Math.round(performance.now() - started);
      this.#emit({ type: 'run:done', direction: plan.direction, done: result.done, durationMs: result.durationMs });
      return result;
    } catch (error) {
      session.ran?.(options.direction, [], false);
      // Outside a revision (the history, the timeline), a dead connection is still a lost connection, not a refusal.
      throw isConnectionLoss(error) ? connectionLost(error) : error;
    }
  }

  async #runPlan(plan: Plan, files: Map<string, RevisionFile>, session: RunSession, options: RunOptions, recorded: Set<string>): Promise<RunResult> {
    const result: RunResult = { direction: plan.direction, done: [], stopped: false, notRun: [], durationMs: 0 };
    // Found before anything ran: a revert that would stop half-way at a revision without down() does not start,
    // nor does an all-or-nothing run with a data migration in it.
    const unfit =
      plan.direction === 'down'
        ? await this.#withoutDown(plan, session)
        : options.allOrNothing
          ? await this.#commitsAsItGoes(plan, session)
          : undefined;
    if (unfit) {
      this.#emit({
        type: 'revision:failed',
        name: unfit.revision,
        direction: plan.direction,
        message: unfit.message,
        details: [],
        hint: unfit.hint,
      });
      return { ...result, failed: unfit, notRun: plan.revisions.map((r) => r.name) };
    }
    const runAll = async (outer?: Transaction) => {
      for (const [i, revision] of plan.revisions.entries()) {
        const stop = () => {
          result.stopped = true;
          result.notRun = plan.revisions.slice(i).map((r) => r.name);
          this.#emit({ type: 'run:stopped', remaining: result.notRun });
        };
        if (this.#stop.signal.aborted) return stop();
        const next = plan.revisions[i + 1];
        // A squash reverted on a database that applied the revisions it replaces: their records go first, so a
        // revert that fails leaves the squash applied (recorded), never the old records without it.
        const replaced = plan.direction === 'down' ? (revision.replaces ?? []).filter((name) => recorded.has(name)) : [];
        if (replaced.length > 0) await session.forget?.(replaced, outer);
        try {
          await this.#runOne(revision, plan.direction, files.get(revision.name), session, outer, () => this.#loadSoon(session, next));
        } catch (error) {
          // A data migration stopped between batches (cancelled, or asked to stop): not applied, resumable.
          if (error instanceof StoppedError) return stop();
          throw error;
        }
        result.done.push(revision.name);
      }
    };
    try {
      if (options.allOrNothing) await session.transaction((trx) => runAll(trx));
      else await runAll();
    } catch (error) {
      if (!(error instanceof RevisionFailedError || error instanceof BrokenRevisionError)) throw error;
      result.failed = error;
      // Under all-or-nothing the rollback took everything with it.
      if (options.allOrNothing) result.done = [];
    }
    return result;
  }

  /** The first planned revision whose kind and executor commit as they go (a data migration), as a failure: one transaction cannot hold it. */
  async #commitsAsItGoes(plan: Plan, session: RunSession): Promise<BrokenRevisionError | undefined> {
    for (const revision of plan.revisions) {
      const why = revisionKind(revision.kind).commitsAsItGoes;
      if (!why) continue;
      const migration = await this.#load(session, revision).catch(() => undefined);
      if (migration && session.executors.find((e) => e.accepts(migration))?.commitsAsItGoes) {
        return new BrokenRevisionError(
          revision.name,
          why,
          'cannot run inside one transaction around the whole run',
          'Nothing ran; run without one transaction around the whole run, or stop before this revision.',
        );
      }
    }
    return undefined;
  }

  /** The first planned revision that has no down() of its own (MikroORM's base only throws), as a failure. */
  async #withoutDown(plan: Plan, session: RunSession): Promise<BrokenRevisionError | undefined> {
    let base: object | undefined;
    for (const revision of plan.revisions) {
      const migration = await this.#load(session, revision).catch(() => undefined);
      if (!migration) continue;
      base ??= migrationBase();
      if (!hasDown(migration.constructor as MigrationClass, base)) {
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

  async #runOne(
    revision: Revision,
    direction: Direction,
    file: RevisionFile | undefined,
    session: RunSession,
    outer: Transaction | undefined,
    waiting: () => void,
  ): Promise<void> {
    this.#emit({ type: 'revision:start', name: revision.name, direction });
    const started = performance.now();
    try {
      const migration = await this.#load(session, revision);
      const executor = session.executors.find((e) => e.accepts(migration));
      if (!executor) throw new BrokenRevisionError(revision.name, 'no executor takes this kind of revision');
      session.statements.reset();
      await executor.run({
        name: revision.name,
        direction,
        kind: file?.kind ?? revision.kind,
        checksum: file?.checksum ?? '',
        migration,
        outer,
        signal: this.#stop.signal,
        emit: (event) => this.#emit(event),
        waiting,
      });
    } catch (error) {
      if (error instanceof StoppedError) throw error;
      const failure =
        error instanceof BrokenRevisionError
          ? error
          : revisionFailure(revision.name, direction, error, session.statements.current, {
              dialect: session.dialect,
              path: revision.path ?? undefined,
            });
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

  /** Each revision's file is imported once a run: a revert checks every down() before it runs the first. */
  #load(session: RunSession, revision: Revision): Promise<MigrationInstance> {
    let loading = this.#loaded.get(revision.name);
    if (!loading) {
      loading = session.load(revision);
      this.#loaded.set(revision.name, loading);
    }
    return loading;
  }

  /**
   * Imports a revision's file while the revision before it waits for the database (RevisionRun.waiting), so that the
   * import costs no wall time; a file that fails to load fails when its turn comes, as before.
   */
  #loadSoon(session: RunSession, revision: Revision | undefined): void {
    const loaded = this.#loaded;
    if (!revision || loaded.has(revision.name)) return;
    setImmediate(() => {
      // Only while the run that asked is on: a run that ended (or failed) imports nothing more.
      if (this.#loaded === loaded && !this.#stop.signal.aborted && !loaded.has(revision.name)) this.#load(session, revision).catch(() => undefined);
    });
  }

  #emit(event: RunEvent): void {
    this.events.emit(event);
  }
}

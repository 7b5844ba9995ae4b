import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { errorLine, exitCodeOf, ExitCode, LockTimeoutError, RevisionFailedError, StoppedError } from '../errors.js';
import type { Direction, RunEvents } from '../events.js';
import type { Project } from '../project.js';
import type { Runner } from '../runner.js';
import { sleep } from '../sleep.js';
import type { Claim, ClaimBoard } from './claims.js';
import type { FleetTarget } from './targets.js';

/** How often, at most, a shared rollout's idle slot looks again while other workers still run targets. */
const POLL_MS = 500;
/** Its first look again: waits grow from this by half each time, to POLL_MS. */
const FIRST_POLL_MS = 10;

export interface RolloutOptions {
  direction: Direction;
  /** A revision TARGET of DESIGN §3, the same for every target. */
  target?: string;
  /** How many targets run at once. */
  concurrency: number;
  /** How many targets (the first ones) run first, alone; the rest start only when every one of them succeeded. */
  canary: number;
  /** Once this many targets failed, no further target starts. */
  maxFailures: number;
  lockTimeoutMs: number;
  /** Per target, the revisions the person confirmed (a down's); under its lock the plan must be exactly these. */
  confirmed?: Map<string, string[]>;
  /** A shared rollout: the targets are claimed on this board, with other workers (processes, machines) at once. */
  board?: ClaimBoard;
  /** How often, at most, a worker with nothing to claim looks again while other workers still run targets. */
  pollMs?: number;
}

/** Why a target failed: the revision and its statement where a revision failed, else what kept it from running. */
export interface TargetFailure {
  revision?: string;
  statement?: string;
  message: string;
  hint?: string;
  /** The exit code this failure alone would leave with (DESIGN §3). */
  exitCode: number;
}

/** Why a target was left untouched. */
export type SkipReason = 'max-failures' | 'canary-failed' | 'stopped';

/** What a rollout tells its listeners, one target at a time; plain data. */
export type FleetEvent =
  /** In a shared rollout joined with retryFailed, `retried` counts the failed targets this worker put back to pending. */
  | { type: 'fleet:planned'; direction: Direction; targets: string[]; canary: string[]; concurrency: number; retried?: number }
  /** In a shared rollout, `attempt` counts the claims of the target, and `takenFrom` names the worker whose claim went stale. */
  | { type: 'target:start'; target: string; canary: boolean; attempt?: number; takenFrom?: string }
  | { type: 'target:revision'; target: string; revision: string; durationMs: number }
  | { type: 'target:done'; target: string; done: string[]; durationMs: number }
  | ({ type: 'target:failed'; target: string; done: string[] } & TargetFailure)
  | { type: 'target:skipped'; target: string; reason: SkipReason }
  /** Asked to stop (ctrl-c, SIGTERM) while it ran: what finished stays, a data migration resumes from its checkpoint. */
  | { type: 'target:stopped'; target: string; done: string[]; notRun: string[] }
  /** In a shared rollout, the lists are the whole rollout's and `ran` the targets this worker ran. */
  | { type: 'fleet:done'; done: string[]; failed: string[]; skipped: string[]; stopped: boolean; durationMs: number; ran?: string[] };

export interface RolloutResult {
  done: string[];
  failed: { target: string; failure: TargetFailure }[];
  skipped: string[];
  /** Targets stopped part-way (their finished revisions stay). */
  interrupted: string[];
  stopped: boolean;
  durationMs: number;
  /** A shared rollout's worker: the targets this one ran (the rest of the result is the whole rollout's). */
  ran?: string[];
}

/** Opens a target's project (its own connection pool); the rollout closes it. */
export type TargetOpener = (target: FleetTarget) => Promise<Project>;

/**
 * Moves every target of a fleet, each under its own lock and history (its own Project and run), as a careful
 * operator would: the canaries first, then the rest with at most `concurrency` at once; after `maxFailures`
 * failures nothing more starts, and what has not started is left untouched.
 */
export class Rollout {
  readonly #emitter = new EventEmitter();
  readonly #running = new Set<Runner>();
  /** Wakes a shared rollout's idle slots when it is stopped. */
  readonly #abort = new AbortController();
  #stopped = false;

  constructor(
    private readonly targets: FleetTarget[],
    private readonly open: TargetOpener,
  ) {}

  on(listener: (event: FleetEvent) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }

  /** Hears each target's run as it starts, with its own events (each revision's start, a data migration's batches). */
  onRun(listener: (target: string, events: RunEvents) => void): () => void {
    this.#emitter.on('run', listener);
    return () => this.#emitter.off('run', listener);
  }

  /** Starts no further target and asks the running ones to stop after their current revision. */
  stop(): void {
    this.#stopped = true;
    this.#abort.abort();
    for (const runner of this.#running) runner.stop();
  }

  async run(options: RolloutOptions): Promise<RolloutResult> {
    const started = performance.now();
    const concurrency = Math.max(1, Math.floor(options.concurrency));
    const canaries = this.targets.slice(0, Math.max(0, options.canary));
    const rest = this.targets.slice(canaries.length);
    const result: RolloutResult = { done: [], failed: [], skipped: [], interrupted: [], stopped: false, durationMs: 0 };
    if (options.board) await options.board.enlist(this.targets, canaries.length);
    this.#emit({
      type: 'fleet:planned',
      direction: options.direction,
      targets: this.targets.map((t) => t.name),
      canary: canaries.map((t) => t.name),
      concurrency,
      ...(options.board?.retried ? { retried: options.board.retried } : {}),
    });
    if (options.board) await this.#shared(options.board, concurrency, options, result);
    else {
      const skipReason = (): SkipReason | undefined => {
        if (this.#stopped) return 'stopped';
        if (result.failed.length >= Math.max(1, options.maxFailures)) return 'max-failures';
        return undefined;
      };
      await this.#pool(canaries, concurrency, options, result, true, skipReason);
      const canaryFailed = result.failed.length > 0 && canaries.length > 0;
      await this.#pool(rest, concurrency, options, result, false, () => (canaryFailed ? 'canary-failed' : skipReason()));
    }
    result.stopped = this.#stopped;
    result.durationMs = Math.round(performance.now() - started);
    this.#emit({
      type: 'fleet:done',
      done: result.done,
      failed: result.failed.map((f) => f.target),
      skipped: result.skipped,
      stopped: result.stopped,
      durationMs: result.durationMs,
      ...(options.board ? { ran: result.ran ?? [] } : {}),
    });
    return result;
  }

  /** Runs `targets` with at most `concurrency` at once; each worker takes the next target unless `skip` says why not. */
  async #pool(
    targets: FleetTarget[],
    concurrency: number,
    options: RolloutOptions,
    result: RolloutResult,
    canary: boolean,
    skip: () => SkipReason | undefined,
  ): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < targets.length) {
        const target = targets[next++];
        const reason = skip();
        if (reason) {
          result.skipped.push(target.name);
          this.#emit({ type: 'target:skipped', target: target.name, reason });
          continue;
        }
        await this.#runTarget(target, options, result, canary);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  }

  /**
   * A shared rollout: `concurrency` slots, each claiming its next target on the board until none is left to claim.
   * What a slot ran is written back (a stopped target is given back, for another worker to finish). At the end the
   * result is the whole rollout's as the board holds it, every worker's targets: all workers end seeing the same.
   */
  async #shared(board: ClaimBoard, concurrency: number, options: RolloutOptions, result: RolloutResult): Promise<void> {
    const byName = new Map(this.targets.map((t) => [t.name, t]));
    const ran: string[] = [];
    let over: SkipReason | 'finished' | undefined;
    const slot = async () => {
      // Waits in a row: the first looks again after 10 ms (a claim another worker is committing takes a moment), each
      // next one half as long again, up to pollMs: a worker waiting for the rollout's last targets (run by others)
      // ends soon after them, not up to pollMs later, and one waiting long looks no more often than before.
      let waits = 0;
      while (!this.#stopped && !over) {
        const next = await board.next(options.maxFailures, (name) => byName.has(name));
        if ('wait' in next) {
          await sleep(Math.min(options.pollMs ?? POLL_MS, FIRST_POLL_MS * 1.5 ** waits++), this.#abort.signal);
          continue;
        }
        waits = 0;
        if ('over' in next) {
          over = next.over;
          return;
        }
        const { claim } = next;
        // Written as soon as the run ends, before the target's connections close: a failure counts for the next claim at once.
        const outcome = await this.#runTarget(byName.get(claim.target)!, options, result, claim.canary, claim, async (end) => {
          if (end.state === 'done') await board.finish(claim.target, 'done', { done: end.done });
          else if (end.state === 'failed') await board.finish(claim.target, 'failed', { failure: end.failure, done: end.done });
          else await board.finish(claim.target, 'pending');
        });
        if (outcome.state !== 'not-started' && outcome.state !== 'stopped') ran.push(claim.target);
      }
    };
    board.startHeartbeat();
    // Every slot ends before the error (a lost control database) is passed on: no target is left half-watched.
    const ends = await Promise.allSettled(Array.from({ length: concurrency }, slot));
    const failure = ends.find((end): end is PromiseRejectedResult => end.status === 'rejected');
    if (failure) throw failure.reason;
    const rows = await board.rows();
    const reason: SkipReason = over && over !== 'finished' ? over : 'stopped';
    result.done = rows.filter((r) => r.state === 'done').map((r) => r.target);
    result.failed = rows
      .filter((r) => r.state === 'failed')
      .map((r) => ({ target: r.target, failure: r.failure ?? { message: 'failed', exitCode: ExitCode.migrationFailed } }));
    result.skipped = rows.filter((r) => r.state !== 'done' && r.state !== 'failed' && !result.interrupted.includes(r.target)).map((r) => r.target);
    for (const target of result.skipped) this.#emit({ type: 'target:skipped', target, reason });
    result.ran = ran;
  }

  async #runTarget(
    target: FleetTarget,
    options: RolloutOptions,
    result: RolloutResult,
    canary: boolean,
    claim?: Claim,
    settle?: (outcome: TargetOutcome) => Promise<void>,
  ): Promise<TargetOutcome> {
    let outcome: TargetOutcome | undefined;
    const opened: { project?: Project } = {};
    try {
      outcome = await this.#attempt(target, options, result, canary, opened, claim);
      return outcome;
    } finally {
      try {
        if (outcome) await settle?.(outcome);
      } finally {
        await opened.project?.close().catch(() => undefined);
      }
    }
  }

  /** One target's run; the project it opened is left in `opened`, for #runTarget to close once the outcome is written. */
  async #attempt(
    target: FleetTarget,
    options: RolloutOptions,
    result: RolloutResult,
    canary: boolean,
    opened: { project?: Project },
    claim?: Claim,
  ): Promise<TargetOutcome> {
    const started = performance.now();
    const shared = claim ? { attempt: claim.attempt, ...(claim.takenFrom ? { takenFrom: claim.takenFrom } : {}) } : {};
    this.#emit({ type: 'target:start', target: target.name, canary, ...shared });
    const done: string[] = [];
    let project: Project | undefined;
    let runner: Runner | undefined;
    try {
      project = await this.open(target);
      opened.project = project;
      runner = project.runner();
      this.#emitter.emit('run', target.name, runner.events);
      this.#running.add(runner);
      if (this.#stopped) runner.stop();
      runner.events.on('revision:done', (event) => {
        done.push(event.name);
        this.#emit({ type: 'target:revision', target: target.name, revision: event.name, durationMs: event.durationMs });
      });
      const run = await runner.run({
        direction: options.direction,
        target: options.target,
        lockTimeoutMs: options.lockTimeoutMs,
        confirmed: options.confirmed?.get(target.name),
      });
      if (run.failed) return this.#failed(target, done, failureOf(run.failed), result);
      if (run.stopped) {
        this.#stopped = true;
        result.interrupted.push(target.name);
        this.#emit({ type: 'target:stopped', target: target.name, done: run.done, notRun: run.notRun });
        return { state: 'stopped', done: run.done };
      }
      result.done.push(target.name);
      this.#emit({ type: 'target:done', target: target.name, done: run.done, durationMs: Math.round(performance.now() - started) });
      return { state: 'done', done: run.done };
    } catch (error) {
      if (error instanceof StoppedError) {
        this.#stopped = true;
        result.skipped.push(target.name);
        this.#emit({ type: 'target:skipped', target: target.name, reason: 'stopped' });
        return { state: 'not-started', done };
      }
      return this.#failed(target, done, failureOf(error), result);
    } finally {
      if (runner) this.#running.delete(runner);
    }
  }

  #failed(target: FleetTarget, done: string[], failure: TargetFailure, result: RolloutResult): TargetOutcome {
    result.failed.push({ target: target.name, failure });
    this.#emit({ type: 'target:failed', target: target.name, done, ...failure });
    return { state: 'failed', done, failure };
  }

  #emit(event: FleetEvent): void {
    this.#emitter.emit('event', event);
  }
}

/** How one target's run ended, as a shared rollout writes it to the board. */
interface TargetOutcome {
  state: 'done' | 'failed' | 'stopped' | 'not-started';
  done: string[];
  failure?: TargetFailure;
}

/** A failure as the fleet reports it: a revision's statement and the database's words, or the error's one line. */
export function failureOf(error: unknown): TargetFailure {
  if (error instanceof RevisionFailedError) {
    return {
      revision: error.revision,
      statement: error.statement,
      message: [error.databaseMessage, ...error.details].join('\n'),
      hint: error.hint,
      exitCode: ExitCode.migrationFailed,
    };
  }
  const revision = (error as { revision?: unknown }).revision;
  return {
    ...(typeof revision === 'string' ? { revision } : {}),
    message: errorLine(error),
    hint: (error as { hint?: string }).hint,
    exitCode: error instanceof LockTimeoutError ? ExitCode.lockTimeout : exitCodeOf(error),
  };
}

/** The exit code of a whole rollout: 130 stopped, 3 when every failure was a lock held too long, 1 for any other failure. */
export function rolloutExitCode(result: RolloutResult): number {
  if (result.stopped) return ExitCode.stopped;
  if (result.failed.length === 0) return ExitCode.ok;
  return result.failed.every((f) => f.failure.exitCode === ExitCode.lockTimeout) ? ExitCode.lockTimeout : ExitCode.migrationFailed;
}

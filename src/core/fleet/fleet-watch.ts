import { EventEmitter } from 'node:events';
import type { ProjectOptions } from '../config.js';
import type { LockHolder, RunEvents } from '../events.js';
import type { Project } from '../project.js';
import { sleep } from '../sleep.js';
import { readFleet, targetOpener, type FleetOptions } from './fleet.js';
import { FleetReader } from './fleet-reader.js';
import { type FleetEvent, Rollout, type RolloutResult, type SkipReason, type TargetFailure } from './rollout.js';
import type { TargetReading } from './status.js';
import type { FleetTarget } from './targets.js';

/** How often every target is read again (after a large fleet's pass, three times as long as it took): read only, a few connections at once. */
const EVERY_MS = 2000;
/** How often the targets the rollout runs now are read: their data migration's bar moves twice a second. */
const RUNNING_EVERY_MS = 500;
const DEFAULT_CONCURRENCY = 4;

/** Where a target stands in the rollout started here; none before one starts. */
export type TargetRun =
  | { state: 'queued' }
  | {
      state: 'running';
      done: string[];
      /** The revision it runs now (none before the first starts). */
      current?: string;
      /** Its data migration's rows, after each batch. */
      data?: { revision: string; rowsDone: number; rowsTotal: number | null };
      /** Waiting for the target's lock, held by another run. */
      waiting?: LockHolder | null;
    }
  | { state: 'done'; done: string[]; durationMs: number }
  | { state: 'failed'; done: string[]; failure: TargetFailure }
  | { state: 'stopped'; done: string[]; notRun: string[] }
  | { state: 'skipped'; reason: SkipReason };

/** One target: its last reading (null before the first) and its part in the rollout. */
export interface FleetMember {
  target: FleetTarget;
  reading: TargetReading | null;
  run: TargetRun | null;
}

/**
 * A fleet kept up to date: every target read again every two seconds (and at once after each of its rollout
 * events), and `fleet up` run on it with the same Rollout as the CLI. Listeners hear `change` after each update.
 */
export class FleetWatch {
  readonly #emitter = new EventEmitter();
  readonly #members: FleetMember[];
  /** Every read's connections: the shared config load, a target's connection kept open between reads. */
  readonly #reader: FleetReader;
  #rollout: Rollout | null = null;
  #result: RolloutResult | null = null;
  #poll: AbortController | null = null;
  #wake: AbortController | null = null;
  #reads = 0;
  readonly #readStarted = new Map<FleetMember, number>();

  constructor(
    targets: FleetTarget[],
    private readonly options: ProjectOptions,
    /** Targets read (and run) at once. */
    readonly concurrency: number,
    /** Where the targets come from: the fleet file, or `the fleet exported by CONFIG`. */
    readonly file = '',
  ) {
    this.#members = targets.map((target) => ({ target, reading: null, run: null }));
    this.#reader = new FleetReader(targetOpener({ ...options, readOnly: true }));
  }

  /** The fleet of `base` (its file, its patterns listed now); `concurrency` defaults to the config's pool max, else 4. */
  static async load(base: Project, options: FleetOptions, concurrency?: number): Promise<FleetWatch> {
    // A fleet file, or the fleet the config exports (then the header names the config's export).
    const { targets, source } = await readFleet(base, options);
    const { fleetFile: _file, ...projectOptions } = options;
    return new FleetWatch(targets, projectOptions, concurrency ?? poolMax(base) ?? DEFAULT_CONCURRENCY, source);
  }

  get members(): readonly FleetMember[] {
    return this.#members;
  }

  /** True while a rollout started here runs. */
  get running(): boolean {
    return this.#rollout !== null;
  }

  /** The last rollout's outcome, once it ended. */
  get result(): RolloutResult | null {
    return this.#result;
  }

  /** Hears every change (a reading, a rollout event); returns what unsubscribes. */
  onChange(listener: () => void): () => void {
    this.#emitter.on('change', listener);
    return () => this.#emitter.off('change', listener);
  }

  /** Reads every target now and then every two seconds, until `close`. */
  start(): void {
    if (this.#poll) return;
    const stop = new AbortController();
    this.#poll = stop;
    void (async () => {
      while (!stop.signal.aborted) {
        const started = Date.now();
        await this.#readAll(stop.signal);
        this.#wake = new AbortController();
        // A large fleet's pass takes a while: the pause after it is three times as long, so reading takes a quarter of a core at most.
        const took = Date.now() - started;
        await sleep(Math.max(EVERY_MS - took, 3 * took), AbortSignal.any([stop.signal, this.#wake.signal]));
      }
    })();
    void (async () => {
      while (!stop.signal.aborted) {
        const running = this.#members.filter((m) => m.run?.state === 'running');
        await Promise.all(running.map((m) => this.#readOne(m)));
        await sleep(RUNNING_EVERY_MS, stop.signal);
      }
    })();
  }

  /** Reads every target again at once (after the pass in flight). */
  refresh(): void {
    this.#wake?.abort();
  }

  /** Stops reading and closes the connections kept for it; a rollout running goes on (stop() stops it). */
  close(): void {
    this.#poll?.abort();
    void this.#reader.close();
  }

  /** `fleet up TARGET` on every target, as the CLI runs it; resolves with the rollout's result. */
  async up(options: { target?: string; lockTimeoutMs: number; canary?: number; maxFailures?: number }): Promise<RolloutResult> {
    if (this.#rollout) throw new Error('a rollout is already running');
    const rollout = new Rollout(
      this.#members.map((m) => m.target),
      targetOpener(this.options),
    );
    this.#rollout = rollout;
    this.#result = null;
    for (const m of this.#members) m.run = { state: 'queued' };
    rollout.on((event) => this.#hear(event));
    rollout.onRun((target, events) => this.#follow(target, events));
    this.#changed();
    try {
      const result = await rollout.run({
        direction: 'up',
        target: options.target,
        concurrency: this.concurrency,
        canary: options.canary ?? 0,
        maxFailures: options.maxFailures ?? 1,
        lockTimeoutMs: options.lockTimeoutMs,
      });
      this.#result = result;
      return result;
    } finally {
      this.#rollout = null;
      this.#changed();
      this.refresh();
    }
  }

  /** No further target starts; running ones stop after their current revision. */
  stop(): void {
    this.#rollout?.stop();
  }

  /** A target's own run: which revision runs now, its data migration's rows, a lock it waits for. */
  #follow(target: string, events: RunEvents): void {
    const member = this.#members.find((m) => m.target.name === target);
    const update = (change: Partial<Extract<TargetRun, { state: 'running' }>>) => {
      if (member?.run?.state !== 'running') return;
      member.run = { ...member.run, ...change };
      this.#changed();
    };
    events.on('lock:waiting', (e) => update({ waiting: e.holder }));
    events.on('lock:acquired', () => update({ waiting: undefined }));
    events.on('revision:start', (e) => update({ current: e.name, data: undefined }));
    events.on('batch:progress', (e) => update({ data: { revision: e.revision, rowsDone: e.rowsDone, rowsTotal: e.rowsTotal } }));
  }

  #hear(event: FleetEvent): void {
    const member = 'target' in event ? this.#members.find((m) => m.target.name === event.target) : undefined;
    if (!member) return;
    switch (event.type) {
      case 'target:start':
        member.run = { state: 'running', done: [] };
        break;
      case 'target:revision':
        if (member.run?.state === 'running') member.run = { ...member.run, done: [...member.run.done, event.revision], current: undefined };
        break;
      case 'target:done':
        member.run = { state: 'done', done: event.done, durationMs: event.durationMs };
        break;
      case 'target:failed': {
        const { type: _type, target: _target, done, ...failure } = event;
        member.run = { state: 'failed', done, failure };
        break;
      }
      case 'target:stopped':
        member.run = { state: 'stopped', done: event.done, notRun: event.notRun };
        break;
      case 'target:skipped':
        member.run = { state: 'skipped', reason: event.reason };
        break;
    }
    if (event.type === 'target:done' || event.type === 'target:failed' || event.type === 'target:stopped') {
      // The run is over and its lock released: a reading begun while it ran is out of date.
      this.#readStarted.set(member, ++this.#reads);
      if (member.reading) member.reading = { ...member.reading, lock: null, data: null };
    }
    this.#changed();
    // What the event changed on the target (its current revision, its pending count) shows at once.
    if (event.type !== 'target:skipped') void this.#readOne(member);
  }

  async #readAll(signal: AbortSignal): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < this.#members.length && !signal.aborted) await this.#readOne(this.#members[next++]);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.concurrency, this.#members.length)) }, worker));
  }

  async #readOne(member: FleetMember): Promise<void> {
    const started = ++this.#reads;
    const reading = await this.#reader.read(member.target);
    // Reads of one target overlap (the pass, the running ones, after an event): one begun earlier never undoes a later one.
    if (started < (this.#readStarted.get(member) ?? 0)) return;
    this.#readStarted.set(member, started);
    if (JSON.stringify(reading) === JSON.stringify(member.reading)) return;
    member.reading = reading;
    this.#changed();
  }

  #changed(): void {
    this.#emitter.emit('change');
  }
}

/** The config's pool size: as many targets at once as it allows connections (as `fleet up` takes it). */
function poolMax(project: Project): number | undefined {
  const max = (project.config.options.pool as { max?: unknown } | undefined)?.max;
  return typeof max === 'number' && max >= 1 ? Math.floor(max) : undefined;
}

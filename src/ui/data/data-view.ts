import type { DataControl, DataMigrationProgress, RunEvent } from '../../core/index.js';
import { etaSeconds as estimatedSeconds } from '../../core/data/progress-estimator.js';
import { doneShare } from '../../core/data/progress-text.js';
import { Samples } from './samples.js';

/** What a data migration (or one of its steps) is doing, as its bar shows it. */
export type DataStatus = 'waiting' | 'running' | 'paused' | 'throttled' | 'retrying' | 'failed' | 'done' | 'cancelled' | 'stopped' | 'stalled';

export interface StepView {
  step: number;
  /** The step's table, where the run said it (the progress table does not keep it). */
  table?: string;
  rowsDone: number;
  rowsTotal: number | null;
  status: DataStatus;
}

/** One data migration as the run view and the watch screen draw it. */
export interface DataMigrationView {
  revision: string;
  status: DataStatus;
  steps: StepView[];
  rowsDone: number;
  /** 0 to 1; null while no total is known. */
  share: number | null;
  rowsTotal: number | null;
  rowsPerSecond?: number;
  /** Only once 1% is done (earlier it would mostly be noise). */
  etaSeconds?: number;
  /** Set when the ETA is of this step only: later steps are not counted yet. */
  etaStep?: number;
  batchSize: number;
  elapsedMs: number;
  /** Rows per second and mean batch duration, one value per second of the last minute, oldest first. */
  rate: number[];
  batchMs: number[];
  /** A line under the numbers: a retry's error, a process gone, a pause or cancel asked for but not yet seen. */
  note?: string;
}

/** A step's share done, 0 to 1 (1 once done); null while its total is unknown. */
export function stepShare(step: StepView): number | null {
  return step.status === 'done' ? 1 : doneShare(step.rowsDone, step.rowsTotal);
}

/** True while the data migration can still be paused, resumed or cancelled. */
export function controllable(view: DataMigrationView | undefined): boolean {
  return view !== undefined && ['running', 'paused', 'throttled', 'retrying', 'stalled'].includes(view.status);
}

const ASKED: Record<DataControl, string> = {
  pause: 'pausing after the current batch…',
  resume: 'resuming…',
  cancel: 'cancelling after the current batch…',
};

/** The overall numbers of a data migration from its steps, its samples and its rate; an ETA only while it `moves`. */
function summary(steps: StepView[], done: boolean, samples: Samples, now: number, rate: number | undefined, moves: boolean) {
  const rowsDone = steps.reduce((sum, s) => sum + s.rowsDone, 0);
  const known = steps.every((s) => s.rowsTotal !== null);
  const rowsTotal = known ? steps.reduce((sum, s) => sum + Math.max(s.rowsTotal!, s.rowsDone), 0) : null;
  // Steps whose total is not known yet count as not started: the bar never runs ahead of the work.
  const shares = steps.map((s) => stepShare(s) ?? 0);
  const share = done ? 1 : known ? (doneShare(rowsDone, rowsTotal) ?? 0) : shares.reduce((a, b) => a + b, 0) / Math.max(1, steps.length);
  // Until every step has counted its rows, the ETA is the running step's.
  const current = steps.find((s) => s.status !== 'done' && s.status !== 'waiting');
  const scope =
    rowsTotal !== null
      ? { left: rowsTotal - rowsDone, share }
      : current?.rowsTotal
        ? { left: current.rowsTotal - current.rowsDone, share: current.rowsDone / current.rowsTotal, step: current.step }
        : null;
  const etaSeconds = scope ? estimatedSeconds(scope.left, rate, moves, scope.share) : undefined;
  const eta = etaSeconds === undefined ? {} : { etaSeconds, etaStep: scope!.step };
  return { rowsDone, rowsTotal, share, rowsPerSecond: rate, ...eta, ...samples.series(now) };
}

interface Tracked {
  revision: string;
  status: DataStatus;
  steps: StepView[];
  batchSize: number;
  /** When the data migration first started (an earlier run's start when this run resumes it), as the progress table says. */
  startedAt: number;
  /** When this run first heard of it: the rate of a finished run is over this run's time. */
  seenAt: number;
  endedAt?: number;
  /** Rows done by this run (a resumed one started with some done). */
  rows: number;
  samples: Samples;
  note?: string;
  asked?: DataControl;
}

/**
 * The data migrations of one run, from the runner's events: the run view's model. Kept outside React and read at
 * most ten times a second, so a fast run of small batches never waits for the screen.
 */
export class RunDataTracker {
  readonly #revisions = new Map<string, Tracked>();

  apply(event: RunEvent, now = Date.now()): void {
    switch (event.type) {
      case 'data:step-start': {
        const t = this.#track(event.revision, event.steps, now);
        if (event.startedAt !== undefined) t.startedAt = Math.min(t.startedAt, event.startedAt);
        // Steps before this one were done by an earlier run (a resumed revision skips them).
        for (const s of t.steps) if (s.step < event.step && s.status === 'waiting') s.status = 'done';
        Object.assign(t.steps[event.step - 1], { table: event.table, rowsDone: event.rowsDone, rowsTotal: event.rowsTotal, status: 'running' });
        t.status = 'running';
        break;
      }
      case 'batch:progress': {
        const t = this.#track(event.revision, event.steps, now);
        const step = t.steps[event.step - 1];
        const rows = event.rowsDone - step.rowsDone;
        t.samples.add(now, Math.max(0, rows), rows > 0 ? event.lastBatchMs : undefined);
        t.rows += Math.max(0, rows);
        Object.assign(step, { rowsDone: event.rowsDone, rowsTotal: event.rowsTotal, status: event.state });
        t.status = event.state;
        t.batchSize = event.batchSize;
        if (event.state === 'running' || event.state === 'throttled') t.note = undefined;
        break;
      }
      case 'batch:retry': {
        const t = this.#revisions.get(event.revision);
        if (!t) break;
        t.status = 'retrying';
        t.steps[event.step - 1].status = 'retrying';
        t.batchSize = event.batchSize;
        t.note = `a batch failed (${event.message}); try ${event.attempt} of ${event.retries} in ${event.delayMs} ms`;
        break;
      }
      case 'data:paused':
        this.#set(event.revision, event.step, 'paused', 'pause');
        break;
      case 'data:resumed':
        // Rate and ETA from the resume on: the seconds paused are not how fast it runs.
        this.#set(event.revision, event.step, 'running', 'resume')?.samples.restart();
        break;
      case 'data:cancelled': {
        const status = event.by === 'cancel' ? 'cancelled' : 'stopped';
        const t = this.#set(event.revision, event.step, status, 'cancel', now);
        if (t) t.note = `${status} after a batch; its checkpoint is kept: u continues from there`;
        break;
      }
      case 'data:step-done': {
        const t = this.#revisions.get(event.revision);
        if (!t) break;
        Object.assign(t.steps[event.step - 1], { rowsDone: event.rowsDone, rowsTotal: event.rowsDone, status: 'done' });
        // A pause or cancel asked for too late (its last batch was running) is answered here, in words: it is done.
        const late = t.asked === 'pause' || t.asked === 'cancel' ? `done before the ${t.asked} took effect: its last batch was running` : undefined;
        if (event.step === event.steps) Object.assign(t, { status: 'done', endedAt: now, note: late, asked: undefined });
        break;
      }
      case 'revision:failed': {
        const t = this.#revisions.get(event.name);
        if (!t) break;
        Object.assign(t, { status: 'failed', endedAt: now, note: undefined, asked: undefined });
        for (const s of t.steps) if (s.status !== 'done' && s.status !== 'waiting') s.status = 'failed';
        break;
      }
      default:
        break;
    }
  }

  /** Notes that the person asked for a pause, resume or cancel; it shows until the runner acts on it. */
  asked(revision: string, control: DataControl): void {
    const t = this.#revisions.get(revision);
    if (t) t.asked = control;
  }

  views(now = Date.now()): DataMigrationView[] {
    return [...this.#revisions.values()].map((t) => {
      const done = t.status === 'done';
      const elapsedMs = (t.endedAt ?? now) - t.startedAt;
      // Once over (done, cancelled, stopped, failed), the rate of this run; before, of the last seconds since it started
      // or resumed (so the ETA follows a slowdown); 0 while paused. A paused or ended one has no ETA.
      const rate =
        t.endedAt !== undefined ? Math.round((t.rows * 1000) / Math.max(1, t.endedAt - t.seenAt)) : t.status === 'paused' ? 0 : t.samples.rate(now);
      const moves = ['running', 'throttled', 'retrying'].includes(t.status);
      return {
        revision: t.revision,
        status: t.status,
        steps: t.steps.map((s) => ({ ...s })),
        batchSize: t.batchSize,
        elapsedMs,
        note: t.asked ? ASKED[t.asked] : t.note,
        ...summary(t.steps, done, t.samples, now, rate, moves),
      };
    });
  }

  #track(revision: string, steps: number, now: number): Tracked {
    let t = this.#revisions.get(revision);
    if (!t) {
      t = { revision, status: 'running', steps: [], batchSize: 0, startedAt: now, seenAt: now, rows: 0, samples: new Samples() };
      this.#revisions.set(revision, t);
    }
    while (t.steps.length < steps) t.steps.push({ step: t.steps.length + 1, rowsDone: 0, rowsTotal: null, status: 'waiting' });
    return t;
  }

  /** Sets a step's and its revision's status; clears a request the event answers. */
  #set(revision: string, step: number, status: DataStatus, answers: DataControl, now?: number): Tracked | undefined {
    const t = this.#revisions.get(revision);
    if (!t) return undefined;
    t.status = status;
    t.steps[step - 1].status = status;
    if (t.asked === answers || answers === 'cancel') t.asked = undefined;
    if (now !== undefined) t.endedAt = now;
    return t;
  }
}

interface Watched {
  samples: Samples;
  rowsDone: number;
  updatedAt: number;
  status: DataStatus;
  asked?: { control: DataControl; status: DataStatus };
}

/** The status each request waits for. */
const ANSWER: Record<DataControl, DataStatus> = { pause: 'paused', resume: 'running', cancel: 'cancelled' };

/**
 * The data migrations of every process, from successive reads of `migrate_ui_progress`: the watch screen's model.
 * Batch durations are not stored there: their sparkline is the time between checkpoints (the pause between batches
 * included), from how far `updated_at` and the rows moved between two reads.
 */
export class WatchTracker {
  readonly #revisions = new Map<string, Watched>();

  update(progress: DataMigrationProgress[], now = Date.now()): DataMigrationView[] {
    return progress.map((p) => {
      let w = this.#revisions.get(p.revision);
      if (!w) {
        w = { samples: new Samples(), rowsDone: p.rowsDone, updatedAt: p.updatedAt, status: p.status };
        this.#revisions.set(p.revision, w);
      }
      // Resumed since the last read (here or by another process's `up`): the rate's window starts again.
      if (w.status !== 'running' && p.status === 'running') w.samples.restart();
      const rows = p.rowsDone - w.rowsDone;
      // Rows since the last read came in batches of about batchSize, one checkpoint each, over this span.
      const span = p.updatedAt - w.updatedAt;
      // Only between two reads that both found it running: a pause in between is not a slow batch.
      const batches = w.status === 'running' && p.status === 'running' && rows > 0 && span > 0;
      w.samples.add(now, Math.max(0, rows), batches ? (span * Math.min(p.batchSize, rows)) / rows : undefined);
      Object.assign(w, { rowsDone: p.rowsDone, updatedAt: p.updatedAt, status: p.status });
      const status: DataStatus = p.gone ? 'stopped' : p.stale ? 'stalled' : p.status;
      if (w.asked && (status === w.asked.status || !['running', 'paused'].includes(status))) w.asked = undefined;
      const done = status === 'done';
      const steps = p.rows.map((row): StepView => ({ step: row.step, rowsDone: row.rowsDone, rowsTotal: row.rowsTotal, status: row.status }));
      const live = status === 'running';
      return {
        revision: p.revision,
        status,
        steps,
        batchSize: p.batchSize,
        elapsedMs: (live || status === 'paused' ? now : p.updatedAt) - p.startedAt,
        note: w.asked ? ASKED[w.asked.control] : staleNote(p),
        ...summary(steps, done, w.samples, now, live ? w.samples.rate(now) : status === 'paused' ? 0 : undefined, live),
      };
    });
  }

  /** Notes a request sent for `revision`; it shows until a read finds the status it asked for. */
  asked(revision: string, control: DataControl): void {
    const w = this.#revisions.get(revision);
    if (w) w.asked = { control, status: ANSWER[control] };
  }
}

/** Why a data migration marked running is not: its process is gone (known on this machine), or its heartbeat stopped. */
function staleNote(p: DataMigrationProgress): string | undefined {
  if (p.gone) return 'interrupted: its process is gone; `up` again resumes it from the checkpoint';
  return p.stale ? 'no heartbeat: its process is gone? `up` again resumes it' : undefined;
}

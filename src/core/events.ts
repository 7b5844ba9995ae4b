import { EventEmitter } from 'node:events';

export type Direction = 'up' | 'down';

/** What a data migration's step is doing: batches, waiting while paused, pausing between batches, or retrying one. */
export type DataState = 'running' | 'paused' | 'throttled' | 'retrying';

/** Who holds the run lock, as a waiting run shows it. */
export interface LockHolder {
  pid: number;
  host: string;
  /** Epoch milliseconds when the holder took the lock. */
  since: number;
}

/** Everything a run tells its listeners: the TUI, the headless printer and the tests. Plain data only. */
export type RunEvent =
  | { type: 'lock:waiting'; holder: LockHolder | null }
  | { type: 'lock:acquired' }
  /** Records of revisions that a run which died half-way had claimed; they count as not applied again. */
  | { type: 'run:repaired'; revisions: string[] }
  | { type: 'run:planned'; direction: Direction; revisions: string[] }
  | { type: 'revision:start'; name: string; direction: Direction }
  | { type: 'revision:done'; name: string; direction: Direction; durationMs: number }
  | {
      type: 'revision:failed';
      name: string;
      direction: Direction;
      statement?: string;
      message: string;
      /** The database's DETAIL and HINT lines. */
      details: string[];
      hint?: string;
    }
  | { type: 'run:stopped'; remaining: string[] }
  /** A data migration's step starts (or resumes from its checkpoint: rowsDone > 0). Steps count from 1. */
  | {
      type: 'data:step-start';
      revision: string;
      step: number;
      steps: number;
      table: string;
      rowsDone: number;
      rowsTotal: number | null;
      /** Epoch ms the step first started (an earlier, cancelled run's start when resumed), as `migrate_ui_progress` keeps it. */
      startedAt?: number;
    }
  /** After each batch, and every second while paused or between throttled batches. */
  | {
      type: 'batch:progress';
      revision: string;
      step: number;
      steps: number;
      rowsDone: number;
      /** An estimate (statistics or a count); null until known. */
      rowsTotal: number | null;
      batchSize: number;
      lastBatchMs: number;
      /** Rows per second of this run of the step so far (pauses included). */
      rowsPerSecond: number;
      state: DataState;
    }
  /** A batch failed and is tried again after delayMs (with batchSize rows). */
  | { type: 'batch:retry'; revision: string; step: number; attempt: number; retries: number; delayMs: number; batchSize: number; message: string }
  | { type: 'data:paused'; revision: string; step: number }
  | { type: 'data:resumed'; revision: string; step: number }
  /** The step stopped after a batch: cancelled from the progress table, or the run was asked to stop. Resumable. */
  | { type: 'data:cancelled'; revision: string; step: number; rowsDone: number; by: 'cancel' | 'stop' }
  | { type: 'data:step-done'; revision: string; step: number; steps: number; rowsDone: number; durationMs: number }
  | { type: 'run:done'; direction: Direction; done: string[]; durationMs: number };

type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/** A typed emitter of RunEvents; listen to one type or to `event` for all of them. */
export class RunEvents {
  readonly #emitter = new EventEmitter();

  on<T extends RunEvent['type']>(type: T, listener: (event: EventOf<T>) => void): () => void;
  on(type: 'event', listener: (event: RunEvent) => void): () => void;
  on(type: string, listener: (event: RunEvent) => void): () => void {
    this.#emitter.on(type, listener);
    return () => this.#emitter.off(type, listener);
  }

  emit(event: RunEvent): void {
    this.#emitter.emit(event.type, event);
    this.#emitter.emit('event', event);
  }
}

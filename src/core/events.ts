import { EventEmitter } from 'node:events';

export type Direction = 'up' | 'down';

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

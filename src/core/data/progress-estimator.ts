/** The rate and the time left of a data migration, where known. */
export interface RateEstimate {
  rowsPerSecond?: number;
  etaSeconds?: number;
}

/** How many seconds the rate is measured over: recent enough that the ETA follows a slowdown. */
export const RATE_SECONDS = 10;

/** No ETA before this share is done: earlier it would mostly be noise. */
const ETA_FROM_SHARE = 0.01;

/**
 * The time left at a rate, in whole seconds: none while nothing moves (paused, cancelled, done), while the rate is
 * unknown or zero, or, where the share done is given, before 1% is.
 */
export function etaSeconds(rowsLeft: number, rowsPerSecond: number | undefined, moving: boolean, share?: number): number | undefined {
  if (!moving || !rowsPerSecond || rowsPerSecond <= 0) return undefined;
  if (share !== undefined && share < ETA_FROM_SHARE) return undefined;
  return Math.ceil(Math.max(0, rowsLeft) / rowsPerSecond);
}

/**
 * A data migration's rate, in rows per second over the last seconds, from rows counted as they are done (the
 * runner's batches) or from successive reads of a running total (another process's run, read from the progress
 * table). A second in which nothing was done counts as such: a pause brings the rate down. The clock is injected.
 */
export class ProgressEstimator {
  readonly #rows = new Map<number, number>();
  readonly #now: () => number;
  readonly #window: number;
  #first: number | undefined;
  /** Epoch ms of the first sample: the first second counts only from there (a resume half-way through a second). */
  #firstAt = 0;
  #total: number | undefined;

  constructor(options: { now?: () => number; windowSeconds?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#window = options.windowSeconds ?? RATE_SECONDS;
  }

  /** Counts `rows` done at `at` (epoch ms). */
  add(rows: number, at = this.#now()): void {
    const second = Math.floor(at / 1000);
    if (this.#first === undefined) {
      this.#first = second;
      this.#firstAt = at;
    }
    this.#rows.set(second, (this.#rows.get(second) ?? 0) + rows);
    for (const key of this.#rows.keys()) if (key < second - this.#window) this.#rows.delete(key);
  }

  /** Reads a running total: the rows since the previous read count as done now (none at the first read). */
  observe(rowsDone: number, at = this.#now()): void {
    this.add(Math.max(0, rowsDone - (this.#total ?? rowsDone)), at);
    this.#total = rowsDone;
  }

  /**
   * Rows per second over the last seconds (the window, and the part of this one gone by) since the first sample;
   * undefined before a whole second has passed since it.
   */
  rate(at = this.#now()): number | undefined {
    if (this.#first === undefined || at - this.#firstAt < 1000) return undefined;
    const current = Math.floor(at / 1000);
    const from = Math.max(this.#first, current - this.#window);
    const ms = at - Math.max(from * 1000, this.#firstAt);
    let rows = 0;
    for (let second = from; second <= current; second++) rows += this.#rows.get(second) ?? 0;
    return Math.round((rows * 1000) / ms);
  }

  /** The rate and, while it moves, the time left for `rowsLeft` at that rate. */
  estimate(rowsLeft: number, moving: boolean, at = this.#now()): RateEstimate {
    const rowsPerSecond = this.rate(at);
    if (rowsPerSecond === undefined) return {};
    const eta = etaSeconds(rowsLeft, rowsPerSecond, moving);
    return eta === undefined ? { rowsPerSecond } : { rowsPerSecond, etaSeconds: eta };
  }
}

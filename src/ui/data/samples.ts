import { ProgressEstimator } from '../../core/data/progress-estimator.js';

/** How many seconds the sparklines cover. */
export const SPARK_SECONDS = 60;

interface Bucket {
  rows: number;
  /** The slowest batch that ended in this second; 0 when none did. */
  batchMs: number;
}

/** A data migration's rows and batch durations in one-second buckets, for its sparklines; its rate is the estimator's. */
export class Samples {
  readonly #buckets = new Map<number, Bucket>();
  #estimator = new ProgressEstimator();
  #first: number | undefined;

  /** Counts `rows` done at `at` (epoch ms), and a batch that took `batchMs` when one finished. */
  add(at: number, rows: number, batchMs?: number): void {
    const second = Math.floor(at / 1000);
    this.#first ??= second;
    const bucket = this.#buckets.get(second) ?? { rows: 0, batchMs: 0 };
    bucket.rows += rows;
    if (batchMs !== undefined) bucket.batchMs = Math.max(bucket.batchMs, batchMs);
    this.#buckets.set(second, bucket);
    this.#estimator.add(rows, at);
    for (const key of this.#buckets.keys()) if (key < second - SPARK_SECONDS) this.#buckets.delete(key);
  }

  /**
   * Rows per second and the slowest batch of each whole second of the last minute, oldest first: a slow batch among
   * fast ones is what a person watches for, and the sparkline's "≤ peak" is then the slowest batch of the minute.
   */
  series(now: number): { rate: number[]; batchMs: number[] } {
    const rate: number[] = [];
    const batchMs: number[] = [];
    for (const second of this.#seconds(now, SPARK_SECONDS)) {
      const bucket = this.#buckets.get(second);
      rate.push(bucket?.rows ?? 0);
      batchMs.push(bucket?.batchMs ?? 0);
    }
    return { rate, batchMs };
  }

  /** Rows per second over the last ten seconds since the last restart; undefined before a whole second has passed. */
  rate(now: number): number | undefined {
    return this.#estimator.rate(now);
  }

  /** A resume: the rate's window starts again (the seconds paused, or before a cancel, are not the rate it runs at). */
  restart(): void {
    this.#estimator = new ProgressEstimator();
  }

  /** The whole seconds before `now`, at most `limit` of them, none before the first sample. */
  #seconds(now: number, limit: number): number[] {
    if (this.#first === undefined) return [];
    const last = Math.floor(now / 1000) - 1;
    const from = Math.max(this.#first, last - limit + 1);
    return Array.from({ length: Math.max(0, last - from + 1) }, (_, i) => from + i);
  }
}

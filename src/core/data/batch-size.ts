import type { ResolvedBatching } from './steps.js';

/** How fast the recent batches went, smoothed: each new batch weighs this much. */
const SMOOTHING = 0.5;
/**
 * A batch size never more than doubles at once (one fast batch on a cached page is not a trend), unless the batch was
 * far shorter than the target: see observe().
 */
const MAX_GROWTH = 2;
/**
 * The share of the target a batch is sized for: batches of one size vary (the database's checkpoints, purge, cleanup
 * of the versions earlier batches left, caches); on a busy PostgreSQL one in a hundred takes 1.4× its neighbours, so
 * sized for 0.8 of the target even that one ends within a quarter past it.
 */
const AIM = 0.8;

/**
 * The batch size, steered toward the target duration (as pt-online-schema-change's --chunk-time does): the rate of
 * recent batches (the last one's when it was slower) times a little less than the target, clamped to the bounds;
 * halved after a statement timeout.
 */
export class BatchSizer {
  #size: number;
  #rate: number | undefined;

  constructor(
    private readonly options: ResolvedBatching,
    start?: number,
  ) {
    this.#size = this.#clamp(start ?? options.initialBatchSize);
  }

  get size(): number {
    return this.#size;
  }

  /** Learns from a batch of `rows` that took `ms`; returns the next size. */
  observe(rows: number, ms: number): number {
    if (rows <= 0) return this.#size;
    const rate = (rows * 1000) / Math.max(ms, 1);
    this.#rate = this.#rate === undefined ? rate : SMOOTHING * rate + (1 - SMOOTHING) * this.#rate;
    // A short last batch says little about the size that fits the target; its rate still counts. A slow batch counts
    // at once, a fast one only through the trend.
    const ideal = (Math.min(rate, this.#rate) * this.options.targetBatchMs * AIM) / 1000;
    // A batch far shorter than the target is mostly fixed cost (its commit): it may grow as far as half the aimed
    // duration at its own rate, which stays under the aim even if the next rows cost twice as much. The first batches
    // get there in two or three steps instead of doubling seven times, each with a commit of its own.
    const growth = Math.max(MAX_GROWTH, (this.options.targetBatchMs * AIM) / (2 * Math.max(ms, 1)));
    this.#size = this.#clamp(Math.min(ideal, this.#size * growth));
    return this.#size;
  }

  /** After a statement timeout (or a lock wait that gave up): half the size. */
  halve(): number {
    this.#size = this.#clamp(this.#size / 2);
    return this.#size;
  }

  #clamp(size: number): number {
    return Math.max(this.options.minBatchSize, Math.min(this.options.maxBatchSize, Math.round(size)));
  }
}

/** Whether a database error is a statement timeout or a lock wait that gave up: a smaller batch may pass. */
export function isTimeout(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; sqlState?: string; message?: string };
  const code = String(e?.code ?? e?.sqlState ?? '');
  return (
    ['57014', '55P03', 'ER_LOCK_WAIT_TIMEOUT', 'ER_QUERY_TIMEOUT', 'ER_STATEMENT_TIMEOUT', 'SQLITE_BUSY'].includes(code) ||
    [1205, 3024, 1969].includes(Number(e?.errno)) ||
    /statement timeout|canceling statement|lock wait timeout|max_statement_time|maximum statement execution time|database is locked/i.test(
      String(e?.message),
    )
  );
}

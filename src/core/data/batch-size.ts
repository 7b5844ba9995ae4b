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
 * After a batch that came slower than its size foresaw by more than AIM leaves room for (a checkpoint, autovacuum,
 * another process at the disk), the next ones are sized so that one as slow still ends within the target, down to
 * this share of it, for as long as that batch is among the last REMEMBERED.
 */
const MIN_AIM = 0.4;
const REMEMBERED = 20;

/**
 * The batch size, steered toward the target duration (as pt-online-schema-change's --chunk-time does): the rate of
 * recent batches (the last one's when it was slower) times a little less than the target, clamped to the bounds;
 * halved after a statement timeout.
 */
export class BatchSizer {
  #size: number;
  #rate: number | undefined;
  /** The rate the current size was worked out from; the surprise of the batch it sized is measured against it. */
  #sizedBy: number | undefined;
  /** How many times longer than foreseen the recent batches took. */
  #surprises: number[] = [];

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
    const surprise = this.#sizedBy === undefined ? undefined : ms / ((rows * 1000) / this.#sizedBy);
    const rate = (rows * 1000) / Math.max(ms, 1);
    this.#rate = this.#rate === undefined ? rate : SMOOTHING * rate + (1 - SMOOTHING) * this.#rate;
    // A short last batch says little about the size that fits the target; its rate still counts. A slow batch counts
    // at once (its rate), a fast one only through the trend; how much slower than foreseen one came counts afterwards.
    this.#sizedBy = Math.min(rate, this.#rate);
    const aim = Math.max(MIN_AIM, Math.min(AIM, 1 / Math.max(1, ...this.#surprises)));
    const ideal = (this.#sizedBy * this.options.targetBatchMs * aim) / 1000;
    if (surprise !== undefined) this.#surprises = [...this.#surprises, surprise].slice(-REMEMBERED);
    // A batch far shorter than the target is mostly fixed cost (its commit): it may grow as far as half the aimed
    // duration at its own rate, which stays under the aim even if the next rows cost twice as much. The first batches
    // get there in two or three steps instead of doubling seven times, each with a commit of its own.
    const growth = Math.max(MAX_GROWTH, (this.options.targetBatchMs * aim) / (2 * Math.max(ms, 1)));
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

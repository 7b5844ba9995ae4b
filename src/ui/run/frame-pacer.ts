/** What the pacer asks of time: the real clock in the app, a fake one in tests. */
export interface PacerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** The run view's clock: its spinner turns on this beat while no batches land, and draws the run's events. */
export const FRAME_MS = 100;
/**
 * While batches land, they set the pace: a frame at most every 250 ms (four a second), drawn 15 ms after a batch
 * lands, when the next batch's statement runs in the database. Ink draws the whole screen for each frame (5-20 ms
 * of the main thread), which holds up the batch's short queries: at ten frames a second a million-row backfill
 * took 7% longer inside the TUI than headless; at four, under 1%.
 */
export const DATA_FRAME_MS = 250;
export const AFTER_BATCH_MS = 15;
/**
 * Other events wait at least this long for their frame, so that a burst is drawn once: the end of a data migration's
 * last step, its revision and the run come within ~10 ms, and the outcome's frame (drawn at once) takes them all.
 */
export const GATHER_MS = 50;
/** Batches land at least this often while they set the pace; after a longer wait the beat takes over again. */
export const BATCHES_PACE_MS = 1_000;

/**
 * Decides when the run view draws: `frame(dirty)` is called for each frame, with whether something asked for one
 * since the last (the beat's frames only turn the spinner). A burst of events costs one frame; while a data
 * migration's batches land, frames fall between them, at most four a second.
 */
export class FramePacer {
  #lastFrame = 0;
  #lastBatch = Number.NEGATIVE_INFINITY;
  #pending: unknown;
  #beat: unknown;
  #dirty = false;
  #stopped = false;

  constructor(
    private readonly frame: (dirty: boolean) => void,
    private readonly clock: PacerClock = systemClock,
  ) {}

  /** A frame now: whatever is queued, and the spinner's next step. */
  drawNow(): void {
    this.#cancelPending();
    this.#lastFrame = this.clock.now();
    const dirty = this.#dirty;
    this.#dirty = false;
    this.frame(dirty);
  }

  /**
   * Something to draw, in a frame not within DATA_FRAME_MS of the last one (the beat may come first). After a batch
   * landed, it comes AFTER_BATCH_MS later, while the next batch's statement runs, or, when that is too soon, at a
   * later batch's landing (or the beat, should batches stop coming): a frame at any other moment may hold up a batch's
   * end or the queries between two batches. Other things wait at least GATHER_MS.
   */
  request(afterBatch = false): void {
    this.#dirty = true;
    if (this.#pending !== undefined || this.#stopped) return;
    const sinceFrame = this.clock.now() - this.#lastFrame;
    if (!afterBatch) this.#pending = this.clock.setTimeout(() => this.drawNow(), Math.max(GATHER_MS, DATA_FRAME_MS - sinceFrame));
    else if (sinceFrame + AFTER_BATCH_MS >= DATA_FRAME_MS) this.#pending = this.clock.setTimeout(() => this.drawNow(), AFTER_BATCH_MS);
  }

  /** A batch landed: batches set the pace for the next BATCHES_PACE_MS. */
  batchLanded(): void {
    this.#lastBatch = this.clock.now();
  }

  /** The spinner's beat, while a run runs: it draws the run's events while no batches land (while they do, they draw). */
  startBeat(): void {
    this.stopBeat();
    this.#beat = this.clock.setInterval(() => {
      const now = this.clock.now();
      if (now - this.#lastBatch >= BATCHES_PACE_MS && now - this.#lastFrame >= FRAME_MS - 5) this.drawNow();
    }, FRAME_MS);
  }

  stopBeat(): void {
    if (this.#beat !== undefined) this.clock.clearInterval(this.#beat);
    this.#beat = undefined;
  }

  /** No frame after this one (the view is gone). */
  stop(): void {
    this.#stopped = true;
    this.#cancelPending();
    this.stopBeat();
  }

  #cancelPending(): void {
    if (this.#pending !== undefined) this.clock.clearTimeout(this.#pending);
    this.#pending = undefined;
  }
}

import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { DataControl } from '../../core/data/control.js';
import { PlanChangedError } from '../../core/errors.js';
import type { Direction, RunEvent } from '../../core/events.js';
import type { Project } from '../../core/project.js';
import type { Runner } from '../../core/runner.js';
import { controllable, type DataMigrationView, RunDataTracker } from '../data/data-view.js';
import { idleRun, isRunning, runReducer } from './run-state.js';

/** The run view's clock: its spinner turns on this beat while no batches land, and draws the run's events. */
const FRAME_MS = 100;
/**
 * While batches land, they set the pace: a frame at most every 250 ms (four a second), drawn 15 ms after a batch
 * lands, when the next batch's statement runs in the database. Ink draws the whole screen for each frame (5-20 ms
 * of the main thread), which holds up the batch's short queries: at ten frames a second a million-row backfill
 * took 7% longer inside the TUI than headless; at four, under 1%.
 */
const DATA_FRAME_MS = 250;
const AFTER_BATCH_MS = 15;
/**
 * Other events wait at least this long for their frame, so that a burst is drawn once: the end of a data migration's
 * last step, its revision and the run come within ~10 ms, and the outcome's frame (drawn at once) takes them all.
 */
const GATHER_MS = 50;
/** Batches land at least this often while they set the pace; after a longer wait the beat takes over again. */
const BATCHES_PACE_MS = 1_000;

/** Events that only move the data bars: they skip the run's reducer. */
const DATA_ONLY = new Set(['batch:progress', 'batch:retry', 'data:step-start', 'data:paused', 'data:resumed', 'data:step-done']);

/**
 * Runs up or down through the core runner and turns its events into RunState, and a data migration's into its bars
 * (DataMigrationView); `onProgress` after each revision and at the end. Events wait for the next frame (the beat, or
 * a batch's frame, at most four a second while batches land) and the outcome comes with the frame that ends the run,
 * so a burst of events (the lock, the plan, a revision's start) costs one frame, not one each.
 */
export function useRun(
  project: Project,
  options: { lockTimeoutMs: number; onProgress: () => Promise<void>; onPlanChanged: (direction: Direction, target: string) => void },
) {
  const [state, dispatch] = useReducer(runReducer, idleRun);
  const tracker = useRef(new RunDataTracker());
  const [data, setData] = useState<DataMigrationView[]>([]);
  const [frame, setFrame] = useState(0);
  /** The run's events not drawn yet. */
  const queued = useRef<RunEvent[]>([]);
  /** Set by the run's events (and by p and c), cleared by the frame that draws them. */
  const dirty = useRef(false);
  const lastFrame = useRef(0);
  const lastBatch = useRef(Number.NEGATIVE_INFINITY);
  const pending = useRef<NodeJS.Timeout | undefined>(undefined);
  const unmounted = useRef(false);
  /** A frame now: the events so far, the bars as they are, the spinner's next step. */
  const draw = useCallback(() => {
    clearTimeout(pending.current);
    pending.current = undefined;
    lastFrame.current = performance.now();
    for (const event of queued.current.splice(0)) dispatch({ type: 'event', event });
    setFrame((n) => n + 1);
    if (!dirty.current) return;
    dirty.current = false;
    setData(tracker.current.views());
  }, []);
  /**
   * Something to draw, in a frame not within DATA_FRAME_MS of the last one (the beat may come first). After a batch
   * landed, it comes AFTER_BATCH_MS later, while the next batch's statement runs, or, when that is too soon, at a
   * later batch's landing (or the beat, should batches stop coming): a frame at any other moment may hold up a batch's
   * end or the queries between two batches. Other things wait at least GATHER_MS.
   */
  const schedule = useCallback(
    (afterBatch = false) => {
      dirty.current = true;
      if (pending.current || unmounted.current) return;
      const sinceFrame = performance.now() - lastFrame.current;
      if (!afterBatch) pending.current = setTimeout(draw, Math.max(GATHER_MS, DATA_FRAME_MS - sinceFrame));
      else if (sinceFrame + AFTER_BATCH_MS >= DATA_FRAME_MS) pending.current = setTimeout(draw, AFTER_BATCH_MS);
    },
    [draw],
  );
  useEffect(
    () => () => {
      unmounted.current = true;
      clearTimeout(pending.current);
    },
    [],
  );
  const runner = useRef<Runner | null>(null);
  const settled = useRef<Promise<void>>(Promise.resolve());
  const onProgress = useRef(options.onProgress);
  onProgress.current = options.onProgress;
  const onPlanChanged = useRef(options.onPlanChanged);
  onPlanChanged.current = options.onPlanChanged;

  const start = useCallback(
    (direction: Direction, target: string, planned: string[]) => {
      const r = project.runner();
      runner.current = r;
      dispatch({ type: 'start', direction, target, planned });
      queued.current = [];
      tracker.current = new RunDataTracker();
      setData([]);
      // The outcome shows only once the timeline above it has caught up: the read started by the last revision's
      // event already shows it, so the outcome waits for that one, not for a second read; another read follows
      // for what changed after it (the lock released).
      let lastRead: Promise<void> | undefined;
      r.events.on('event', (event) => {
        tracker.current.apply(event);
        if (DATA_ONLY.has(event.type)) lastBatch.current = performance.now();
        else queued.current.push(event);
        // A batch that reaches the step's total is about its last: the step's end, and the run's outcome when it is
        // the last, follow within milliseconds and draw it, so its own frame would only hold up that end.
        schedule(event.type === 'batch:progress' && (event.rowsTotal === null || event.rowsDone < event.rowsTotal));
        if (event.type === 'revision:done' || event.type === 'revision:failed') lastRead = onProgress.current().catch(() => undefined);
      });
      const caughtUp = async () => {
        await (lastRead ?? onProgress.current().catch(() => undefined));
        void onProgress.current().catch(() => undefined);
      };
      settled.current = r
        .run({ direction, target, confirmed: planned, lockTimeoutMs: options.lockTimeoutMs })
        .then(
          async (result) => {
            await caughtUp();
            draw();
            dispatch({ type: 'finished', result });
          },
          async (error: unknown) => {
            await caughtUp();
            draw();
            dispatch({ type: 'crashed', error });
            // Nothing ran: what was confirmed is no longer what would run. Show the new plan instead.
            if (error instanceof PlanChangedError) onPlanChanged.current(direction, target);
          },
        )
        .finally(() => {
          runner.current = null;
        });
    },
    [project, options.lockTimeoutMs, schedule, draw],
  );

  /** Asks the run to stop after the revision in progress. */
  const stop = useCallback(() => {
    runner.current?.stop();
    dispatch({ type: 'stop' });
  }, []);

  /** Pauses, resumes or cancels the data migration of this run (through the progress table, between batches). */
  const control = useCallback(
    async (action: DataControl): Promise<number> => {
      const view = tracker.current.views().find(controllable);
      if (!view) return 0;
      tracker.current.asked(view.revision, action);
      schedule();
      return project.controlDataMigration(view.revision, action);
    },
    [project, schedule],
  );

  const running = isRunning(state);
  // The spinner's beat, which also draws the run's events while no batches land (while they do, they draw).
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      const now = performance.now();
      if (now - lastBatch.current >= BATCHES_PACE_MS && now - lastFrame.current >= FRAME_MS - 5) draw();
    }, FRAME_MS);
    return () => clearInterval(timer);
  }, [running, draw]);

  /** True while the run waits for another run's lock, asked of the runner (not of the last frame): nothing of ours runs yet. */
  const waitingForLock = useCallback(() => runner.current?.waitingForLock ?? false, []);

  return { state, data, frame, start, stop, control, running, settled, waitingForLock };
}

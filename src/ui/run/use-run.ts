import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { DataControl } from '../../core/data/control.js';
import { PlanChangedError } from '../../core/errors.js';
import type { Direction } from '../../core/events.js';
import type { Project } from '../../core/project.js';
import type { Runner } from '../../core/runner.js';
import { controllable, type DataMigrationView, RunDataTracker } from '../data/data-view.js';
import { idleRun, isRunning, runReducer } from './run-state.js';

/** The run view's clock: its spinner turns on this beat while no batches land. */
const FRAME_MS = 100;
/**
 * While batches land, they set the pace: a frame at most every 250 ms (four a second), drawn shortly after a batch
 * lands, when the next batch's statement runs in the database. Ink draws the whole screen for each frame (10-20 ms of
 * the main thread here), which holds up the batch's short queries: at ten frames a second a million-row backfill
 * took 7% longer inside the TUI than headless; at four, under 1%.
 */
const DATA_FRAME_MS = 250;
const AFTER_BATCH_MS = 15;
/** Batches land at least this often while they set the pace; after a longer wait the beat takes over again. */
const BATCHES_PACE_MS = 1_000;

/** Events that only move the data bars: they skip the run's reducer and wait for their frame. */
const DATA_ONLY = new Set(['batch:progress', 'batch:retry', 'data:step-start', 'data:paused', 'data:resumed', 'data:step-done']);

/**
 * Runs up or down through the core runner and turns its events into RunState, and a data migration's into its bars
 * (DataMigrationView, at most four times a second); `onProgress` after each revision and at the end.
 */
export function useRun(
  project: Project,
  options: { lockTimeoutMs: number; onProgress: () => Promise<void>; onPlanChanged: (direction: Direction, target: string) => void },
) {
  const [state, dispatch] = useReducer(runReducer, idleRun);
  const tracker = useRef(new RunDataTracker());
  const [data, setData] = useState<DataMigrationView[]>([]);
  const [frame, setFrame] = useState(0);
  /** Set by data events, cleared by the frame that draws them. */
  const dirty = useRef(false);
  const lastFrame = useRef(0);
  const lastBatch = useRef(Number.NEGATIVE_INFINITY);
  const pending = useRef<NodeJS.Timeout | undefined>(undefined);
  const draw = useCallback(() => {
    lastFrame.current = performance.now();
    setFrame((n) => n + 1);
    if (!dirty.current) return;
    dirty.current = false;
    setData(tracker.current.views());
  }, []);
  /** A data event: its frame comes shortly after, and not within DATA_FRAME_MS of the last one. */
  const drawData = useCallback(() => {
    dirty.current = true;
    lastBatch.current = performance.now();
    if (pending.current) return;
    const wait = Math.max(AFTER_BATCH_MS, lastFrame.current + DATA_FRAME_MS - performance.now());
    pending.current = setTimeout(() => {
      pending.current = undefined;
      draw();
    }, wait);
  }, [draw]);
  /** Draws what is pending now: the outcome's frame shows the bars as the run left them. */
  const flush = useCallback(() => {
    clearTimeout(pending.current);
    pending.current = undefined;
    draw();
  }, [draw]);
  useEffect(() => () => clearTimeout(pending.current), []);
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
      tracker.current = new RunDataTracker();
      setData([]);
      // The outcome shows only once the timeline above it has caught up: the read started by the last revision's
      // event already shows it, so the outcome waits for that one, not for a second read; another read follows
      // for what changed after it (the lock released).
      let lastRead: Promise<void> | undefined;
      r.events.on('event', (event) => {
        tracker.current.apply(event);
        if (DATA_ONLY.has(event.type)) return drawData();
        dispatch({ type: 'event', event });
        if (event.type === 'data:cancelled' || event.type === 'revision:failed') drawData();
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
            flush();
            dispatch({ type: 'finished', result });
          },
          async (error: unknown) => {
            await caughtUp();
            flush();
            dispatch({ type: 'crashed', error });
            // Nothing ran: what was confirmed is no longer what would run. Show the new plan instead.
            if (error instanceof PlanChangedError) onPlanChanged.current(direction, target);
          },
        )
        .finally(() => {
          runner.current = null;
        });
    },
    [project, options.lockTimeoutMs, drawData, flush],
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
      drawData();
      return project.controlDataMigration(view.revision, action);
    },
    [project, drawData],
  );

  const running = isRunning(state);
  // The spinner's beat, between batches' frames: while batches land, they draw (and turn the spinner).
  useEffect(() => {
    if (!running) {
      draw();
      return;
    }
    const timer = setInterval(() => {
      const now = performance.now();
      if (now - lastBatch.current >= BATCHES_PACE_MS && now - lastFrame.current >= FRAME_MS - 5) draw();
    }, FRAME_MS);
    return () => clearInterval(timer);
  }, [running, draw]);

  return { state, data, frame, start, stop, control, running, settled };
}

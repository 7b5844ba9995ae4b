import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { DataControl } from '../../core/data/control.js';
import { PlanChangedError } from '../../core/errors.js';
import type { Direction } from '../../core/events.js';
import type { Project } from '../../core/project.js';
import type { Runner } from '../../core/runner.js';
import { controllable, type DataMigrationView, RunDataTracker } from '../data/data-view.js';
import { idleRun, isRunning, runReducer } from './run-state.js';

/** The run view's clock: its spinner turns and its data bars are drawn on this beat, whatever the rate of batches. */
const FRAME_MS = 100;

/** Events that only move the data bars: they skip the run's reducer and wait for the next beat. */
const DATA_ONLY = new Set(['batch:progress', 'batch:retry', 'data:step-start', 'data:paused', 'data:resumed', 'data:step-done']);

/**
 * Runs up or down through the core runner and turns its events into RunState, and a data migration's into its bars
 * (DataMigrationView, at most ten times a second); `onProgress` after each revision and at the end.
 */
export function useRun(
  project: Project,
  options: { lockTimeoutMs: number; onProgress: () => Promise<void>; onPlanChanged: (direction: Direction, target: string) => void },
) {
  const [state, dispatch] = useReducer(runReducer, idleRun);
  const tracker = useRef(new RunDataTracker());
  const [data, setData] = useState<DataMigrationView[]>([]);
  const [frame, setFrame] = useState(0);
  /** Set by data events, cleared by the next beat that draws them. */
  const dirty = useRef(false);
  const drawData = useCallback(() => {
    dirty.current = true;
  }, []);
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
      // The outcome shows only once the timeline has caught up with it: the read started by the last revision's
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
            dispatch({ type: 'finished', result });
          },
          async (error: unknown) => {
            await caughtUp();
            dispatch({ type: 'crashed', error });
            // Nothing ran: what was confirmed is no longer what would run. Show the new plan instead.
            if (error instanceof PlanChangedError) onPlanChanged.current(direction, target);
          },
        )
        .finally(() => {
          runner.current = null;
        });
    },
    [project, options.lockTimeoutMs, drawData],
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
  // One beat for the spinner and the bars: at most ten redraws a second, batched into one render.
  useEffect(() => {
    const beat = () => {
      setFrame((n) => n + 1);
      if (!dirty.current) return;
      dirty.current = false;
      setData(tracker.current.views());
    };
    if (!running) {
      beat();
      return;
    }
    const timer = setInterval(beat, FRAME_MS);
    return () => clearInterval(timer);
  }, [running]);

  return { state, data, frame, start, stop, control, running, settled };
}

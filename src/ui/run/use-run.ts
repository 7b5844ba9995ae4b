import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { type DataControl, type Direction, PlanChangedError, type Project, type RunEvent, type Runner } from '../../core/index.js';
import { controllable, type DataMigrationView, RunDataTracker } from '../data/data-view.js';
import { useLatest } from '../use-latest.js';
import { FramePacer } from './frame-pacer.js';
import { idleRun, isRunning, runReducer } from './run-state.js';

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
  const [pacer] = useState(
    () =>
      new FramePacer((dirty) => {
        for (const event of queued.current.splice(0)) dispatch({ type: 'event', event });
        setFrame((n) => n + 1);
        if (dirty) setData(tracker.current.views());
      }),
  );
  useEffect(() => () => pacer.stop(), [pacer]);
  const runner = useRef<Runner | null>(null);
  const settled = useRef<Promise<void>>(Promise.resolve());
  const onProgress = useLatest(options.onProgress);
  const onPlanChanged = useLatest(options.onPlanChanged);

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
        if (DATA_ONLY.has(event.type)) pacer.batchLanded();
        else queued.current.push(event);
        // A batch that reaches the step's total is about its last: the step's end, and the run's outcome when it is
        // the last, follow within milliseconds and draw it, so its own frame would only hold up that end.
        pacer.request(event.type === 'batch:progress' && (event.rowsTotal === null || event.rowsDone < event.rowsTotal));
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
            pacer.drawNow();
            dispatch({ type: 'finished', result });
          },
          async (error: unknown) => {
            await caughtUp();
            pacer.drawNow();
            dispatch({ type: 'crashed', error });
            // Nothing ran: what was confirmed is no longer what would run. Show the new plan instead.
            if (error instanceof PlanChangedError) onPlanChanged.current(direction, target);
          },
        )
        .finally(() => {
          runner.current = null;
        });
    },
    [project, options.lockTimeoutMs, pacer, onProgress, onPlanChanged],
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
      pacer.request();
      return project.controlDataMigration(view.revision, action);
    },
    [project, pacer],
  );

  const running = isRunning(state);
  // The spinner's beat, which also draws the run's events while no batches land (while they do, they draw).
  useEffect(() => {
    if (!running) return;
    pacer.startBeat();
    return () => pacer.stopBeat();
  }, [running, pacer]);

  /** True while the run waits for another run's lock, asked of the runner (not of the last frame): nothing of ours runs yet. */
  const waitingForLock = useCallback(() => runner.current?.waitingForLock ?? false, []);

  return { state, data, frame, start, stop, control, running, settled, waitingForLock };
}

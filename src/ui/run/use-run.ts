import { useCallback, useReducer, useRef } from 'react';
import { PlanChangedError } from '../../core/errors.js';
import type { Direction } from '../../core/events.js';
import type { Project } from '../../core/project.js';
import type { Runner } from '../../core/runner.js';
import { idleRun, isRunning, runReducer } from './run-state.js';

/** Runs up or down through the core runner and turns its events into RunState; `onProgress` after each revision and at the end. */
export function useRun(
  project: Project,
  options: { lockTimeoutMs: number; onProgress: () => Promise<void>; onPlanChanged: (direction: Direction, target: string) => void },
) {
  const [state, dispatch] = useReducer(runReducer, idleRun);
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
      r.events.on('event', (event) => {
        dispatch({ type: 'event', event });
        if (event.type === 'revision:done' || event.type === 'revision:failed') void onProgress.current();
      });
      // The outcome shows only once the timeline has caught up with it.
      const caughtUp = () => onProgress.current().catch(() => undefined);
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
    [project, options.lockTimeoutMs],
  );

  /** Asks the run to stop after the revision in progress. */
  const stop = useCallback(() => {
    runner.current?.stop();
    dispatch({ type: 'stop' });
  }, []);

  return { state, start, stop, running: isRunning(state), settled };
}

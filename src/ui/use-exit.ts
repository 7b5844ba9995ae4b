import type { EventEmitter } from 'node:events';
import { useCallback, useEffect, useState } from 'react';
import { useApp } from 'ink';
import type { FleetWatch } from '../core/fleet/fleet-watch.js';
import { rolloutTuiCode } from './fleet/use-fleet.js';
import type { useRun } from './run/use-run.js';
import { useLatest } from './use-latest.js';

/**
 * Leaving the app: at once when nothing runs; otherwise the run (and a fleet up) stops after its current revision and
 * the app leaves with the run's exit code (ctrl-c, SIGINT/SIGTERM, or q confirmed).
 */
export function useExit(
  run: ReturnType<typeof useRun>,
  onExit: (code: number, said?: string) => void,
  signals?: EventEmitter,
  fleet?: FleetWatch | null,
) {
  const { exit } = useApp();
  const [leaving, setLeaving] = useState(false);
  const leave = useCallback(
    /** `said`: a line left in the shell after the screen is gone. */
    (code: number, said?: string) => {
      onExit(code, said);
      exit();
    },
    [onExit, exit],
  );
  const rolling = fleet?.running ?? false;
  useEffect(() => {
    if (leaving && !run.running && !rolling) leave(run.state.exitCode ?? (fleet?.result ? rolloutTuiCode(fleet.result) : 0));
  }, [leaving, run.running, run.state.exitCode, leave, rolling, fleet]);

  /** Stops the run after its current revision, then leaves. */
  const leaveAfterRun = () => {
    if (fleet?.running) {
      // No further target starts; those running stop after their current revision, then the app leaves.
      fleet.stop();
      if (run.running) run.stop();
      return setLeaving(true);
    }
    if (!run.running) return leave(0);
    run.stop();
    // Still waiting for another run's lock: nothing of ours is running, leave now. Asked of the run itself, not of
    // the last frame: the lock may have come a moment ago, with its frame still to be drawn.
    if (run.waitingForLock()) return leave(0);
    setLeaving(true);
  };
  const latest = useLatest(leaveAfterRun);
  useEffect(() => {
    const on = () => latest.current();
    signals?.on('interrupt', on);
    return () => void signals?.off('interrupt', on);
  }, [signals, latest]);
  return { leaving, leave, leaveAfterRun };
}

import type { EventEmitter } from 'node:events';
import { useCallback, useEffect, useState } from 'react';
import { useApp } from 'ink';
import type { useRun } from './run/use-run.js';
import { useLatest } from './use-latest.js';

/**
 * Leaving the app: at once when nothing runs; otherwise the run stops after its current revision and the app
 * leaves with the run's exit code (ctrl-c, SIGINT/SIGTERM, or q confirmed).
 */
export function useExit(run: ReturnType<typeof useRun>, onExit: (code: number, said?: string) => void, signals?: EventEmitter) {
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
  useEffect(() => {
    if (leaving && !run.running) leave(run.state.exitCode ?? 0);
  }, [leaving, run.running, run.state.exitCode, leave]);

  /** Stops the run after its current revision, then leaves. */
  const leaveAfterRun = () => {
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

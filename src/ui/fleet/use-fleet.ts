import { useEffect, useState } from 'react';
import type { FleetWatch } from '../../core/fleet/fleet-watch.js';
import type { RolloutResult } from '../../core/fleet/rollout.js';
import { ExitCode } from '../../core/errors.js';
import { rolloutExitCode } from '../../core/fleet/rollout.js';

/** Changes are gathered into one frame at most this often: hundreds of targets read in a pass draw a few frames, not hundreds. */
const FRAME_MS = 100;

/** Re-renders with the fleet's changes (a reading, a rollout event), a burst of them gathered into one frame; returns whether it runs. */
export function useFleet(watch: FleetWatch | null): { version: number; running: boolean } {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!watch) return;
    let timer: NodeJS.Timeout | null = null;
    const off = watch.onChange(() => {
      timer ??= setTimeout(() => {
        timer = null;
        setVersion((v) => v + 1);
      }, FRAME_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [watch]);
  return { version, running: watch?.running ?? false };
}

/** The message once a fleet up ends: how many targets did what. */
export function rolloutLine(result: RolloutResult): string {
  const parts = [`${result.done.length} done`, `${result.failed.length} failed`, `${result.skipped.length} not started`];
  if (result.interrupted.length > 0) parts.push(`${result.interrupted.length} stopped part-way`);
  const first = result.failed[0];
  const why = first
    ? `; ${first.target}: ${first.failure.revision ? `${first.failure.revision} failed: ` : ''}${first.failure.message.split('\n')[0]}`
    : '';
  return `fleet up${result.stopped ? ' stopped' : ''}: ${parts.join(', ')}${why}`;
}

/** The app's exit code after a rollout it ran: 0 when none failed (a stop included, as for a run), else as fleet up's. */
export function rolloutTuiCode(result: RolloutResult): number {
  return result.failed.length === 0 ? ExitCode.ok : rolloutExitCode({ ...result, stopped: false });
}

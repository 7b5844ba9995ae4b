import { errorLine } from '../errors.js';
import type { LockHolder } from '../events.js';
import type { FleetTarget } from './targets.js';
import type { TargetOpener } from './rollout.js';

/** One target as `fleet status` shows it. */
export interface TargetStatus {
  target: string;
  /** The newest applied revision, null where nothing is applied. */
  current: string | null;
  pending: number;
  /** Who holds the target's run lock now. */
  lock: LockHolder | null;
  /** Data migrations of the target that failed (they resume on the next run), and revisions whose files are broken. */
  failed: string[];
  /** Why the target could not be read (then the rest is empty). */
  error?: string;
}

/** Reads every target (at most `concurrency` at once), each through its own project; a target that cannot be read says why. */
export async function fleetStatus(targets: FleetTarget[], open: TargetOpener, concurrency: number): Promise<TargetStatus[]> {
  const out: TargetStatus[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      out[i] = await targetStatus(targets[i], open);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, targets.length)) }, worker));
  return out;
}

async function targetStatus(target: FleetTarget, open: TargetOpener): Promise<TargetStatus> {
  const project = await open(target).catch((error: unknown) => error as Error);
  if (project instanceof Error) return { target: target.name, current: null, pending: 0, lock: null, failed: [], error: errorLine(project) };
  try {
    const [timeline, lock, data] = await Promise.all([project.timeline(), project.lockHolder(), project.dataMigrations()]);
    const failed = [
      ...data.filter((d) => d.status === 'failed').map((d) => d.revision),
      ...timeline.revisions.filter((r) => r.status === 'broken').map((r) => r.name),
    ];
    return { target: target.name, current: timeline.current ?? null, pending: timeline.pending, lock, failed };
  } catch (error) {
    return { target: target.name, current: null, pending: 0, lock: null, failed: [], error: errorLine(error) };
  } finally {
    await project.close().catch(() => undefined);
  }
}

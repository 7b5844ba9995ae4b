import { mapAtMost } from './at-most.js';

import { errorLine } from '../errors.js';
import type { DataMigrationProgress } from '../data/progress-report.js';
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

/** A target as the fleet screen reads it: its status, the names of its pending revisions, and a data migration running on it. */
export interface TargetReading extends TargetStatus {
  /** Pending revisions, oldest first: the first is the one a run applies next. */
  pendingNames: string[];
  /** A data migration marked running or paused there (by any process), with its rows. */
  data: DataMigrationProgress | null;
}

/** Reads every target (at most `concurrency` at once), each through its own project; a target that cannot be read says why. */
export async function fleetStatus(targets: FleetTarget[], open: TargetOpener, concurrency: number): Promise<TargetStatus[]> {
  const read = await readTargets(targets, open, concurrency);
  return read.map(({ target, current, pending, lock, failed, error }) => ({ target, current, pending, lock, failed, ...(error ? { error } : {}) }));
}

/** Reads every target as the fleet screen shows it, at most `concurrency` at once. */
export async function readTargets(targets: FleetTarget[], open: TargetOpener, concurrency: number): Promise<TargetReading[]> {
  return mapAtMost(targets, concurrency, (target) => readTarget(target, open));
}

/** One target, through a project of its own that closes after the read. */
export async function readTarget(target: FleetTarget, open: TargetOpener): Promise<TargetReading> {
  const unreadable = (error: unknown): TargetReading => ({
    target: target.name,
    current: null,
    pending: 0,
    lock: null,
    failed: [],
    error: errorLine(error),
    pendingNames: [],
    data: null,
  });
  const project = await open(target).catch((error: unknown) => error as Error);
  if (project instanceof Error) return unreadable(project);
  try {
    const [timeline, lock, data] = await Promise.all([project.timeline(), project.lockHolder(), project.dataMigrations()]);
    const failed = [
      ...data.filter((d) => d.status === 'failed').map((d) => d.revision),
      ...timeline.revisions.filter((r) => r.status === 'broken').map((r) => r.name),
    ];
    const pendingNames = timeline.revisions.filter((r) => r.status === 'pending').map((r) => r.name);
    const running = data.find((d) => (d.status === 'running' || d.status === 'paused') && !d.stale) ?? null;
    return { target: target.name, current: timeline.current ?? null, pending: timeline.pending, lock, failed, pendingNames, data: running };
  } catch (error) {
    return unreadable(error);
  } finally {
    await project.close().catch(() => undefined);
  }
}

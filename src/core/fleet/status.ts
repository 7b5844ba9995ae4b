import { mapAtMost } from './at-most.js';

import { loadProjectConfig, type ProjectOptions } from '../config.js';
import { Database } from '../database.js';
import { ConfigError, errorLine } from '../errors.js';
import type { Project } from '../project.js';
import { type ClaimRecord, type ClaimState, readClaims } from './claims.js';
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

/** One target of a shared rollout as `fleet status` of the rollout shows it. */
export interface RolloutTargetStatus {
  target: string;
  state: ClaimState;
  canary: boolean;
  /** The worker that holds it (running) or held it last (done, failed), as pid@host, and its full name. */
  worker: string | null;
  by: string | null;
  /** When it was last claimed (ISO-8601), and how long ago its worker's heartbeat (or its outcome) was written. */
  since: string | null;
  heartbeatAgeMs: number | null;
  /** Running, with a heartbeat older than the stale time: its worker is taken to be gone, another will take it over. */
  stale: boolean;
  attempts: number;
  done?: string[];
  failure?: ClaimRecord['failure'];
}

/** A shared rollout as its control database holds it. */
export interface RolloutStatus {
  rollout: string;
  plan: string;
  control: string;
  counts: Record<ClaimState, number>;
  targets: RolloutTargetStatus[];
}

/**
 * Reads the claims of the shared rollout `rollout` on its control database (`control`, a URL, else the configured
 * database), read only: each target's state, worker, since when, and its heartbeat's age by the database's clock.
 */
export async function rolloutStatus(
  base: Project,
  options: ProjectOptions,
  board: { rollout: string; control?: string; staleAfterMs: number },
): Promise<RolloutStatus> {
  const config = board.control ? await loadProjectConfig({ ...options, dbUrl: board.control, readOnly: true }) : base.config;
  const db = await Database.connect({ ...config, readOnly: true }, { single: true });
  try {
    const { plan, now, claims } = await readClaims(db, board.rollout);
    if (!plan)
      throw new ConfigError(
        `no fleet rollout "${board.rollout}" on ${config.displayUrl}`,
        'Check the name its workers were given, and where their claims live.',
      );
    const counts: Record<ClaimState, number> = { pending: 0, running: 0, done: 0, failed: 0 };
    for (const c of claims) counts[c.state]++;
    const targets = claims.map((c): RolloutTargetStatus => {
      const heartbeatAgeMs = c.heartbeatAt === null || c.state === 'pending' ? null : Math.max(0, now - c.heartbeatAt);
      return {
        target: c.target,
        state: c.state,
        canary: c.canary,
        worker: c.state === 'pending' ? null : c.worker,
        by: c.state === 'pending' || c.pid === null ? null : `${c.pid}@${c.host ?? '?'}`,
        since: c.state === 'pending' || c.claimedAt === null ? null : new Date(c.claimedAt).toISOString(),
        heartbeatAgeMs,
        stale: c.state === 'running' && (heartbeatAgeMs === null || heartbeatAgeMs > board.staleAfterMs),
        attempts: c.attempts,
        ...(c.done ? { done: c.done } : {}),
        ...(c.failure ? { failure: c.failure } : {}),
      };
    });
    return { rollout: board.rollout, plan, control: config.displayUrl, counts, targets };
  } finally {
    await db.close().catch(() => undefined);
  }
}

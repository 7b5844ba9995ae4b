import { mapAtMost } from './at-most.js';

import { errorLine, exitCodeOf } from '../errors.js';
import type { Direction } from '../events.js';
import type { RevisionPreview } from '../preview/preview.js';
import type { TargetOpener } from './rollout.js';
import type { FleetTarget } from './targets.js';

/** What `up TARGET` or `down TARGET` would run on one target of a fleet; nothing is changed to find out. */
export interface TargetPreview {
  target: string;
  /** The plan's revisions in order, each with its statements; it ends at the first that cannot run. */
  revisions: RevisionPreview[];
  /** Why the target could not be read or planned (then `revisions` is empty). */
  error?: string;
  /** The exit code that error alone would leave with (DESIGN §3). */
  exitCode?: number;
}

/** Every target's plan and SQL, read at most `concurrency` at once through read-only projects, in the fleet's order. */
export async function fleetPreviews(
  targets: FleetTarget[],
  open: TargetOpener,
  direction: Direction,
  revisionTarget: string | undefined,
  concurrency: number,
): Promise<TargetPreview[]> {
  return mapAtMost(targets, concurrency, (target) => targetPreview(target, open, direction, revisionTarget));
}

async function targetPreview(target: FleetTarget, open: TargetOpener, direction: Direction, revisionTarget?: string): Promise<TargetPreview> {
  const project = await open(target).catch((error: unknown) => error as Error);
  if (project instanceof Error) return { target: target.name, revisions: [], error: errorLine(project), exitCode: exitCodeOf(project) };
  try {
    const previews = await project.previewPlan(await project.plan(direction, revisionTarget));
    const broken = previews.findIndex((r) => r.error);
    return { target: target.name, revisions: broken < 0 ? previews : previews.slice(0, broken + 1) };
  } catch (error) {
    return { target: target.name, revisions: [], error: errorLine(error), exitCode: exitCodeOf(error) };
  } finally {
    await project.close().catch(() => undefined);
  }
}

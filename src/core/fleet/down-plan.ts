import { mapAtMost } from './at-most.js';

import { errorLine, exitCodeOf, MigrateUiError } from '../errors.js';
import type { Direction } from '../events.js';
import type { MeasuredLoss } from '../preview/preview.js';
import type { FleetTarget } from './targets.js';
import type { TargetOpener } from './rollout.js';

/** What `down TARGET` would revert on one target, and what that loses there; nothing is changed to find out. */
export interface TargetDownPlan {
  target: string;
  revisions: string[];
  losses: { revision: string; loss: MeasuredLoss }[];
  /** A revision of the plan that cannot be previewed (it cannot load, or its down() fails to build). */
  broken?: string;
}

/**
 * Each target's down plan and its data loss, read at most `concurrency` at once, in the fleet's order; a target
 * whose plan cannot be made (the revision is not applied there) throws, so nothing runs anywhere.
 */
export async function fleetDownPlans(
  targets: FleetTarget[],
  open: TargetOpener,
  revisionTarget: string | undefined,
  concurrency: number,
): Promise<TargetDownPlan[]> {
  const direction: Direction = 'down';
  return mapAtMost(targets, concurrency, async (target) => {
    const project = await open(target);
    try {
      const plan = await project.plan(direction, revisionTarget);
      const previews = await project.previewPlan(plan, { measure: true });
      const broken = previews.find((r) => r.error);
      return {
        target: target.name,
        revisions: plan.revisions.map((r) => r.name),
        losses: previews.flatMap((r) => r.losses.map((loss) => ({ revision: r.name, loss }))),
        ...(broken ? { broken: broken.error } : {}),
      };
    } catch (error) {
      throw new MigrateUiError(`fleet target ${target.name}: ${errorLine(error)}`, exitCodeOf(error), (error as { hint?: string }).hint);
    } finally {
      await project.close().catch(() => undefined);
    }
  });
}

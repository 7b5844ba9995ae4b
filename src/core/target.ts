import type { Direction } from './events.js';
import { UsageError } from './errors.js';
import { halfwayRefusal, inPlay, replacedTarget } from './squash.js';
import { inAppliedOrder, isApplied, type Revision, type Timeline } from './timeline.js';

/** What a run will do: the revisions to apply or revert, in the order they run. */
export interface Plan {
  direction: Direction;
  revisions: Revision[];
}

/** The part of a revision name after MikroORM's `Migration<timestamp>_` prefix: `add_feature_slug`. */
function slugOf(name: string): string {
  return name.replace(/^Migration\d+_?/, '');
}

/** Finds one revision by exact name or exact slug (they win), then by unique prefix or unique substring. */
export function findRevision(timeline: Timeline, query: string): Revision {
  const all = timeline.revisions;
  const exact = all.find((r) => r.name === query) ?? all.find((r) => slugOf(r.name) === query);
  if (exact) return exact;
  for (const match of [(r: Revision) => r.name.startsWith(query), (r: Revision) => r.name.includes(query)]) {
    const found = all.filter(match);
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      const names = found
        .slice(0, 3)
        .map((r) => r.name)
        .join(', ');
      throw new UsageError(`target "${query}" is ambiguous: ${names}${found.length > 3 ? ', …' : ''}`, 'Give more of the name.');
    }
  }
  throw new UsageError(`no revision matches "${query}"`, 'The status command lists the revision names.');
}

function count(target: string, sign: '+' | '-'): number | undefined {
  const m = new RegExp(`^\\${sign}(\\d+)$`).exec(target);
  return m ? Number(m[1]) : undefined;
}

export interface PlanOptions {
  /** Applies pending revisions that sort below the newest applied one (from a merged branch); refused otherwise. */
  allowOutOfOrder?: boolean;
  /**
   * The plan writes records only (stamp): a revision from a merged branch may be marked applied, and one whose file
   * is missing may be forgotten.
   */
  recordsOnly?: boolean;
}

/**
 * Resolves a TARGET (DESIGN §3) against the timeline into the revisions to run, in order. Up applies pending revisions
 * in name order; a plan that holds one from a merged branch (below the newest applied) is refused unless
 * `allowOutOfOrder`. Down reverts in the order the revisions were applied, the last one first, as their history says.
 */
export function planFor(whole: Timeline, direction: Direction, target?: string, options: PlanOptions = {}): Plan {
  // Revisions a squash in effect replaces (and a squash whose range is half applied) are never planned.
  const timeline = whole.revisions.every(inPlay) ? whole : inPlayOnly(whole, target);
  let plan: Plan;
  if (direction === 'up') {
    plan = { direction, revisions: upTo(timeline, target ?? 'head') };
    const early = plan.revisions.find((r) => r.outOfOrder);
    if (early && !options.allowOutOfOrder && !options.recordsOnly) throw outOfOrder(early, timeline);
  } else plan = { direction, revisions: downTo(timeline, target ?? '-1', options.recordsOnly) };
  const halfway = timeline === whole ? undefined : halfwayRefusal(whole.revisions, direction, plan.revisions);
  if (halfway) throw halfway;
  return plan;
}

/** The timeline a run plans on: without what squashes replace; a target naming a replaced revision is refused. */
function inPlayOnly(whole: Timeline, target: string | undefined): Timeline {
  if (target !== undefined && !/^([+-]\d+|head|base|0)$/.test(target)) {
    const named = findRevision(whole, target);
    if (named.replacedBy) throw replacedTarget(named);
  }
  return { ...whole, revisions: whole.revisions.filter(inPlay) };
}

function upTo(timeline: Timeline, t: string): Revision[] {
  const revisions = timeline.revisions;
  const pending = revisions.filter((r) => !isApplied(r));
  if (t === 'head' || t === 'base' || t === '0') return pending;
  if (count(t, '-') !== undefined) throw new UsageError(`up takes +N, not ${t}`, 'To revert, go down by N instead.');
  const n = count(t, '+');
  if (n !== undefined) return pending.slice(0, n);
  const goal = findRevision(timeline, t);
  if (goal.status === 'missing') throw new UsageError(`${goal.name} is applied but its file is missing`);
  if (isApplied(goal)) return [];
  const index = revisions.indexOf(goal);
  return pending.filter((r) => revisions.indexOf(r) <= index);
}

/** The refusal of a plan that would apply `early` after newer revisions: one line for what, one for what to do. */
function outOfOrder(early: Revision, timeline: Timeline): UsageError {
  const others = timeline.revisions.filter((r) => r.outOfOrder).length - 1;
  const more = others > 0 ? ` (and ${others} more)` : '';
  return new UsageError(
    `${early.name}${more} is pending below ${timeline.current}, the newest applied revision: it came from a merged branch`,
    'Apply it after the newer ones with --allow-out-of-order, or rename it to sort after them.',
  );
}

function downTo(timeline: Timeline, t: string, recordsOnly = false): Revision[] {
  const revisions = timeline.revisions;
  const applied = inAppliedOrder(revisions).reverse();
  if (t === 'head') return [];
  if (count(t, '+') !== undefined) throw new UsageError(`down takes -N, not ${t}`, 'To apply, go up by N instead.');
  let chosen: Revision[];
  const n = count(t, '-');
  if (t === 'base' || t === '0') chosen = applied;
  else if (n !== undefined) chosen = applied.slice(0, n);
  else {
    const goal = findRevision(timeline, t);
    if (!isApplied(goal)) throw new UsageError(`${goal.name} is not applied`, 'down X reverts what was applied after X; pick an applied revision.');
    // Everything applied after it, as its history says (by name, where the history is in name order).
    chosen = applied.slice(0, applied.indexOf(goal));
  }
  const lost = recordsOnly ? undefined : chosen.find((r) => r.status === 'missing');
  if (lost) throw new UsageError(`cannot revert ${lost.name}: its file is missing`, 'Restore the file from version control first.');
  return chosen;
}

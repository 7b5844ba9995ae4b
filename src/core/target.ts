import type { Direction } from './events.js';
import { UsageError } from './errors.js';
import { isApplied, type Revision, type Timeline } from './timeline.js';

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

/** Resolves a TARGET (DESIGN §3) against the timeline into the revisions to run, in order. */
export function planFor(timeline: Timeline, direction: Direction, target?: string): Plan {
  const revisions = timeline.revisions;
  if (direction === 'up') {
    const pending = revisions.filter((r) => !isApplied(r));
    const t = target ?? 'head';
    if (t === 'head' || t === 'base' || t === '0') return { direction, revisions: pending };
    if (count(t, '-') !== undefined) throw new UsageError(`up takes +N, not ${t}`, 'To revert, go down by N instead.');
    const n = count(t, '+');
    if (n !== undefined) return { direction, revisions: pending.slice(0, n) };
    const goal = findRevision(timeline, t);
    if (goal.status === 'missing') throw new UsageError(`${goal.name} is applied but its file is missing`);
    if (isApplied(goal)) return { direction, revisions: [] };
    const index = revisions.indexOf(goal);
    return { direction, revisions: pending.filter((r) => revisions.indexOf(r) <= index) };
  }
  const applied = revisions.filter(isApplied).reverse();
  const t = target ?? '-1';
  if (t === 'head') return { direction, revisions: [] };
  if (count(t, '+') !== undefined) throw new UsageError(`down takes -N, not ${t}`, 'To apply, go up by N instead.');
  let chosen: Revision[];
  const n = count(t, '-');
  if (t === 'base' || t === '0') chosen = applied;
  else if (n !== undefined) chosen = applied.slice(0, n);
  else {
    const goal = findRevision(timeline, t);
    if (!isApplied(goal)) throw new UsageError(`${goal.name} is not applied`, 'down X reverts what was applied after X; pick an applied revision.');
    const index = revisions.indexOf(goal);
    chosen = applied.filter((r) => revisions.indexOf(r) > index);
  }
  const lost = chosen.find((r) => r.status === 'missing');
  if (lost) throw new UsageError(`cannot revert ${lost.name}: its file is missing`, 'Restore the file from version control first.');
  return { direction, revisions: chosen };
}

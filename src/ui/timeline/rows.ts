import type { Revision, Timeline } from '../../core/index.js';

/** The key of the row below every revision: the empty database. */
export const BASE = '<base>';

/** One line of the timeline: a revision, or the base row at the top (shown when nothing filters the list). */
export type Row = { key: string; revision: Revision } | { key: typeof BASE; revision: null };

/** The rows to show, oldest first: base, then every revision whose name, state or kind contains the filter. */
export function visibleRows(timeline: Timeline | null, filter: string): Row[] {
  if (!timeline) return [];
  const needle = filter.trim().toLowerCase();
  if (!needle) return [{ key: BASE, revision: null }, ...timeline.revisions.map((r) => ({ key: r.name, revision: r }))];
  return timeline.revisions
    .filter((r) => `${r.name} ${r.status} ${r.kind}`.toLowerCase().includes(needle))
    .map((r) => ({ key: r.name, revision: r }));
}

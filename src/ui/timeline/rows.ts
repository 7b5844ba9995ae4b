import type { DataMigrationProgress, Revision, Timeline } from '../../core/index.js';

/** The key of the row below every revision: the empty database. */
export const BASE = '<base>';

/** One line of the timeline: a revision, or the base row at the top (shown when nothing filters the list). */
export type Row =
  | { key: string; revision: Revision; checkpoint?: DataMigrationProgress }
  | { key: typeof BASE; revision: null; checkpoint?: undefined };

/** The rows to show, oldest first: base, then every revision whose name, state or kind contains the filter. */
export function visibleRows(timeline: Timeline | null, filter: string, checkpoints?: ReadonlyMap<string, DataMigrationProgress>): Row[] {
  if (!timeline) return [];
  const needle = filter.trim().toLowerCase();
  // A pending data migration stopped short of its end (cancelled at 27%) carries its checkpoint.
  const row = (r: Revision): Row => ({ key: r.name, revision: r, checkpoint: checkpoints?.get(r.name) });
  if (!needle) return [{ key: BASE, revision: null }, ...timeline.revisions.map(row)];
  return timeline.revisions.filter((r) => `${r.name} ${r.status} ${r.kind}`.toLowerCase().includes(needle)).map(row);
}

import type { AppliedRevision } from './history.js';
import type { RevisionFile, RevisionKind } from './revisions.js';

/** applied: in the table and on disk; pending: on disk only; missing: applied, file gone; modified: applied, file changed; broken: pending and cannot load. */
export type RevisionStatus = 'applied' | 'pending' | 'missing' | 'modified' | 'broken';

export interface Revision {
  name: string;
  status: RevisionStatus;
  appliedAt: Date | null;
  kind: RevisionKind;
  /** Null for a missing revision. */
  path: string | null;
  /** match / differs from what was applied, unknown when another tool applied it, null when not applied. */
  checksum: 'match' | 'differs' | 'unknown' | null;
  /** Why the file cannot load, where it cannot. */
  error?: string;
}

export interface Timeline {
  /** In the order they apply: oldest first. */
  revisions: Revision[];
  /** The last applied revision, or null at base. */
  current: string | null;
  pending: number;
}

/** Whether a revision is recorded in the database (applied, modified or missing). */
export function isApplied(revision: Revision): boolean {
  return revision.status === 'applied' || revision.status === 'modified' || revision.status === 'missing';
}

/** Joins the files on disk with what the database recorded. */
export function buildTimeline(files: RevisionFile[], applied: AppliedRevision[]): Timeline {
  const appliedByName = new Map(applied.map((a) => [a.name, a]));
  const revisions: Revision[] = files.map((file) => {
    const record = appliedByName.get(file.name);
    appliedByName.delete(file.name);
    if (!record) {
      return {
        name: file.name,
        status: file.error ? 'broken' : 'pending',
        appliedAt: null,
        kind: file.kind,
        path: file.path,
        checksum: null,
        ...(file.error ? { error: file.error } : {}),
      };
    }
    const checksum = record.checksum === null ? 'unknown' : record.checksum === file.checksum ? 'match' : 'differs';
    return {
      name: file.name,
      status: checksum === 'differs' ? 'modified' : 'applied',
      appliedAt: record.appliedAt,
      kind: file.kind,
      path: file.path,
      checksum,
      ...(file.error ? { error: file.error } : {}),
    };
  });
  for (const record of appliedByName.values()) {
    revisions.push({ name: record.name, status: 'missing', appliedAt: record.appliedAt, kind: 'schema', path: null, checksum: 'unknown' });
  }
  revisions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const current = revisions.filter(isApplied).at(-1)?.name ?? null;
  const pending = revisions.filter((r) => r.status === 'pending' || r.status === 'broken').length;
  return { revisions, current, pending };
}

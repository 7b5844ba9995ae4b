import type { AppliedRevision } from './history.js';
import type { RevisionFile, RevisionKind } from './revisions.js';
import { foldSquashes, inPlay } from './squash.js';

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
  /** Applied revisions: their place in the order they were applied (MikroORM's table's order), from 0. */
  appliedOrder?: number;
  /**
   * Pending revisions that sort below the newest applied one: they came from a branch merged after that one was
   * applied. Applying them runs them out of order, so a run asks for that (see planFor).
   */
  outOfOrder?: true;
  /** A squashed revision: the revisions it replaces, as its file names them (see squash.ts). */
  replaces?: string[];
  /** A revision a squash in effect replaces: a run skips it. */
  replacedBy?: string;
  /** A squash whose range this database has half applied (these of it): a run leaves it out until the range is whole or gone. */
  partial?: string[];
  /** A squash shown applied because every revision it replaces is; the next run records it. */
  virtual?: true;
}

export interface Timeline {
  /** In the order they apply: oldest first. */
  revisions: Revision[];
  /** The last applied revision, or null at base. */
  current: string | null;
  pending: number;
}

/** The applied revisions in the order they were applied, the first one first. */
export function inAppliedOrder(revisions: Revision[]): Revision[] {
  return revisions
    .filter(isApplied)
    .map((revision, i) => ({ revision, at: revision.appliedOrder ?? i }))
    .sort((a, b) => a.at - b.at)
    .map(({ revision }) => revision);
}

/** Whether a revision is recorded in the database (applied, modified or missing). */
export function isApplied(revision: Revision): boolean {
  return revision.status === 'applied' || revision.status === 'modified' || revision.status === 'missing';
}

/** Joins the files on disk with what the database recorded. */
export function buildTimeline(files: RevisionFile[], applied: AppliedRevision[]): Timeline {
  const appliedByName = new Map(applied.map((a) => [a.name, a]));
  const order = new Map(applied.map((a, i) => [a.name, i]));
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
        ...(file.replaces ? { replaces: file.replaces } : {}),
      };
    }
    const checksum = record.checksum === null ? 'unknown' : record.checksum === file.checksum ? 'match' : 'differs';
    return {
      name: file.name,
      status: checksum === 'differs' ? 'modified' : 'applied',
      appliedAt: record.appliedAt,
      appliedOrder: order.get(file.name),
      kind: file.kind,
      path: file.path,
      checksum,
      ...(file.error ? { error: file.error } : {}),
      ...(file.replaces ? { replaces: file.replaces } : {}),
    };
  });
  for (const record of appliedByName.values()) {
    const appliedOrder = order.get(record.name);
    revisions.push({
      name: record.name,
      status: 'missing',
      appliedAt: record.appliedAt,
      appliedOrder,
      kind: 'schema',
      path: null,
      checksum: 'unknown',
    });
  }
  revisions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (files.some((f) => f.replaces)) foldSquashes(revisions);
  const current = revisions.filter(isApplied).at(-1)?.name ?? null;
  if (current !== null) for (const r of revisions) if (!isApplied(r) && r.name < current && inPlay(r)) r.outOfOrder = true;
  const pending = revisions.filter((r) => (r.status === 'pending' || r.status === 'broken') && inPlay(r)).length;
  return { revisions, current, pending };
}

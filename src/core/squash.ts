import { UsageError } from './errors.js';
import type { Revision } from './timeline.js';

// A squashed revision names the revisions it replaces in a comment line of its file, read as text (never by running
// the file): ` * @migrate-ui replaces ["Migration…_a","Migration…_b"]`.
export const REPLACES_MARKER = '@migrate-ui replaces ';

const REPLACES_LINE = /@migrate-ui replaces (\[[^\n]*\])/;

/** The names a squashed revision's text says it replaces; undefined for any other file (or a list that does not read). */
export function replacesOf(source: string): string[] | undefined {
  if (!source.includes(REPLACES_MARKER)) return undefined;
  const line = REPLACES_LINE.exec(source)?.[1];
  if (!line) return undefined;
  try {
    const names = JSON.parse(line) as unknown;
    return Array.isArray(names) && names.length > 0 && names.every((n) => typeof n === 'string') ? names : undefined;
  } catch {
    return undefined;
  }
}

/** The comment line that marks a revision as replacing `names`, as replacesOf() reads it. */
export function replacesLine(names: string[]): string {
  return `${REPLACES_MARKER}${JSON.stringify(names)}`;
}

/**
 * Folds each squashed revision into the timeline (revisions in name order, with `replaces` set from their files):
 * - recorded itself: applied as any revision; the ones it replaces are `replacedBy` it (their records, if any, kept);
 * - not recorded, every one it replaces recorded: applied (`virtual` until a run records it under the lock);
 * - not recorded, none it replaces recorded: pending, and they are `replacedBy` it (a run skips them);
 * - not recorded, some recorded: `partial` (a run leaves it out and refuses to stay half-way); the originals run.
 * A squash that is applied takes the place in the applied order of the last one it replaces, so `down` reverts it there.
 */
export function foldSquashes(revisions: Revision[]): void {
  const byName = new Map(revisions.map((r) => [r.name, r]));
  for (const squash of revisions) {
    if (!squash.replaces || squash.status === 'broken') continue;
    const replaced = squash.replaces.map((name) => byName.get(name)).filter((r): r is Revision => r !== undefined && r !== squash);
    const recorded = replaced.filter(isRecorded);
    const recordedItself = isRecorded(squash);
    if (!recordedItself && recorded.length > 0 && recorded.length < squash.replaces.length) {
      squash.partial = recorded.map((r) => r.name);
      continue;
    }
    for (const r of replaced) r.replacedBy = squash.name;
    if (recorded.length === 0) continue;
    const last = recorded.reduce((a, b) => ((b.appliedOrder ?? 0) > (a.appliedOrder ?? 0) ? b : a));
    squash.appliedOrder = last.appliedOrder;
    if (recordedItself) continue;
    squash.status = 'applied';
    squash.appliedAt = last.appliedAt;
    squash.checksum = 'unknown';
    squash.virtual = true;
  }
}

function isRecorded(r: Revision): boolean {
  return r.status === 'applied' || r.status === 'modified' || r.status === 'missing';
}

/** Whether a run may plan this revision: not replaced by a squash in effect, and not a squash that waits for its range. */
export function inPlay(r: Revision): boolean {
  return r.replacedBy === undefined && r.partial === undefined;
}

/**
 * The refusal of a plan that would leave a squashed range half-applied: with some of the revisions a squash replaces
 * applied, a run must bring the database to the last of them, or back to before the first.
 */
export function halfwayRefusal(revisions: Revision[], direction: 'up' | 'down', planned: Revision[]): UsageError | undefined {
  const names = new Set(planned.map((r) => r.name));
  for (const squash of revisions) {
    const { partial, replaces } = squash;
    if (!partial || !replaces) continue;
    const after = replaces.filter((name) =>
      direction === 'up' ? partial.includes(name) || names.has(name) : partial.includes(name) && !names.has(name),
    );
    if (after.length === 0 || after.length === replaces.length) continue;
    const first = replaces[0];
    const last = replaces.at(-1)!;
    return new UsageError(
      `the database has ${partial.length} of the ${replaces.length} revisions ${squash.name} replaces applied, and this run would leave it half-way`,
      `Bring it to ${last} (up ${last}) or back to before ${first} first; then ${squash.name} takes their place.`,
    );
  }
  return undefined;
}

/** A revision a target names that a squash in effect replaces: the refusal that says which squash to name instead. */
export function replacedTarget(revision: Revision): UsageError {
  return new UsageError(
    `${revision.name} is replaced by ${revision.replacedBy}`,
    `Name ${revision.replacedBy} instead: it applies and reverts the whole range at once.`,
  );
}

/**
 * The files of the revisions a squash replaces that are still on disk, when this database no longer needs them (every
 * one is applied or replaced here, none half-way); empty otherwise.
 */
export function deletableFiles(squash: Revision, revisions: Revision[]): string[] {
  if (!squash.replaces || squash.partial || squash.status === 'broken') return [];
  return revisions.filter((r) => r.replacedBy === squash.name && r.path !== null).map((r) => r.name);
}

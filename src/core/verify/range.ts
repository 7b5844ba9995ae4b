import { UsageError } from '../errors.js';
import { inPlay } from '../squash.js';
import { findRevision } from '../target.js';
import { isApplied, type Revision, type Timeline } from '../timeline.js';

/**
 * The revisions a RANGE names, oldest first, from the files on disk: none given, every pending one; `A..B` from A to
 * B inclusive (`base` or nothing before `..` is the first, `head` or nothing after it the last); a single revision, itself.
 */
export function revisionsInRange(timeline: Timeline, range?: string): Revision[] {
  // What a squash replaces is never run (nor a squash that waits for its range): the squash is proven in their place.
  const files = timeline.revisions.filter((r) => r.status !== 'missing' && inPlay(r));
  if (range === undefined) return files.filter((r) => !isApplied(r));
  const find = (query: string, end: 'first' | 'last'): number => {
    if (query === 'base' || (query === '' && end === 'first')) return 0;
    if (query === 'head' || query === '') return files.length - 1;
    return files.indexOf(findRevision({ ...timeline, revisions: files }, query));
  };
  if (!range.includes('..')) return [files[find(range, 'first')]].filter(Boolean);
  const [from, to, ...rest] = range.split('..');
  if (rest.length) throw new UsageError(`range "${range}" has more than one ..`, 'Write it FROM..TO, e.g. base..head.');
  const first = find(from, 'first');
  const last = find(to, 'last');
  if (first > last) throw new UsageError(`range "${range}" runs backwards: ${files[first].name} comes after ${files[last].name}`);
  return files.slice(first, last + 1);
}

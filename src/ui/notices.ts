import type { LockHolder, Timeline } from '../core/index.js';
import { clockTime } from './format.js';
import type { Notice } from './message-bar.js';

interface Sources {
  /** The answer to the last key, if it still stands. */
  notice: Notice | null;
  readError: string | null;
  lockHolder: LockHolder | null;
  /** Our own run holds the lock: not worth a warning. */
  running: boolean;
  timeline: Timeline | null;
}

/** The one message to show now: the last answer, then a read error, then a lock held elsewhere, then broken files. */
export function currentNotice({ notice, readError, lockHolder, running, timeline }: Sources): Notice | null {
  if (notice) return notice;
  if (readError) return { kind: 'error', text: `cannot read the database: ${readError} — retrying every second` };
  if (lockHolder && !running) {
    const h = lockHolder;
    return { kind: 'warning', text: `another run holds the lock (pid ${h.pid} on ${h.host} since ${clockTime(h.since)}); u and d will wait for it` };
  }
  const broken = timeline?.revisions.filter((r) => r.error) ?? [];
  if (broken.length === 1) return { kind: 'warning', text: `${broken[0].name} cannot load: ${broken[0].error}` };
  if (broken.length > 1) return { kind: 'warning', text: `${broken.length} revisions cannot load; the first: ${broken[0].name}: ${broken[0].error}` };
  return null;
}

import type { LockHolder } from '../core/events.js';
import { LiveTimeline } from '../core/live-timeline.js';
import type { Project } from '../core/project.js';
import type { Timeline } from '../core/timeline.js';

/** A timeline read before the app mounted (while Ink loads), with the LiveTimeline that read it. No React in here. */
export interface FirstRead {
  live: LiveTimeline;
  timeline: Timeline;
  lockHolder: LockHolder | null;
}

/** Reads the timeline and the lock holder once, for the first frame. */
export async function firstRead(project: Project): Promise<FirstRead> {
  const live = new LiveTimeline(project.db);
  const [timeline, lockHolder] = await Promise.all([live.read(), project.lockHolder()]);
  return { live, timeline, lockHolder };
}

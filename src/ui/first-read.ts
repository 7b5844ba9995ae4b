import type { LockHolder, Project, Timeline } from '../core/index.js';

/** A timeline read before the app mounted (while Ink loads), with the LiveTimeline that read it. No React in here. */
export interface FirstRead {
  live: import('../core/live-timeline.js').LiveTimeline;
  timeline: Timeline;
  lockHolder: LockHolder | null;
}

/** Reads the timeline and the lock holder once, for the first frame, and seeds the live timeline with them. */
export async function firstRead(project: Project): Promise<FirstRead> {
  const live = project.live();
  const [timeline, lockHolder] = await Promise.all([live.read(), project.lockHolder()]);
  live.seed({ timeline, lockHolder, error: null });
  return { live, timeline, lockHolder };
}

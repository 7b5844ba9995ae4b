import { useCallback, useEffect, useRef, useState } from 'react';
import type { LiveState, Project } from '../core/index.js';
import type { FirstRead } from './first-read.js';

/** The core's live timeline as React state: re-renders only when something visible changed. */
export function useLiveTimeline(project: Project, options: { paused: boolean; first?: FirstRead }) {
  const live = useRef(options.first?.live ?? project.live()).current;
  const [state, setState] = useState<LiveState>(() => live.state);
  live.pause(options.paused);
  useEffect(() => live.subscribe(setState), [live]);
  /** Reads now (after the read in flight); `files` lists the migrations folder again. */
  const refresh = useCallback((files = false) => live.refresh({ files }), [live]);
  return { ...state, refresh };
}

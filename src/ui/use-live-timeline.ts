import { watch, type FSWatcher } from 'node:fs';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LockHolder } from '../core/events.js';
import { LiveTimeline } from '../core/live-timeline.js';
import type { Project } from '../core/project.js';
import type { Timeline } from '../core/timeline.js';
import type { FirstRead } from './first-read.js';
import { maskPasswords } from '../core/url.js';

export interface LiveState {
  timeline: Timeline | null;
  lockHolder: LockHolder | null;
  /** Why the last read failed; null once a read succeeds again. */
  error: string | null;
}

export const POLL_MS = 1000;
/** With a working file watcher, stat the folder only every few polls (the watcher catches edits at once). */
const STAT_EVERY = 5;

/** A stable text for a timeline: equal when nothing a person could see has changed. */
export function timelineSignature(t: Timeline): string {
  const rows = t.revisions.map((r) => `${r.name}|${r.status}|${r.appliedAt?.getTime() ?? ''}|${r.kind}|${r.checksum}|${r.path}|${r.error ?? ''}`);
  return `${t.current}\n${rows.join('\n')}`;
}

/**
 * Keeps the timeline live: polls about once a second and re-reads at once when a migration file changes.
 * State changes only when something visible changed, so an idle screen is never redrawn.
 */
export function useLiveTimeline(project: Project, options: { paused: boolean; first?: FirstRead }) {
  const [state, setState] = useState<LiveState>(() => ({
    timeline: options.first?.timeline ?? null,
    lockHolder: options.first?.lockHolder ?? null,
    error: null,
  }));
  const live = useRef(options.first?.live ?? new LiveTimeline(project.db)).current;
  const busy = useRef<Promise<void> | null>(null);
  const wanted = useRef<{ checkFiles: boolean } | null>(null);
  const paused = useRef(options.paused);
  paused.current = options.paused;
  const signature = useRef(options.first ? `${timelineSignature(options.first.timeline)}\n${JSON.stringify(options.first.lockHolder)}` : '');

  const read = useCallback(
    async (checkFiles: boolean) => {
      try {
        const [timeline, lockHolder] = await Promise.all([live.read({ checkFiles }), project.lockHolder()]);
        const next = `${timelineSignature(timeline)}\n${JSON.stringify(lockHolder)}`;
        const changed = next !== signature.current;
        signature.current = next;
        setState((s) => (changed || s.error ? { timeline, lockHolder, error: null } : s));
      } catch (error) {
        // While our own run holds the connection, a slow read is not an outage.
        if (paused.current) return;
        const message = maskPasswords(error instanceof Error ? error.message.split('\n')[0] : String(error));
        setState((s) => (s.error === message ? s : { ...s, error: message }));
      }
    },
    [live, project],
  );

  /** Reads now, or right after the read in flight; `files` forces the folder to be listed again. */
  const refresh = useCallback(
    (files = false, checkFiles = false): Promise<void> => {
      if (files) live.invalidate();
      wanted.current = { checkFiles: checkFiles || Boolean(wanted.current?.checkFiles) };
      busy.current ??= (async () => {
        for (let next = wanted.current; next; next = wanted.current) {
          wanted.current = null;
          await read(next.checkFiles);
        }
        busy.current = null;
      })();
      return busy.current;
    },
    [live, read],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `first` matters only at mount
  useEffect(() => {
    let watcher: FSWatcher | undefined;
    let debounce: NodeJS.Timeout | undefined;
    try {
      watcher = watch(live.migrationsDir, () => {
        live.invalidate();
        clearTimeout(debounce);
        debounce = setTimeout(() => void refresh(), 100);
      });
      watcher.on('error', () => (watcher = undefined));
    } catch {
      watcher = undefined; // No folder yet, or no watcher here: the poll stats the files instead.
    }
    let tick = 0;
    const timer = setInterval(() => {
      if (paused.current || busy.current) return;
      tick++;
      void refresh(false, !watcher || tick % STAT_EVERY === 0);
    }, POLL_MS);
    if (!options.first) void refresh(true);
    return () => {
      clearInterval(timer);
      clearTimeout(debounce);
      watcher?.close();
    };
    // `first` matters only at mount: it is not a dependency.
  }, [live, read, refresh]);

  return { ...state, refresh };
}

import { useEffect, useState } from 'react';
import type { DataMigrationProgress, Project } from '../../core/index.js';

const NONE: ReadonlyMap<string, DataMigrationProgress> = new Map();

/**
 * The data migrations among `revisions` (pending ones) that stopped short of their end, read from `migrate_ui_progress`
 * whenever `revisions` or `token` changes (a refreshed timeline): what checkpointText puts in words.
 */
export function useCheckpoints(project: Project, revisions: readonly string[], token?: unknown): ReadonlyMap<string, DataMigrationProgress> {
  const [found, setFound] = useState(NONE);
  const key = revisions.join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is `revisions` by value; `token` asks for a new read
  useEffect(() => {
    if (key === '') {
      setFound(NONE);
      return;
    }
    let gone = false;
    const wanted = new Set(key.split('\n'));
    project.dataMigrations().then(
      (all) => {
        if (!gone) setFound(new Map(all.filter((p) => wanted.has(p.revision) && p.status !== 'done').map((p) => [p.revision, p])));
      },
      // Unreadable (no table yet, a lost connection): the timeline says so elsewhere; no checkpoint to show.
      () => undefined,
    );
    return () => {
      gone = true;
    };
  }, [project, key, token]);
  return found;
}

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
        if (gone) return;
        const next = new Map(all.filter((p) => wanted.has(p.revision) && p.status !== 'done').map((p) => [p.revision, p]));
        // The same checkpoints as before keep the same map: a timeline read that found nothing new draws no frame.
        setFound((before) => (sameCheckpoints(before, next) ? before : next));
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

function sameCheckpoints(a: ReadonlyMap<string, DataMigrationProgress>, b: ReadonlyMap<string, DataMigrationProgress>): boolean {
  if (a.size !== b.size) return false;
  for (const [revision, p] of b) {
    const q = a.get(revision);
    if (!q || q.status !== p.status || q.rowsDone !== p.rowsDone || q.rowsTotal !== p.rowsTotal || q.stale !== p.stale) return false;
  }
  return true;
}

import { useEffect, useState } from 'react';
import type { Direction, Project, Revision, RevisionPreview } from '../../core/index.js';

/** What one direction would run: its preview; null while loading. */
export type SqlState = RevisionPreview | null;

/** Loads what `revision` would run up and down on the connected database (the core's preview engine; nothing runs). */
export function useRevisionSql(project: Project, revision: Revision | null): Record<Direction, SqlState> {
  const [sql, setSql] = useState<Record<Direction, SqlState>>({ up: null, down: null });
  // biome-ignore lint/correctness/useExhaustiveDependencies: a refreshed timeline hands a new object for the same revision; reload only when what it shows changed
  useEffect(() => {
    let cancelled = false;
    setSql({ up: null, down: null });
    if (!revision) return;
    (async () => {
      const up = await project.preview({ revision }, 'up', { measure: true });
      const down = await project.preview({ revision }, 'down', { measure: true });
      if (!cancelled) setSql({ up, down });
    })();
    return () => {
      cancelled = true;
    };
  }, [project, revision?.name, revision?.path, revision?.error, revision?.checksum, revision?.status]);
  return sql;
}

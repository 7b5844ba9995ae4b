import { useEffect, useState } from 'react';
import type { Direction } from '../../core/events.js';
import type { Project } from '../../core/project.js';
import type { Revision } from '../../core/timeline.js';

/** The SQL of one direction: statements, or why there are none to show; null while loading. */
export type SqlState = { statements: string[] } | { error: string } | null;

/** Loads the SQL `revision` would run up and down on the connected database (without running it). */
export function useRevisionSql(project: Project, revision: Revision | null): Record<Direction, SqlState> {
  const [sql, setSql] = useState<Record<Direction, SqlState>>({ up: null, down: null });
  const path = revision?.path ?? null;
  const broken = revision?.error ?? null;
  useEffect(() => {
    let cancelled = false;
    setSql({ up: null, down: null });
    if (!revision) return;
    if (!path || broken) {
      const error = broken ?? 'its file is missing';
      setSql({ up: { error }, down: { error } });
      return;
    }
    const load = async (direction: Direction): Promise<SqlState> => {
      try {
        return { statements: await project.statementsOf(revision, direction) };
      } catch (error) {
        return { error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
      }
    };
    (async () => {
      const up = await load('up');
      const down = await load('down');
      if (!cancelled) setSql({ up, down });
    })();
    return () => {
      cancelled = true;
    };
    // A refreshed timeline hands a new object for the same revision: reload only when the file or its state changes.
  }, [project, revision?.name, path, broken, revision?.checksum, revision?.status]);
  return sql;
}

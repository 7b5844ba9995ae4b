import { useCallback, useEffect, useRef, useState } from 'react';
import type { DataControl, Project } from '../../core/index.js';
import { sleep } from '../../core/sleep.js';
import { errorText } from '../error-text.js';
import { type DataMigrationView, WatchTracker } from './data-view.js';

const EVERY_MS = 1000;

/** Reads `migrate_ui_progress` once a second while mounted: every data migration, whichever process runs it. */
export function useWatch(project: Project) {
  const [views, setViews] = useState<DataMigrationView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tracker = useRef(new WatchTracker());
  const wake = useRef<AbortController | null>(null);

  useEffect(() => {
    const stop = new AbortController();
    void (async () => {
      while (!stop.signal.aborted) {
        const started = Date.now();
        try {
          const progress = await project.dataMigrations();
          if (stop.signal.aborted) return;
          setViews(tracker.current.update(progress));
          setError(null);
        } catch (e) {
          if (!stop.signal.aborted) setError(errorText(e).line);
        }
        // A control sent in between wakes the loop, so its answer shows at once.
        wake.current = new AbortController();
        await sleep(Math.max(0, EVERY_MS - (Date.now() - started)), AbortSignal.any([stop.signal, wake.current.signal]));
      }
    })();
    return () => stop.abort();
  }, [project]);

  /** Pauses, resumes or cancels `revision` through the progress table; the number of steps it changed. */
  const control = useCallback(
    async (revision: string, action: DataControl): Promise<number> => {
      const changed = await project.controlDataMigration(revision, action);
      if (changed > 0) tracker.current.asked(revision, action);
      wake.current?.abort();
      return changed;
    },
    [project],
  );

  return { views, error, control };
}

import type { Database } from './database.js';
import { type AppliedRevision, History } from './history.js';
import { appliedUnchanged, listRevisionFiles, type RevisionFile } from './revisions.js';
import { buildTimeline, type Timeline } from './timeline.js';

export interface ReadTimelineOptions {
  checkSyntax?: boolean;
  /** What the database records, when the caller has just read it (a run, under its lock): not read again. */
  applied?: AppliedRevision[];
}

/** Reads the files and the database and joins them into the timeline. Imports no migration file. */
export async function readTimeline(db: Database, options: ReadTimelineOptions = {}): Promise<{ timeline: Timeline; files: RevisionFile[] }> {
  const applied = options.applied ?? (await new History(db).readApplied());
  const files = await listRevisionFiles(db.config.migrationsDir, options.checkSyntax === false ? () => true : appliedUnchanged(applied));
  return { timeline: buildTimeline(files, applied), files };
}

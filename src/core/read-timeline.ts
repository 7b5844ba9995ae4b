import type { Database } from './database.js';
import { History } from './history.js';
import { appliedUnchanged, listRevisionFiles, type RevisionFile } from './revisions.js';
import { buildTimeline, type Timeline } from './timeline.js';

/** Reads the files and the database and joins them into the timeline. Imports no migration file. */
export async function readTimeline(db: Database, options: { checkSyntax?: boolean } = {}): Promise<{ timeline: Timeline; files: RevisionFile[] }> {
  const applied = await new History(db).readApplied();
  const files = await listRevisionFiles(db.config.migrationsDir, options.checkSyntax === false ? () => true : appliedUnchanged(applied));
  return { timeline: buildTimeline(files, applied), files };
}

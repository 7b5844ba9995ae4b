import type { Database } from '../database.js';

/**
 * Runs `work` (a data migration's batches) with SQLite's rollback journal kept between commits: in `delete` mode
 * (SQLite's default) every batch's commit deletes the journal file and the next batch creates it again, which costs
 * about a tenth of a million-row backfill. `persist` commits as safely (the journal's header is zeroed instead) and is
 * a setting of this connection only; `delete` comes back afterwards, which removes the file. A database in WAL
 * mode (a setting of the file, shared by every connection) or in memory is left as it is.
 */
export async function withKeptJournal<T>(db: Database, work: () => Promise<T>): Promise<T> {
  if (db.dialect !== 'sqlite') return work();
  const [row] = await db.query<{ journal_mode?: string }>('pragma journal_mode');
  if (String(row?.journal_mode).toLowerCase() !== 'delete') return work();
  await db.query('pragma journal_mode = persist');
  try {
    return await work();
  } finally {
    // After a lost connection there is nothing to restore: the setting went with it.
    await db.query('pragma journal_mode = delete').catch(() => undefined);
  }
}

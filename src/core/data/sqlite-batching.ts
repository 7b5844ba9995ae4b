import type { Database } from '../database.js';

/**
 * The page cache of the run's connection while the batches run: a batch that dirties more pages than SQLite's default
 * 2 MB spills them into the file before its commit, each spill another sync of the journal (a million-row backfill
 * synced 300 times, not 60). 16 MB holds a batch of ~100,000 short rows; the cache is the same whatever the table's size.
 */
const BATCH_CACHE_KIB = 16 * 1024;

/**
 * Runs `work` (a data migration's batches) with SQLite settings of this connection only, put back afterwards: the
 * rollback journal kept between commits (in `delete` mode, SQLite's default, every batch's commit deletes the journal
 * file and the next batch creates it again; `persist` commits as safely, zeroing its header; back in `delete`, the
 * file goes), and a page cache that holds a batch. A database in WAL mode (a setting of the file, shared by every
 * connection) or in memory keeps its journal as it is.
 */
export async function withSqliteBatching<T>(db: Database, work: () => Promise<T>): Promise<T> {
  if (db.dialect !== 'sqlite') return work();
  const [row] = await db.query<{ cache_size: number }>('pragma cache_size');
  const cache = Number(row?.cache_size);
  // Negative: KiB; positive: pages (of 4 KiB, SQLite's default page).
  const larger = Number.isFinite(cache) && (cache < 0 ? -cache : cache * 4) < BATCH_CACHE_KIB;
  const keepJournal = (await db.journalMode()) === 'delete';
  if (larger) await db.query(`pragma cache_size = -${BATCH_CACHE_KIB}`);
  if (keepJournal) await db.query('pragma journal_mode = persist');
  try {
    return await work();
  } finally {
    // After a lost connection there is nothing to restore: the settings went with it.
    if (keepJournal) await db.query('pragma journal_mode = delete').catch(() => undefined);
    if (larger) await db.query(`pragma cache_size = ${cache}`).catch(() => undefined);
  }
}

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from './database.js';
import { History } from './history.js';
import { appliedUnchanged, listRevisionFiles, type RevisionFile } from './revisions.js';
import { buildTimeline, type Timeline } from './timeline.js';

/**
 * Re-reads the timeline cheaply enough to poll every second: the database is read every time, the
 * migration files are re-listed (and re-checksummed) only when the folder's names, sizes or times changed.
 */
export class LiveTimeline {
  #files: RevisionFile[] | undefined;
  #fingerprint: string | undefined;
  #stale = true;

  constructor(private readonly db: Database) {}

  /** The migrations folder this timeline watches. */
  get migrationsDir(): string {
    return this.db.config.migrationsDir;
  }

  /** Marks the files as changed (a watcher saw something, or the user asked): the next read() re-lists them. */
  invalidate(): void {
    this.#stale = true;
  }

  /** The timeline now. `checkFiles` compares the folder's fingerprint (one stat per file) before trusting the cached listing. */
  async read(options: { checkFiles?: boolean } = {}): Promise<Timeline> {
    const applied = await new History(this.db).readApplied();
    let files = this.#files;
    if (this.#stale || !files || options.checkFiles) {
      const fingerprint = await folderFingerprint(this.migrationsDir);
      if (this.#stale || !files || fingerprint !== this.#fingerprint) {
        this.#stale = false;
        files = await listRevisionFiles(this.migrationsDir, appliedUnchanged(applied));
        this.#files = files;
        this.#fingerprint = fingerprint;
      }
    }
    return buildTimeline(files, applied);
  }
}

/** Names, sizes and modification times of a folder's entries, as one string; empty when the folder is missing. */
async function folderFingerprint(dir: string): Promise<string> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return '';
  }
  const stats = await Promise.all(
    names.map((name) =>
      stat(join(dir, name)).then(
        (s) => `${name}:${s.size}:${s.mtimeMs}`,
        () => `${name}:gone`,
      ),
    ),
  );
  return stats.join('\n');
}

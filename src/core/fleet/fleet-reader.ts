import { statSync } from 'node:fs';
import { summarise } from '../data/progress-report.js';
import { readProgress } from '../data/progress-store.js';
import { readTimeline } from '../history.js';
import { readLockHolder } from '../lock.js';
import { databaseOf, type Project } from '../project.js';
import { type DatabaseReader, qualifiedTable, tableExistsIn } from '../reader.js';
import { parseDatabaseUrl } from '../url.js';
import type { TargetOpener } from './rollout.js';
import { readTarget, type TargetReading } from './status.js';
import type { FleetTarget } from './targets.js';

/** A connection kept open between reads: a SQLite file's, or one pool shared by every schema target of a database. */
interface Kept {
  project: Promise<Project>;
  /** The SQLite file's device and inode when it was opened ('missing' when there was none). */
  file?: string;
  /** Reads using it now: a dropped connection closes when the last one ends. */
  users: number;
  dropped: boolean;
}

/**
 * Reads a fleet's targets again and again (the fleet screen's passes), each read only its queries: a SQLite file's
 * connection stays open between reads, and the schema targets of one PostgreSQL database share one pool. A file
 * deleted or replaced is opened anew (its old handle closed), a read that fails through a kept connection is read
 * again through a fresh one, and close() closes them all. A server's database targets still open at every read:
 * kept, each would hold a connection (hundreds of tenants exceed a server's limit, and PostgreSQL cannot drop a
 * database someone is connected to).
 */
export class FleetReader {
  readonly #kept = new Map<string, Kept>();
  #closed = false;

  constructor(
    /** Opens a target's project for reading (the fleet's shared config load). */
    private readonly open: TargetOpener,
  ) {}

  /** The target as the fleet screen shows it; a target that cannot be read says why. */
  async read(target: FleetTarget): Promise<TargetReading> {
    const key = this.#closed ? undefined : keptKey(target);
    if (key === undefined) return readTarget(target, this.open);
    const kept = this.#lease(key, target);
    let opened = false;
    const reading = await readTarget(target, async () => {
      const project = await kept.project.catch((error: unknown) => {
        this.#giveBack(kept, true);
        throw error;
      });
      opened = true;
      return borrowed(readerIn(project, target.schema), () => this.#giveBack(kept, false));
    });
    if (!reading.error || !opened) return reading;
    // The kept connection may be what failed (a server restarted, a file rewritten): this target is read as a fresh
    // open reads it, and the next read opens the connection anew.
    this.#drop(key, kept);
    return readTarget(target, this.open);
  }

  /** Closes every kept connection (those in use once their reads end); later reads open and close their own. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#kept.entries()];
    await Promise.all(all.map(([key, kept]) => this.#drop(key, kept)));
  }

  #lease(key: string, target: FleetTarget): Kept {
    const file = sqliteFile(target);
    let kept = this.#kept.get(key);
    if (kept && file !== undefined && kept.file !== fileIdentity(file)) {
      // Deleted, replaced or created since it was opened: the old handle must not keep a deleted file alive.
      void this.#drop(key, kept);
      kept = undefined;
    }
    if (!kept) {
      // A schema target's pool is its database's, opened without the schema: each read names its own.
      const where = target.schema ? { name: target.name, url: target.url } : target;
      kept = { project: this.open(where), users: 0, dropped: false, ...(file !== undefined ? { file: fileIdentity(file) } : {}) };
      // Opened for nobody once the fleet is closed, or failed: never kept.
      kept.project.catch(() => undefined);
      this.#kept.set(key, kept);
    }
    kept.users++;
    return kept;
  }

  /** A read is done with `kept`; `failed`, its open failed and it is not kept. */
  #giveBack(kept: Kept, failed: boolean): void {
    kept.users--;
    if (failed) {
      for (const [key, k] of this.#kept) if (k === kept) this.#kept.delete(key);
      kept.dropped = true;
    }
    if (kept.dropped && kept.users === 0) void closeKept(kept);
  }

  async #drop(key: string, kept: Kept): Promise<void> {
    if (this.#kept.get(key) === kept) this.#kept.delete(key);
    if (kept.dropped) return;
    kept.dropped = true;
    if (kept.users === 0) await closeKept(kept);
  }
}

async function closeKept(kept: Kept): Promise<void> {
  const project = await kept.project.catch(() => undefined);
  await project?.close().catch(() => undefined);
}

/** Which kept connection reads `target`: its SQLite file's, or its database's pool for a schema; none for a server's database. */
function keptKey(target: FleetTarget): string | undefined {
  if (target.schema) return `schemas of ${target.url ?? 'the configured database'}`;
  if (sqliteFile(target) !== undefined) return `file ${target.url}`;
  return undefined;
}

function sqliteFile(target: FleetTarget): string | undefined {
  if (!target.url || target.schema) return undefined;
  const url = parseDatabaseUrl(target.url);
  return url.dialect === 'sqlite' && url.target !== ':memory:' ? url.target : undefined;
}

/** Which file is at `path` now: another one there (or none) is another identity. */
function fileIdentity(path: string): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat ? `${stat.dev}:${stat.ino}` : 'missing';
}

/** The project's connection, reading `schema`'s tables (as a project opened for that schema target reads them). */
function readerIn(project: Project, schema: string | undefined): DatabaseReader {
  const db = databaseOf(project);
  if (!schema) return db;
  const own = schema === 'public' ? undefined : schema;
  const reader: DatabaseReader = {
    dialect: db.dialect,
    schema: own,
    config: db.config,
    dbName: db.dbName,
    table: (name) => qualifiedTable(db.dialect, own, name),
    quote: (identifier) => db.quote(identifier),
    query: (sql, params, trx) => db.query(sql, params, trx),
    tableExists: (table, trx) => tableExistsIn(reader, table, trx),
  };
  return reader;
}

/**
 * What readTarget asks of a target's project, answered through a kept connection (as Project answers it); closing it
 * only ends this read's use of the connection.
 */
function borrowed(reader: DatabaseReader, giveBack: () => void): Project {
  const reads: Pick<Project, 'timeline' | 'lockHolder' | 'dataMigrations' | 'close'> = {
    timeline: async () => (await readTimeline(reader)).timeline,
    lockHolder: () => readLockHolder(reader),
    dataMigrations: async () => summarise(await readProgress(reader)),
    close: async () => giveBack(),
  };
  return reads as Project;
}

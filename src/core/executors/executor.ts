import type { Database, Transaction } from '../database.js';
import type { Direction, RunEvent } from '../events.js';
import type { History } from '../history.js';
import type { MigrationInstance } from '../loader.js';
import type { HeldLock } from '../lock.js';
import type { RevisionKind } from '../revisions.js';

/** One revision handed to an executor: the migration, where it runs, and how to tell and to stop. */
export interface RevisionRun {
  name: string;
  direction: Direction;
  kind: RevisionKind;
  /** The file's checksum, recorded with the revision. */
  checksum: string;
  migration: MigrationInstance;
  /** The run's single connection: it holds the lock, and dies with it. */
  session: Database;
  history: History;
  lock: HeldLock;
  /** The transaction around the whole run (all-or-nothing), if any. */
  outer?: Transaction;
  /** Aborted when the run is asked to stop: an executor that can stop part-way (between batches) does. */
  signal: AbortSignal;
  emit(event: RunEvent): void;
}

/** Runs one kind of revision. The runner picks the first executor that accepts the migration. */
export interface Executor {
  accepts(migration: MigrationInstance): boolean;
  run(revision: RevisionRun): Promise<void>;
}

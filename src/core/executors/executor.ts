import type { Transaction } from '../database.js';
import type { Direction, RunEvent } from '../events.js';
import type { MigrationInstance } from '../loader.js';
import type { RevisionKind } from '../revisions.js';

/** One revision handed to an executor: the migration, and how to tell and to stop. */
export interface RevisionRun {
  name: string;
  direction: Direction;
  kind: RevisionKind;
  /** The file's checksum, recorded with the revision. */
  checksum: string;
  migration: MigrationInstance;
  /** The transaction around the whole run (all-or-nothing), if any. */
  outer?: Transaction;
  /** Aborted when the run is asked to stop: an executor that can stop part-way (between batches) does. */
  signal: AbortSignal;
  emit(event: RunEvent): void;
  /**
   * Called by an executor just before the revision's longest wait for the database (SQLite: its commit, which waits for
   * the disk; elsewhere its own statements): the runner imports the next revision's file meanwhile.
   */
  waiting?(): void;
}

/** Runs one kind of revision. The runner picks the first executor of its session that accepts the migration. */
export interface Executor {
  accepts(migration: MigrationInstance): boolean;
  run(revision: RevisionRun): Promise<void>;
  /** It commits as it goes (batch by batch), so it cannot run inside one transaction around the whole run. */
  readonly commitsAsItGoes?: boolean;
}

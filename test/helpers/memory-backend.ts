import type { Executor } from '../../src/core/executors/executor.js';
import type { MigrationInstance } from '../../src/core/loader.js';
import type { LockOptions } from '../../src/core/lock.js';
import type { Transaction } from '../../src/core/orm/port.js';
import type { RevisionFile } from '../../src/core/revisions.js';
import type { RunBackend, RunSession } from '../../src/core/run-session.js';
import { buildTimeline, type Revision } from '../../src/core/timeline.js';

/** A migration given as code: what up() and down() do, in memory. */
export interface MemoryMigration {
  name: string;
  up(signal: AbortSignal): Promise<void> | void;
  down?(signal: AbortSignal): Promise<void> | void;
}

/** A migration instance around a MemoryMigration (the shape the runner loads). */
class Instance implements MigrationInstance {
  constructor(readonly source: MemoryMigration) {}
  up() {}
  down() {}
  isTransactional() {
    return true;
  }
  reset() {}
  setTransactionContext() {}
  getQueries() {
    return [];
  }
  execute() {
    return Promise.resolve([]);
  }
  getKnex(): never {
    throw new Error('no database here');
  }
}

/**
 * Runs revisions without any database: the history is a list in memory, migrations are given as objects,
 * the lock is free unless `holder` is set, and the one executor calls their up()/down() with the stop signal.
 */
export class MemoryBackend implements RunBackend {
  readonly dialect = 'sqlite' as const;
  /** Applied revision names, in order. */
  readonly history: string[] = [];
  /** What happened, in order: the executor's steps and the session's. */
  readonly log: string[] = [];

  constructor(readonly migrations: MemoryMigration[]) {}

  async open(options: LockOptions): Promise<RunSession> {
    this.log.push('lock');
    const backend = this;
    const executor: Executor = {
      accepts: (migration) => migration instanceof Instance,
      async run(r) {
        const { source } = r.migration as Instance;
        backend.log.push(`${r.direction} ${r.name}`);
        await source[r.direction]?.(r.signal);
        if (r.direction === 'up') backend.history.push(r.name);
        else backend.history.splice(backend.history.indexOf(r.name), 1);
      },
    };
    void options;
    return {
      dialect: this.dialect,
      prepare: async () => [],
      readTimeline: async () => {
        const files: RevisionFile[] = this.migrations.map((m) => ({ name: m.name, path: `/memory/${m.name}.ts`, checksum: m.name, kind: 'schema' }));
        const applied = this.history.map((name) => ({ name, appliedAt: new Date(0), checksum: name }));
        return { timeline: buildTimeline(files, applied), files };
      },
      load: async (revision: Revision) => new Instance(this.migrations.find((m) => m.name === revision.name)!),
      executors: [executor],
      transaction: (fn) => fn({} as Transaction),
      statements: { current: undefined, reset() {} },
      stamp: async (revisions, _files, direction) => {
        for (const { name } of revisions) {
          this.log.push(`stamp ${direction} ${name}`);
          if (direction === 'up') this.history.push(name);
          else this.history.splice(this.history.indexOf(name), 1);
        }
      },
      release: async () => {
        this.log.push('release');
      },
    };
  }
}

import { randomUUID } from 'node:crypto';
import { StoppedError } from '../errors.js';
import type { Executor, RevisionRun } from '../executors/executor.js';
import { begin, finish, schemaExecutor } from '../executors/schema-executor.js';
import { STALE_AFTER_MS } from '../lock.js';
import type { SqlRunSession } from '../run-session.js';
import { Backfill } from './backfill.js';
import { isDataMigration } from './brand.js';
import { activeHolders, holderGone, holderName } from './holder.js';
import { type ProgressRow, ProgressStore } from './progress-store.js';
import { sleep } from '../sleep.js';
import { runAfterSteps, runBeforeSteps, sqliteRebuilds } from './schema-steps.js';
import { withSqliteBatching } from './sqlite-batching.js';
import { runStep } from './step-runner.js';
import { checkStep, resolveBatching } from './steps.js';

/** A data migration stopped after a batch (cancelled, or the run was asked to stop); it resumes from its checkpoint. */
export class DataMigrationStoppedError extends StoppedError {
  constructor(
    readonly revision: string,
    readonly by: 'cancel' | 'stop',
  ) {
    super(
      `${revision} ${by === 'cancel' ? 'was cancelled' : 'stopped'} after a batch; its checkpoint is kept and it continues from there when applied again`,
    );
  }
}

/**
 * Runs DataMigrations: each step batch by batch with its checkpoint in `migrate_ui_progress`, each batch in a
 * short transaction of its own on the run's connection; the revision is claimed and recorded (as the schema
 * executor does it) only once every step is done. Reverting one runs its down() as any revision, then forgets
 * its checkpoints.
 */
export function dataExecutor(session: SqlRunSession): Executor {
  const { db, lock } = session;
  const store = new ProgressStore(db);
  return {
    accepts: (migration) => isDataMigration(migration),
    commitsAsItGoes: true,
    async run(r: RevisionRun): Promise<void> {
      // Reverted as any revision: forgetting it (History.unrecord) forgets its checkpoints in the same transaction.
      if (r.direction === 'down') return schemaExecutor(session).run(r);
      if (!isDataMigration(r.migration)) throw new Error(`${r.name} is not a data migration`);
      // Read before anything is written: a step that does not check fails the revision at once, naming the field.
      const steps = r.migration.steps().map((step, i) => checkStep(step, i));
      const batching = r.migration.batching();
      await store.ensureTable();
      const holder = holderName(randomUUID());
      const initialBatchSize = resolveBatching(batching).initialBatchSize;
      const rebuild = await sqliteRebuilds(db, r);
      const revision = { ...r, migration: r.migration };
      let resumed = false;
      activeHolders.add(holder);
      try {
        await runBeforeSteps(session, store, revision, steps.length, holder, initialBatchSize, rebuild.before);
        const rows = await holdSteps(session, store, r, steps.length, holder, initialBatchSize);
        if (!rows) throw new DataMigrationStoppedError(r.name, 'stop');
        // An earlier run finished every step: it may have been stopped inside afterSteps().
        resumed = rows.every((row) => row.status === 'done');
        const platform = db.driver.getPlatform();
        const sql = { dialect: db.dialect, quote: (id: string) => platform.quoteIdentifier(id) };
        const run = { db, store, revision: r.name, steps: steps.length, holder, guard: lock.guard(), signal: r.signal, emit: r.emit };
        await withSqliteBatching(db, async () => {
          for (const [i, step] of steps.entries()) {
            const row = rows[i];
            if (row.status === 'done') continue;
            const end = await runStep({ ...run, batching: resolveBatching(batching, step.set !== undefined) }, new Backfill(step, i, sql), row);
            if (end !== 'done') throw new DataMigrationStoppedError(r.name, end === 'cancelled' ? 'cancel' : 'stop');
          }
        });
      } finally {
        activeHolders.delete(holder);
      }
      // Recorded as the schema executor records a revision: claimed under the lock, then MikroORM's row, one transaction;
      // the schema changes after the steps commit with it.
      // begin() may record it with the claim (PostgreSQL): then there is nothing left to record.
      let settled = false;
      await runAfterSteps(
        session,
        revision,
        { rebuild: rebuild.after, resumed },
        {
          claim: async (trx) => {
            settled = await begin(session, r, trx);
          },
          record: async (trx) => {
            if (!settled) await finish(session, r, trx);
          },
        },
      );
    },
  };
}

/**
 * Makes this run the holder of every unfinished step: creates the missing rows (under the run lock, in one
 * transaction), and takes over those of an earlier run once that one is gone (its process dead, its heartbeat stale,
 * or, on a server, its session lock released, which holding the run lock proves). Returns the rows by step, or
 * undefined when the run was stopped meanwhile.
 */
async function holdSteps(
  { db, lock }: SqlRunSession,
  store: ProgressStore,
  r: RevisionRun,
  count: number,
  holder: string,
  batchSize: number,
): Promise<ProgressRow[] | undefined> {
  const sqlite = db.dialect === 'sqlite';
  const read = async () => (await store.read(r.name)).filter((row) => row.step >= 1 && row.step <= count);
  let rows = await read();
  // beforeSteps' transaction made them where the migration has one (a DataMigration always has); a resumed run has them.
  if (rows.length < count) {
    await db.transaction(async (trx) => {
      await lock.assertHeld(trx);
      for (let step = 1; step <= count; step++) await store.create(r.name, step, holder, batchSize, trx);
    });
    rows = await read();
  }
  for (;;) {
    const others = rows.filter((row) => row.status !== 'done' && row.holder !== holder);
    const gone = (row: ProgressRow) => !sqlite || holderGone(row.holder) || Date.now() - row.updatedAt > STALE_AFTER_MS;
    if (others.length === 0) return rows;
    if (others.every(gone)) {
      let all = true;
      for (const row of others) all = (await store.takeOver(row, holder)) && all;
      if (all) return read();
    }
    if (r.signal.aborted) return undefined;
    await sleep(500, r.signal);
    rows = await read();
  }
}

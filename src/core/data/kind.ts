// The data migration as a kind of revision (the registry in src/core/revisions.ts). Loaded by `status`: it imports nothing at load time;
// its executor and its preview come in when a run or a preview asks for them.
import type { Database, Transaction } from '../database.js';
import type { RevisionKindDef } from '../revisions.js';

/** The data migrations' checkpoints: a revision no longer applied has none. */
export const PROGRESS_TABLE = 'migrate_ui_progress';

export const dataKind: RevisionKindDef = {
  kind: 'data',
  // Its class extends DataMigration (`extends DataMigration`, `extends mui.DataMigration`), or a comment says `@migrate-ui data`.
  detect: (file) => file.extends === 'DataMigration' || file.markers.has('data'),
  mentions: /DataMigration|@migrate-ui\s+data/,
  // A DataMigration's up() is its steps() (they change data, whatever their strings say), with the schema changes around them.
  up: ['steps', 'beforeSteps', 'afterSteps'],
  upActs: true,
  // Its up() would read the table batch by batch: its preview is the statement each step adds up to.
  describe: async (migration, quote) => (await import('./describe.js')).describeDataMigration(migration, quote),
  executor: async () => (await import('./data-executor.js')).dataExecutor,
  commitsAsItGoes: 'it is a data migration: its batches commit one by one',
  onForget(db: Database) {
    let table: boolean | undefined;
    return async (name: string, trx?: Transaction) => {
      // Asked once: only a data migration's up makes the table, and a revert (the one run that forgets per revision) never does.
      table ??= await db.tableExists(PROGRESS_TABLE, trx);
      if (table) await db.run(`delete from ${db.table(PROGRESS_TABLE)} where revision = ?`, [name], trx);
    };
  },
};

import type { Database } from '../database.js';
import { orm } from '../orm/index.js';
import type { MikroOptions } from '../config.js';
import { readSqliteTable } from '../sqlite-table.js';

export type { RecordingDriver, RecordingTarget } from '../orm/port.js';

/** A statement a migration sent while it was being previewed: recorded, never run. */
export interface RecordedQuery {
  sql: string;
}

/** The target of the connected database: its own client, options, and SQLite tables read by our own code. */
export function targetOf(db: Database) {
  const tables = db.dialect === 'sqlite' ? (table: string) => readSqliteTable((sql) => db.query(sql), table) : undefined;
  return orm.recordingTarget(db.driver, db.dialect, db.mikroConfig.getAll() as MikroOptions, tables);
}

/** The target of a dialect nobody is connected to (authoring's SQL for the other databases); undefined where its driver is not installed. */
export const targetFor: typeof orm.recordingTargetFor = (dialect, options, tables) => orm.recordingTargetFor(dialect, options, tables);

/** A driver for previews: records whatever a migration sends, runs nothing, opens no connection. */
export const createRecordingDriver: typeof orm.recordingDriver = async (target) => {
  const recorder = await orm.recordingDriver(target);
  // Connected before any migration runs: the connection's own set-up (SQLite's `pragma foreign_keys = on`) is not
  // the revision's. A migration that asked for MikroORM 6's knex first used to connect it in passing.
  await recorder.driver.getConnection().ensureConnection();
  recorder.take();
  return recorder;
};

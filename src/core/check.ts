import type { Database } from './database.js';
import { mikroOrm } from './modules.js';
import { REVISIONS_TABLE } from './history.js';
import { LOCK_TABLE } from './lock.js';
import type { Timeline } from './timeline.js';

export interface CheckReport {
  inSync: boolean;
  /** The SQL that would bring the database to the entities; empty when they agree. */
  schemaDiff: string[];
  /** Applied revisions whose file changed since it was applied. */
  modified: string[];
  /** Applied revisions whose file is gone. */
  missing: string[];
}

const OWN_TABLES = [REVISIONS_TABLE, LOCK_TABLE, 'migrate_ui_progress'];

/** Compares the entities with the live schema (MikroORM's schema diff) and the applied files with their checksums. */
export async function checkProject(db: Database, timeline: Timeline): Promise<CheckReport> {
  const { MikroORM } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  const options = db.config.options;
  const orm = await MikroORM.init({
    ...options,
    debug: false,
    allowGlobalContext: true,
    discovery: { ...(options.discovery ?? {}), warnWhenNoEntities: false },
    schemaGenerator: {
      ...(options.schemaGenerator ?? {}),
      skipTables: [...(options.schemaGenerator?.skipTables ?? []), ...OWN_TABLES],
    },
  } as any);
  let schemaDiff: string[];
  try {
    const sql: string = await (orm as any).getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    schemaDiff = sql
      .split(/;\s*\n/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map((s) => (s.endsWith(';') ? s : `${s};`));
  } finally {
    await orm.close(true);
  }
  const modified = timeline.revisions.filter((r) => r.status === 'modified').map((r) => r.name);
  const missing = timeline.revisions.filter((r) => r.status === 'missing').map((r) => r.name);
  return { inSync: schemaDiff.length === 0 && modified.length === 0, schemaDiff, modified, missing };
}

import type { Database } from './database.js';
import { entityMetadata, openEntities } from './entities.js';
import { type EntityComparison, orm as ormPort } from './orm/index.js';
import { PROGRESS_TABLE } from './data/kind.js';
import { REVISIONS_TABLE } from './history.js';
import { LOCK_TABLE } from './lock.js';
import type { Timeline } from './timeline.js';

export interface CheckReport {
  inSync: boolean;
  /** The SQL that would bring the database to the entities; empty when they agree. */
  schemaDiff: string[];
  /** The schema diff drops every table the database has: the entities are probably not the ones MikroORM uses. */
  dropsEveryTable: boolean;
  /** Applied revisions whose file changed since it was applied. */
  modified: string[];
  /** Applied revisions whose file is gone. */
  missing: string[];
  /** Our side tables that the config's schemaGenerator.skipTables leaves to MikroORM's schema diff, which would drop them. */
  unskipped: string[];
}

/** Where a scratch database of `verify` logs what each DDL statement touched (see verify/catalog-log.ts). */
export const DDL_LOG_TABLE = 'migrate_ui_scratch_ddl';
/** The tables migrate-ui keeps beside MikroORM's migrations table. */
const KEPT_TABLES = [REVISIONS_TABLE, LOCK_TABLE, PROGRESS_TABLE];
/** Those, and the one only a scratch database has: no comparison or diff touches them. */
export const OWN_TABLES = [...KEPT_TABLES, DDL_LOG_TABLE];

/**
 * Takes our tables, MikroORM's migrations table and the config's skipTables out of both sides of a comparison, so
 * no diff we compute or show touches them. MikroORM 6.6 leaves skipTables out itself; 6.4 and 6.5 read every table
 * but the migrations table, and their diff would drop ours.
 */
export function leaveOutTables(comparison: Pick<EntityComparison, 'fromSchema' | 'toSchema'>, db: Database): void {
  const patterns = [...OWN_TABLES, db.config.migrationsTable, ...(db.config.options.schemaGenerator?.skipTables ?? [])];
  const named = (name: string) => patterns.some((p) => (typeof p === 'string' ? p.toLowerCase() === name.toLowerCase() : p.test(name)));
  for (const schema of [comparison.fromSchema, comparison.toSchema]) {
    const tables = schema.getTables();
    for (let i = tables.length - 1; i >= 0; i--) {
      const { name, schema: namespace } = tables[i];
      if (named(name) || (namespace && named(`${namespace}.${name}`))) tables.splice(i, 1);
    }
  }
}

/** Compares the entities with the live schema (MikroORM's schema diff) and the applied files with their checksums. */
export async function checkProject(db: Database, timeline: Timeline): Promise<CheckReport> {
  const options = db.config.options;
  const skipTables = options.schemaGenerator?.skipTables ?? [];
  const orm = await openEntities(db, {
    // A read-only check never creates the SQLite file it was pointed at.
    ...(db.exists ? {} : { dbName: ':memory:' }),
    schemaGenerator: { ...(options.schemaGenerator ?? {}), skipTables: [...skipTables, ...OWN_TABLES] },
  });
  let schemaDiff: string[];
  let dropsEveryTable: boolean;
  try {
    escapeStringDefaults(entityMetadata(orm));
    const comparison = await ormPort.compareEntities(orm, { wrap: false });
    leaveOutTables(comparison, db);
    const diff = comparison.compare(comparison.fromSchema, comparison.toSchema);
    const tables = comparison.fromSchema.getTables().length;
    dropsEveryTable = tables > 0 && Object.keys(diff.removedTables).length === tables;
    schemaDiff = (await comparison.toSQL(diff))
      .split(/;\s*\n/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map((s) => (s.endsWith(';') ? s : `${s};`));
  } finally {
    await orm.close(true);
  }
  const present: string[] = [];
  for (const table of KEPT_TABLES) if (await db.tableExists(table)) present.push(table);
  const matches = (table: string) => skipTables.some((p) => (typeof p === 'string' ? p.toLowerCase() === table : p.test(table)));
  const modified = timeline.revisions.filter((r) => r.status === 'modified').map((r) => r.name);
  const missing = timeline.revisions.filter((r) => r.status === 'missing').map((r) => r.name);
  return {
    inSync: schemaDiff.length === 0 && modified.length === 0 && missing.length === 0,
    schemaDiff,
    dropsEveryTable,
    modified,
    missing,
    unskipped: present.filter((t) => !matches(t)),
  };
}

/**
 * MikroORM quotes a string `default` as SQL without doubling the quotes in it (`'it's'`): its diff would then differ
 * from the database and print broken, injectable SQL. The quotes are doubled, as the database stores them.
 */
export function escapeStringDefaults(metadata: Array<{ props: Array<{ default?: unknown; defaultRaw?: string }> }>): void {
  for (const meta of metadata) {
    for (const prop of meta.props) {
      if (typeof prop.default === 'string' && prop.default.includes("'") && prop.defaultRaw === `'${prop.default}'`)
        prop.defaultRaw = `'${prop.default.replace(/'/g, "''")}'`;
    }
  }
}

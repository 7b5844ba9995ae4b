import type { Database } from '../core/database.js';
import { PreviewEngine, type RevisionPreview } from '../core/preview/preview.js';
import { type RecordingTarget, targetFor, targetOf } from '../core/preview/recording-driver.js';
import type { SqliteTable, TableProvider } from '../core/sqlite-table.js';
import type { Dialect } from '../core/url.js';
import { mikroOrm } from '../core/modules.js';
import { columnType, defaultSql } from './op/column-sql.js';
import { type AuthoredRevision, dialectsFor, migrationClassOf } from './engine.js';
import { columnFromLive } from './plan.js';
import type { SchemaSnapshot } from './snapshot.js';

/** What a revision runs up on one database, or why it cannot be shown there. */
export interface DialectSql {
  dialect: Dialect;
  statements: string[];
  /** Why there is no SQL for it (its driver is not installed, or its code refused). */
  error?: string;
}

/**
 * The SQL the authored revision runs up on the connected database and on the other two, from one preview engine:
 * the file's own operations through a driver that records. Nothing is written, imported or run.
 */
export async function authoredSql(db: Database, revision: AuthoredRevision, snapshot: SchemaSnapshot, changed?: Set<string>): Promise<DialectSql[]> {
  const migration = migrationClassOf(revision);
  const result: DialectSql[] = [];
  for (const dialect of dialectsFor(db.dialect)) {
    const other =
      dialect === db.dialect ? undefined : targetFor(dialect, db.config.options, dialect === 'sqlite' ? sqliteTables(db, snapshot) : undefined);
    const target = other ?? connectedTarget(db, snapshot, changed);
    if (dialect !== db.dialect && !target) {
      result.push({ dialect, statements: [], error: `install @mikro-orm/${dialect === 'mariadb' ? 'mariadb' : dialect} to see it` });
      continue;
    }
    const preview: RevisionPreview = await new PreviewEngine(db, target).preview({ name: revision.revision, migration }, 'up');
    result.push({ dialect, statements: preview.statements, ...(preview.error ? { error: preview.error } : {}) });
  }
  return result;
}

/**
 * The connected database as a preview sees it once what comes before has run (the pending revisions; for a down(),
 * the revision's own up() too): on SQLite, a table in `changed` has the columns, keys and indexes of `snapshot`, and
 * what only the database knows (its triggers and CHECK clauses, which refuse a rebuild; who references it) where the
 * table is live. Undefined where the database itself is right.
 */
export function connectedTarget(db: Database, snapshot: SchemaSnapshot, changed?: Set<string>): RecordingTarget | undefined {
  if (db.dialect !== 'sqlite' || !changed?.size) return undefined;
  const target = targetOf(db);
  const ahead = sqliteTables(db, snapshot);
  const live = target.tables!;
  return {
    ...target,
    tables: async (name) => {
      if (!changed.has(name)) return live(name);
      const known = await live(name).catch((error: Error) => {
        if (error.message === `table ${name} does not exist`) return undefined;
        throw error;
      });
      return { ...(await ahead(name)), ...(known && { referencedBy: known.referencedBy, autoincrement: known.autoincrement }) };
    },
  };
}

/** SQLite's view of the live tables (for a rebuild's preview when the project is on another database). */
function sqliteTables(db: Database, snapshot: SchemaSnapshot): TableProvider {
  return async (name) => {
    const table = snapshot.tables.get(name);
    if (!table) throw new Error(`table ${name} does not exist`);
    const { platform } = await sqlitePlatform(db);
    const columns = table.columns.map((c, i) => {
      const spec = columnFromLive(c);
      return {
        name: c.name,
        type: spec ? columnType(platform, spec) : c.dbType,
        notNull: !c.nullable,
        default: c.default === undefined ? null : (defaultSql(c.default) ?? null),
        pk: c.primary ? i + 1 : 0,
      };
    });
    const model: SqliteTable = {
      name,
      columns,
      foreignKeys: table.foreignKeys.map((fk) => ({
        columns: fk.columns,
        table: fk.references.table,
        references: fk.references.columns,
        onDelete: (fk.onDelete ?? 'no action').toUpperCase(),
        onUpdate: (fk.onUpdate ?? 'no action').toUpperCase(),
      })),
      indexes: table.indexes.map(
        (i) => `create ${i.unique ? 'unique ' : ''}index \`${i.name}\` on \`${name}\` (${i.columns.map((c) => `\`${c}\``).join(', ')})`,
      ),
      autoincrement: false,
    };
    return model;
  };
}

async function sqlitePlatform(db: Database) {
  const target = targetFor('sqlite', db.config.options);
  if (!target) throw new Error('install @mikro-orm/sqlite to see it');
  const { Configuration } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  const config = new Configuration({ ...target.options, discovery: { warnWhenNoEntities: false } } as never, false);
  return { platform: config.getPlatform() };
}

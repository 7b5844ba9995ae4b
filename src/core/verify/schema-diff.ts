import { escapeStringDefaults, OWN_TABLES } from '../check.js';
import type { Database } from '../database.js';
import { entityMetadata, openEntities } from '../entities.js';
import { NoEntitiesError, UsageError } from '../errors.js';
import { orm as ormPort } from '../orm/index.js';
import type { EntityComparison, LiveSchema } from '../orm/port.js';
import { databaseOf, type Project } from '../project.js';
import { findRevision } from '../target.js';
import { isApplied, type Timeline } from '../timeline.js';
import { changesOfDifference } from './difference-changes.js';
import { createScratch, type Scratch, type ScratchOptions } from './scratch.js';
import { compareSnapshots, type SchemaChange, type SchemaSnapshot, skipper, snapshotOf } from './snapshot.js';

/** One side of a diff: the schema after a revision (-1: before the first), the live database, or the entities. */
export type SchemaPoint = { kind: 'revision'; index: number; label: string } | { kind: 'db'; label: string } | { kind: 'entities'; label: string };

export interface SchemaDiffReport {
  dialect: string;
  from: { point: string; revision: string | null };
  to: { point: string; revision: string | null };
  changes: SchemaChange[];
  /** The SQL that takes `from` to `to` in the connected dialect (MikroORM's comparator and its SQL). */
  sql: string[];
  /** Why there is no SQL (the project has no entities for MikroORM's comparator). */
  sqlUnavailable?: string;
  fromSnapshot: SchemaSnapshot;
  toSnapshot: SchemaSnapshot;
}

/**
 * Resolves A or B of `diff A B`: `db`, `entities`, `head`, `base` (or `0`), `+N`/`-N` from the database's current
 * revision, or a revision name, unique prefix or substring.
 */
export function schemaPoint(timeline: Timeline, query: string): SchemaPoint {
  const files = timeline.revisions.filter((r) => r.status !== 'missing');
  if (query === 'db' || query === 'entities') return { kind: query, label: query };
  if (query === 'head') return { kind: 'revision', index: files.length - 1, label: 'head' };
  if (query === 'base' || query === '0') return { kind: 'revision', index: -1, label: 'base' };
  const relative = /^([+-])(\d+)$/.exec(query);
  if (relative) {
    const current = files.filter(isApplied).length - 1;
    const index = current + (relative[1] === '+' ? 1 : -1) * Number(relative[2]);
    if (index < -1 || index >= files.length)
      throw new UsageError(`${query} goes past the revisions on disk`, `There are ${files.length}; the database is at ${current + 1}.`);
    return { kind: 'revision', index, label: query };
  }
  const revision = findRevision({ ...timeline, revisions: files }, query);
  return { kind: 'revision', index: files.indexOf(revision), label: revision.name };
}

/** Where the scratch database goes. */
export type DiffOptions = ScratchOptions;

/** The schema at `a` against the schema at `b`: revisions replayed (up() only) on a scratch database, `db` read, `entities` from their metadata. */
export async function diffSchemas(project: Project, a: string, b: string, options: DiffOptions): Promise<SchemaDiffReport> {
  const timeline = await project.timeline();
  const files = timeline.revisions.filter((r) => r.status !== 'missing');
  const points = [schemaPoint(timeline, a), schemaPoint(timeline, b)];
  const db = databaseOf(project);
  const live = new Map<SchemaPoint, LiveSchema>();
  const revisionPoints = points.filter((p) => p.kind === 'revision').sort((x, y) => x.index - y.index);
  let scratch: Scratch | undefined;
  let entityDb: Database = db;
  try {
    if (revisionPoints.length > 0) {
      scratch = await createScratch(project, options);
      const scratchDb = databaseOf(scratch.project);
      entityDb = scratchDb;
      for (const point of revisionPoints) {
        if (point.index >= 0) {
          const result = await scratch.project.runner().run({ direction: 'up', target: files[point.index].name });
          if (result.failed) throw result.failed;
        }
        live.set(point, await ormPort.readSchema(scratchDb.driver, scratchDb.mikroConfig, scratchDb.schema));
      }
    }
    for (const point of points) if (point.kind === 'db') live.set(point, await ormPort.readSchema(db.driver, db.mikroConfig, db.schema));
    // MikroORM's comparator and SQL, on the scratch's connection where there is one: the same dialect, nothing of the user's touched.
    const wantsEntities = points.some((p) => p.kind === 'entities');
    const orm = await openEntities(entityDb, {
      schemaGenerator: {
        ...(db.config.options.schemaGenerator ?? {}),
        skipTables: [...(db.config.options.schemaGenerator?.skipTables ?? []), ...OWN_TABLES],
      },
    }).catch((error: unknown) => {
      // MikroORM's comparator stands on an ORM of the entities: a project with none gets the changes, not the SQL.
      if (error instanceof NoEntitiesError && !wantsEntities) return undefined;
      throw error;
    });
    try {
      let comparison: EntityComparison | undefined;
      if (orm) {
        escapeStringDefaults(entityMetadata(orm));
        comparison = await ormPort.compareEntities(orm, { wrap: false });
      }
      for (const point of points) if (point.kind === 'entities' && comparison) live.set(point, comparison.toSchema);
      const skip = skipper(db);
      for (const schema of live.values()) leaveOut(schema, skip);
      const [from, to] = points.map((p) => live.get(p)!);
      const difference = comparison?.compare(from, to);
      const sql = comparison && difference ? splitSql(await comparison.toSQL(difference)) : [];
      const fromSnapshot = snapshotOf(from, skip);
      const toSnapshot = snapshotOf(to, skip);
      const side = (p: SchemaPoint) => ({
        point: p.label,
        revision: p.kind === 'revision' ? (p.index >= 0 ? files[p.index].name : null) : null,
      });
      return {
        dialect: project.dialect,
        from: side(points[0]),
        to: side(points[1]),
        // Introspected on both sides: field by field; the entities' side: as MikroORM's comparator sees it.
        changes: wantsEntities && difference ? changesOfDifference(difference) : compareSnapshots(fromSnapshot, toSnapshot),
        sql,
        ...(orm ? {} : { sqlUnavailable: 'the project has no entities, which MikroORM writes SQL with' }),
        fromSnapshot,
        toSnapshot,
      };
    } finally {
      await orm?.close(true);
    }
  } finally {
    await scratch?.drop();
  }
}

function leaveOut(schema: LiveSchema, skip: (table: string) => boolean): void {
  const tables = schema.getTables();
  for (let i = tables.length - 1; i >= 0; i--) if (skip(tables[i].name)) tables.splice(i, 1);
}

function splitSql(text: string): string[] {
  return text
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (s.endsWith(';') ? s : `${s};`));
}

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Database } from '../core/database.js';
import { databaseOf, type Project } from '../core/project.js';
import type { Timeline } from '../core/timeline.js';
import { type LintWarning, lintRevision, rawSqlWarning } from '../core/sql/index.js';
import { type AuthoredRevision, authorRevision, migrationClassOf, timestampOf } from './engine.js';
import { type EntityChange, entityChanges, findProjectEntities, writeEntityChanges } from './entity-changes.js';
import type { EntityProject } from './entities/index.js';
import { fromEntities } from './from-entities.js';
import { type SchemaAhead, schemaAhead } from './pending.js';
import { type IndexNamer, schemaAfter } from './plan.js';
import type { Operation, Spec } from './spec.js';
import type { RecordingTarget } from '../core/preview/recording-driver.js';
import { adoptEntityTypes, readSnapshot, type SchemaSnapshot, specTypes } from './snapshot.js';
import { authoredSql, connectedTarget, type DialectSql } from './sql.js';
import { PreviewEngine } from '../core/preview/preview.js';
import { specOfFile } from './file.js';
import { specSchema } from './spec-schema.js';

/** A revision drafted from a spec: its file, the SQL on each database, the lint and the entity edits. Nothing written. */
export interface RevisionDraft {
  authored: AuthoredRevision;
  /** Where the file would be written. */
  path: string;
  /** The connected database first. Empty while the spec has problems. */
  sql: DialectSql[];
  warnings: LintWarning[];
  /** Why it cannot run on the connected database, up or down, from previewing both; one line each, empty when it can. */
  cannotRun: string[];
  entities: EntityChange[];
  /** What the entity editor could not follow or edit, one line each. */
  notes: string[];
  /** The pending revision's file this draft replaces. */
  rewrites?: string;
}

/** A pending revision written from a spec, reopened to be written again: its file, name and spec. */
export interface Rewrite {
  path: string;
  name: string;
  spec: unknown;
}

/**
 * Authoring on an open project: the live schema is read once, then each draft is quick (the form drafts on every
 * change). Drafting writes nothing and runs nothing; `write` is the one step that touches files.
 */
export class AuthoringSession {
  #entities?: Promise<EntityProject>;
  /** The entities' types laid over the snapshot's, read in the background: a draft waits for them. */
  #entityTypes: Promise<void> = Promise.resolve();

  /** The project's connection: the live schema, entity discovery, and previews against a schema of the session's own. */
  readonly #db: Database;

  private constructor(
    private readonly project: Project,
    db: Database,
    /** The schema a new revision is written against: the live one when the session opened, the pending revisions applied. */
    readonly snapshot: SchemaSnapshot,
    /** Tables the pending revisions create or change, and what of them could not be followed. */
    private readonly ahead: Omit<SchemaAhead, 'snapshot'> = { changed: new Set(), notes: [] },
  ) {
    this.#db = db;
  }

  /**
   * Reads the live schema and follows the pending revisions over it (a new revision runs after them). `rewriting`:
   * the file of a pending revision being written again, which is drafted against the revisions before it only.
   */
  /** `timeline`: the project's timeline where the caller has just read it (read here otherwise). */
  static async open(project: Project, options: { rewriting?: string; timeline?: Timeline } = {}): Promise<AuthoringSession> {
    const db = databaseOf(project);
    const live = await readSnapshot(db);
    const { snapshot, ...ahead } = await schemaAhead(project, live, namerOf(db), specTypes(db), options.rewriting, options.timeline);
    const session = new AuthoringSession(project, db, snapshot, ahead);
    // zod and the spec's schema, built now (the schema was read meanwhile) rather than on the form's first key.
    specSchema();
    // Entities that do not load leave the live types: the entities are not this session's to check.
    session.#entityTypes = adoptEntityTypes(snapshot, db).catch(() => undefined);
    return session;
  }

  /** What the pending revisions do that the schema a draft is checked against could not follow, one line each. */
  get pendingNotes(): string[] {
    return this.ahead.notes;
  }

  /** The spec the entities call for: MikroORM's diff between them and the database, as operations. */
  async fromEntities(): Promise<unknown> {
    return fromEntities(this.#db, this.snapshot);
  }

  /** Spec → file and problems, against the live schema. Pure and quick. */
  author(name: string, spec: unknown, now = new Date(), fromEntities = false): AuthoredRevision {
    return authorRevision({
      name,
      spec,
      snapshot: this.snapshot,
      names: namerOf(this.#db),
      timestamp: timestampOf(now),
      fileName: this.#db.mikroConfig.get('migrations').fileName,
      fromEntities,
    });
  }

  /**
   * The whole draft: file, SQL for each database (one preview engine), lint and, unless left out, the entity edits.
   * `rewrites`: the pending revision this one replaces (reopened in the form); its entity edits are taken back first.
   */
  async draft(
    name: string,
    spec: unknown,
    options: { entities?: boolean; now?: Date; rewrites?: Rewrite; fromEntities?: boolean } = {},
  ): Promise<RevisionDraft> {
    await this.#entityTypes;
    const authored = this.author(name, spec, options.now, options.fromEntities);
    const path = join(this.project.config.migrationsDir, `${authored.revision}.ts`);
    if (authored.problems.length > 0) return { authored, path, sql: [], warnings: [], cannotRun: [], entities: [], notes: [] };
    const sql = await authoredSql(this.#db, authored, this.snapshot, this.ahead.changed);
    const target = this.#afterUp((spec as Spec).operations);
    const source = { name: authored.revision, migration: migrationClassOf(authored) };
    const down = target ? await new PreviewEngine(this.#db, target).preview(source, 'down') : await this.project.preview(source, 'down');
    const cannotRun = [sql[0].error, down.error]
      .filter((e): e is string => e !== undefined)
      .map((e) => e.replace(`${authored.revision} `, '').replace(/^failed in its (\w+)\(\): /, '$1(): '));
    const warnings = lintRevision({ dialect: this.project.dialect, up: sql[0].statements, down: down.statements, hasDown: true });
    if (authored.steps.some((s) => s.operation.op === 'sql')) warnings.push(rawSqlWarning());
    const undo = options.rewrites && this.author(options.rewrites.name, options.rewrites.spec, options.now);
    // The entity files are read once a session: the form drafts on every pause in typing.
    this.#entities ??= findProjectEntities(this.#db);
    const changes =
      options.entities === false
        ? { edits: [], notes: [] }
        : await entityChanges(authored, undo?.problems.length ? undefined : undo, await this.#entities);
    return {
      authored,
      path,
      sql,
      warnings,
      cannotRun,
      entities: changes.edits,
      notes: changes.notes,
      ...(options.rewrites ? { rewrites: options.rewrites.path } : {}),
    };
  }

  /** The connected database as down() finds it, after the pending revisions and this one's up() (SQLite previews need it). */
  #afterUp(operations: Operation[]): RecordingTarget | undefined {
    if (this.project.dialect !== 'sqlite') return undefined;
    const named = operations.flatMap((o) => [(o as { table?: string }).table, (o as { from?: string }).from, (o as { to?: string }).to]);
    const changed = new Set([...this.ahead.changed, ...named.filter((t): t is string => t !== undefined)]);
    return connectedTarget(this.#db, schemaAfter(operations, this.snapshot, namerOf(this.#db)), changed);
  }

  /**
   * Writes the draft: the entity edits first (an entity file changed since it was read stops everything before the
   * revision exists), then the revision, atomically. `replace` allows overwriting a pending revision the form wrote.
   */
  async write(draft: RevisionDraft, options: { replace?: boolean } = {}): Promise<void> {
    if (draft.authored.problems.length > 0) throw new UsageError('the revision has problems; nothing was written', 'Fix them and write it again.');
    if (!options.replace && draft.rewrites !== draft.path && existsSync(draft.path)) {
      throw new UsageError(`${draft.authored.revision}.ts already exists`, 'Wait a second and run it again, or pick another name.');
    }
    await writeEntityChanges(draft.entities);
    // A project's first revision: the migrations folder may not exist yet (MikroORM's migration:create makes it too).
    mkdirSync(dirname(draft.path), { recursive: true });
    const temp = `${draft.path}.${process.pid}.tmp`;
    writeFileSync(temp, draft.authored.source, { flag: 'wx' });
    renameSync(temp, draft.path);
    // Renamed in the form: the file it replaces goes, so the timeline does not hold both.
    if (draft.rewrites && draft.rewrites !== draft.path) rmSync(draft.rewrites, { force: true });
  }
}

/** MikroORM's naming of indexes and keys, as the project's config has it. */
function namerOf(db: Database): IndexNamer {
  const naming = db.mikroConfig.getNamingStrategy();
  return (table, columns, type) => naming.indexName(table, columns, type);
}

/** A revision file written from a spec, read back to be edited: its name, spec and the time it was stamped with. */
export interface WrittenRevision extends Rewrite {
  /** The file's timestamp, so writing it again keeps its place in the timeline. */
  stamped?: Date;
}

/** The spec a pending revision was written from, or undefined when its file holds none (written by hand or by MikroORM). */
export async function readWrittenRevision(path: string): Promise<WrittenRevision | undefined> {
  const spec = await specOfFile(readFileSync(path, 'utf8'));
  if (!spec) return undefined;
  const revision = basename(path).replace(/\.[cm]?[jt]s$/, '');
  const match = /^Migration(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_(\w+)$/.exec(revision);
  if (!match) return { path, name: revision, spec };
  const [y, mo, d, h, mi, se] = match.slice(1, 7).map(Number);
  return { path, name: match[7], spec, stamped: new Date(Date.UTC(y, mo - 1, d, h, mi, se)) };
}

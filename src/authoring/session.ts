import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Project } from '../core/project.js';
import { type LintWarning, lintRevision, rawSqlWarning } from '../core/sql/index.js';
import { type AuthoredRevision, authorRevision, migrationClassOf, timestampOf } from './engine.js';
import { type EntityChange, entityChanges, writeEntityChanges } from './entity-changes.js';
import { fromEntities } from './from-entities.js';
import { readSnapshot, type SchemaSnapshot } from './snapshot.js';
import { authoredSql, type DialectSql } from './sql.js';

/** A revision drafted from a spec: its file, the SQL on each database, the lint and the entity edits. Nothing written. */
export interface RevisionDraft {
  authored: AuthoredRevision;
  /** Where the file would be written. */
  path: string;
  /** The connected database first. Empty while the spec has problems. */
  sql: DialectSql[];
  warnings: LintWarning[];
  entities: EntityChange[];
  /** What the entity editor could not follow or edit, one line each. */
  notes: string[];
}

/**
 * Authoring on an open project: the live schema is read once, then each draft is quick (the form drafts on every
 * change). Drafting writes nothing and runs nothing; `write` is the one step that touches files.
 */
export class AuthoringSession {
  private constructor(
    private readonly project: Project,
    /** The live schema when the session opened. */
    readonly snapshot: SchemaSnapshot,
  ) {}

  static async open(project: Project): Promise<AuthoringSession> {
    return new AuthoringSession(project, await readSnapshot(project.db));
  }

  /** The spec the entities call for: MikroORM's diff between them and the database, as operations. */
  async fromEntities(): Promise<unknown> {
    return fromEntities(this.project.db, this.snapshot);
  }

  /** Spec → file and problems, against the live schema. Pure and quick. */
  author(name: string, spec: unknown, now = new Date()): AuthoredRevision {
    const naming = this.project.db.mikroConfig.getNamingStrategy();
    return authorRevision({
      name,
      spec,
      snapshot: this.snapshot,
      names: (table, columns, type) => naming.indexName(table, columns, type),
      timestamp: timestampOf(now),
      fileName: this.project.db.mikroConfig.get('migrations').fileName,
    });
  }

  /** The whole draft: file, SQL for each database (one preview engine), lint and, unless left out, the entity edits. */
  async draft(name: string, spec: unknown, options: { entities?: boolean; now?: Date } = {}): Promise<RevisionDraft> {
    const authored = this.author(name, spec, options.now);
    const path = join(this.project.config.migrationsDir, `${authored.revision}.ts`);
    if (authored.problems.length > 0) return { authored, path, sql: [], warnings: [], entities: [], notes: [] };
    const sql = await authoredSql(this.project.db, authored, this.snapshot);
    const down = await this.project.preview({ name: authored.revision, migration: migrationClassOf(authored) }, 'down');
    const warnings = lintRevision({ dialect: this.project.dialect, up: sql[0].statements, down: down.statements, hasDown: true });
    if (authored.steps.some((s) => s.operation.op === 'sql')) warnings.push(rawSqlWarning());
    const changes = options.entities === false ? { edits: [], notes: [] } : await entityChanges(this.project, authored);
    return { authored, path, sql, warnings, entities: changes.edits, notes: changes.notes };
  }

  /**
   * Writes the draft: the entity edits first (an entity file changed since it was read stops everything before the
   * revision exists), then the revision, atomically. `replace` allows overwriting a pending revision the form wrote.
   */
  async write(draft: RevisionDraft, options: { replace?: boolean } = {}): Promise<void> {
    if (draft.authored.problems.length > 0) throw new UsageError('the revision has problems; nothing was written', 'Fix them and write it again.');
    if (!options.replace && existsSync(draft.path)) {
      throw new UsageError(`${draft.authored.revision}.ts already exists`, 'Wait a second and run it again, or pick another name.');
    }
    await writeEntityChanges(draft.entities);
    // A project's first revision: the migrations folder may not exist yet (MikroORM's migration:create makes it too).
    mkdirSync(dirname(draft.path), { recursive: true });
    const temp = `${draft.path}.${process.pid}.tmp`;
    writeFileSync(temp, draft.authored.source, { flag: 'wx' });
    renameSync(temp, draft.path);
  }
}

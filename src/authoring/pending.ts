// A new revision runs after every pending one: it is validated and drafted against the schema those leave, not
// the live one alone. A pending revision written from a spec is followed exactly (its spec); one written by hand
// is followed from the SQL its up() would send (recorded, never run), as far as that SQL tells.
import { readFileSync } from 'node:fs';
import type { Project } from '../core/project.js';
import { parseStatement, type AlterAction, type ColumnDefinition, type Statement } from '../core/sql/index.js';
import type { Revision, Timeline } from '../core/timeline.js';
import { specOfFile } from './file.js';
import { type IndexNamer, PlanError, schemaAfter } from './plan.js';
import type { LiveColumn, LiveTable, SchemaSnapshot, SpecTypeOf } from './snapshot.js';

/** The schema after the pending revisions, the tables they touch, and what could not be followed (one line each). */
export interface SchemaAhead {
  snapshot: SchemaSnapshot;
  /** Tables the pending revisions create or change (a SQLite preview takes these from `snapshot`, not the database). */
  changed: Set<string>;
  notes: string[];
}

/**
 * The live schema with the pending revisions applied in order, up to (not including) `before`, the file of a
 * pending revision being written again. Nothing is run: a hand-written revision's up() is previewed.
 */
export async function schemaAhead(
  project: Project,
  live: SchemaSnapshot,
  names: IndexNamer,
  specType: SpecTypeOf,
  before?: string,
  timeline?: Timeline,
): Promise<SchemaAhead> {
  const ahead: SchemaAhead = { snapshot: live, changed: new Set(), notes: [] };
  const { revisions, pending } = timeline ?? (await project.timeline());
  if (pending === 0) return ahead;
  for (const revision of revisions) {
    if (before !== undefined && revision.path === before) break;
    if (revision.status !== 'pending' && revision.status !== 'broken') continue;
    const note = await follow(project, revision, ahead, names, specType);
    if (note) ahead.notes.push(`${revision.name} (pending): ${note}`);
  }
  const same = (name: string) => JSON.stringify(live.tables.get(name)) === JSON.stringify(ahead.snapshot.tables.get(name));
  for (const name of new Set([...live.tables.keys(), ...ahead.snapshot.tables.keys()])) if (!same(name)) ahead.changed.add(name);
  return ahead;
}

/** Applies one pending revision to `ahead.snapshot`; gives what could not be followed of it, if anything. */
async function follow(
  project: Project,
  revision: Revision,
  ahead: SchemaAhead,
  names: IndexNamer,
  specType: SpecTypeOf,
): Promise<string | undefined> {
  if (revision.status === 'broken' || !revision.path) return `${revision.error ?? 'its file cannot be read'}; what it changes is not known`;
  const spec = await specOfFile(readFileSync(revision.path, 'utf8'));
  if (spec) {
    try {
      ahead.snapshot = schemaAfter(spec.operations, ahead.snapshot, names);
      return undefined;
    } catch (error) {
      if (!(error instanceof PlanError)) throw error;
      return `its spec no longer applies (operation ${error.index + 1}: ${error.message}); what it changes is not known`;
    }
  }
  const preview = await project.preview({ revision }, 'up', { statementsOnly: true });
  if (preview.error) return `${preview.error.replace(`${revision.name} `, '')}; what it changes is not known`;
  const tables = new Map([...ahead.snapshot.tables].map(([name, table]) => [name, structuredClone(table)]));
  const sql = new SqlFollower(tables, revision.name, specType);
  const unread = preview.statements.filter((statement) => !sql.apply(parseStatement(statement, project.dialect)));
  ahead.snapshot = { ...ahead.snapshot, tables };
  if (unread.length === 0) return undefined;
  const first = unread[0].replace(/\s+/g, ' ').slice(0, 60);
  return `written by hand; ${unread.length === 1 ? 'its statement' : `${unread.length} of its statements, the first`} \`${first}\` not followed`;
}

/** Applies what statements say about tables, columns and indexes to a schema. */
class SqlFollower {
  constructor(
    private readonly tables: Map<string, LiveTable>,
    private readonly revision: string,
    private readonly specType: SpecTypeOf,
  ) {}

  /** False when the statement changes the schema in a way this cannot follow. */
  apply(statement: Statement): boolean {
    switch (statement.kind) {
      case 'select':
      case 'transaction':
      case 'set':
      case 'pragma':
      case 'insert':
      case 'update':
      case 'delete':
      case 'truncate':
        return true;
      case 'create-table':
        if (statement.temporary) return true;
        if (statement.asSelect) return false;
        this.tables.set(statement.table.name, {
          name: statement.table.name,
          columns: statement.columns.map((c) => this.#column(c)),
          indexes: [],
          foreignKeys: [],
        });
        return true;
      case 'drop-table':
        for (const table of statement.tables) this.tables.delete(table.name);
        return true;
      case 'rename-table':
        for (const { from, to } of statement.renames) this.#rename(from.name, to.name);
        return true;
      case 'create-index': {
        const table = this.tables.get(statement.table.name);
        if (!table || statement.name === undefined) return false;
        table.indexes.push({ name: statement.name, columns: statement.columns, unique: statement.unique, constraint: false });
        return true;
      }
      case 'drop-index':
        for (const table of this.tables.values()) table.indexes = table.indexes.filter((i) => i.name !== statement.name);
        return true;
      case 'alter-table': {
        let followed = true;
        for (const action of statement.actions) followed = this.#alter(statement.table.name, action) && followed;
        return followed;
      }
      default:
        return false;
    }
  }

  #alter(name: string, action: AlterAction): boolean {
    if (action.kind === 'rename-table') {
      this.#rename(name, action.to.name);
      return true;
    }
    const table = this.tables.get(name);
    if (!table) return false;
    const column = (c: string) => table.columns.find((k) => k.name === c);
    switch (action.kind) {
      case 'add-column':
        table.columns.push(
          this.#column({ name: action.column, type: action.type, notNull: action.notNull, hasDefault: action.hasDefault, primary: false }),
        );
        return true;
      case 'drop-column':
        table.columns = table.columns.filter((c) => c.name !== action.column);
        table.indexes = table.indexes.filter((i) => !i.columns.includes(action.column));
        return true;
      case 'rename-column': {
        const renamed = column(action.from);
        if (!renamed) return false;
        renamed.name = action.to;
        for (const i of table.indexes) i.columns = i.columns.map((c) => (c === action.from ? action.to : c));
        return true;
      }
      case 'alter-column-type':
      case 'set-not-null':
      case 'drop-not-null':
      case 'set-default':
      case 'drop-default': {
        const changed = column(action.column);
        if (!changed) return false;
        if (action.kind === 'alter-column-type') Object.assign(changed, { dbType: action.type, type: this.specType(action.type) });
        if (action.kind === 'set-not-null' || action.kind === 'drop-not-null') changed.nullable = action.kind === 'drop-not-null';
        changed.madeBy = this.revision;
        return true;
      }
      case 'drop-index':
      case 'drop-constraint':
        table.indexes = table.indexes.filter((i) => i.name !== action.name);
        table.foreignKeys = table.foreignKeys.filter((fk) => fk.name !== action.name);
        return true;
      case 'add-constraint': {
        const { constraint, name, columns, references } = action;
        if (!columns) return false;
        if (constraint === 'primary-key') for (const c of table.columns) c.primary ||= columns.includes(c.name);
        else if ((constraint === 'unique' || constraint === 'index') && name !== undefined)
          table.indexes.push({ name, columns, unique: constraint === 'unique', constraint: false });
        else if (constraint === 'foreign-key' && references)
          table.foreignKeys.push({ name: name ?? '', columns, references: { table: references.table.name, columns: references.columns } });
        else return false;
        return true;
      }
      default:
        // CHECK constraints, partitions, table options: the SQL says too little here.
        return false;
    }
  }

  #column(definition: ColumnDefinition): LiveColumn {
    return {
      name: definition.name,
      type: this.specType(definition.type),
      dbType: definition.type,
      nullable: !definition.notNull && !definition.primary,
      default: undefined,
      primary: definition.primary,
      madeBy: this.revision,
    };
  }

  #rename(from: string, to: string): void {
    const table = this.tables.get(from);
    if (!table) return;
    this.tables.delete(from);
    this.tables.set(to, { ...table, name: to });
  }
}

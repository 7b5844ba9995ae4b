import { relative } from 'node:path';
import type { SourceFile } from 'ts-morph';
import { decoratorEditor } from './decorators.js';
import { DRAFTED_OPERATIONS, draftEditor } from './draft.js';
import { defineEntityEditor } from './define-entity.js';
import type { EditContext, IndexEntry, PropertyInfo, StyleEditor } from './editor.js';
import { entitySchemaEditor } from './entity-schema.js';
import { dropUnusedImport } from './imports.js';
import { conventionOf, extensionStyle, type ImportExtension, type PropertyConvention, propertyFor, specifierFor } from './names.js';
import { addForeignKey, createTable, dropTable, renameTable } from './plan-tables.js';
import { changedFields, type NewProperty } from './property.js';
import { fileImportStyle, importStyle, register } from './registry.js';
import type { ColumnSpec } from '../spec.js';
import type { EntityOperation, EntityPlan, EntityProject, EntitySource, EntityStyle } from './types.js';
import { Workspace } from './workspace.js';

const EDITORS: Record<EntityStyle, StyleEditor> = {
  decorator: decoratorEditor,
  'entity-schema': entitySchemaEditor,
  'define-entity': defineEntityEditor,
};

/** The entities as the operations so far leave them, and what planning needs to edit one. */
export class Planning {
  readonly ws: Workspace;
  readonly tables: Map<string, EntitySource>;
  readonly notes: string[] = [];
  /** New entities to list in the registry, in one edit at the end: editing it per table would re-parse it per table. */
  readonly registering: EntitySource[] = [];
  #projectStyle?: ImportExtension;
  #projectConvention?: PropertyConvention;

  constructor(
    readonly project: EntityProject,
    /** Every file edited one operation at a time: no drafts of new entity files, a barrel's entries one by one. */
    readonly stepwise = false,
  ) {
    this.ws = new Workspace(project.files);
    this.tables = new Map(project.entities.map((e) => [e.table, { ...e }]));
  }

  editor(entity: EntitySource): StyleEditor {
    return this.ws.draft(entity.file) ? draftEditor : EDITORS[entity.style];
  }

  context(entity: EntitySource): EditContext {
    // The project's style is read once: the registry grows with each new table.
    this.#projectStyle ??= importStyle(this.ws, [...(this.project.registry ? [this.project.registry.file] : []), ...this.project.files.keys()]);
    const draft = this.ws.draft(entity.file);
    const style = (draft ? extensionStyle(draft.specifiers()) : fileImportStyle(this.ws, entity.file)) ?? this.#projectStyle;
    return { ws: this.ws, entity, naming: this.project.naming, specifier: (to) => specifierFor(entity.file, to, style) };
  }

  /**
   * The entity's properties: those its definition declares, placed by the file, with what MikroORM's discovery says
   * of them while the file is as discovered; then those discovery finds elsewhere (a base class, an embeddable).
   */
  properties(entity: EntitySource): PropertyInfo[] {
    const draft = this.ws.draft(entity.file);
    if (draft) return draft.properties(this.project.naming);
    // Read again only once the file changes (a thousand foreign keys to one table read it once); new objects each
    // time, as reading gives: callers tell a property from the others by identity.
    const key = `properties ${entity.style} ${entity.declaration} ${entity.entityName}`;
    return this.ws.fact(entity.file, key, () => this.#read(entity)).map((p) => ({ ...p }));
  }

  #read(entity: EntitySource): PropertyInfo[] {
    const read = (file: SourceFile) => this.editor(entity).properties(file, entity, this.project.naming);
    const declared = read(this.ws.file(entity.file));
    const discovered = this.project.discovered?.get(entity.entityName)?.properties;
    if (!discovered || !this.project.files.has(entity.file)) return declared;
    const asDiscovered = this.ws.unchanged(entity.file);
    const original = asDiscovered ? declared : read(this.ws.original(entity.file));
    const own = declared.map((p) => {
      const d = asDiscovered ? discovered.find((x) => x.name === p.name) : undefined;
      return d ? { ...p, column: d.column, primary: d.primary, nullable: d.nullable, relation: d.relation, target: d.target ?? p.target } : p;
    });
    const naming = this.project.naming;
    const elsewhere = discovered
      .filter((d) => !original.some((p) => p.name === d.name) && !(d.embedded && original.some((p) => p.column === d.column)))
      .map(
        (d): PropertyInfo => ({
          ...d,
          explicitColumn: d.column !== (d.relation ? naming.joinColumnName(d.name) : naming.propertyToColumnName(d.name)),
          explicitType: true,
          elsewhere: d.embedded ? 'embedded' : 'inherited',
        }),
      );
    return [...own, ...elsewhere];
  }

  indexes(entity: EntitySource): IndexEntry[] {
    const draft = this.ws.draft(entity.file);
    if (draft) return draft.indexes();
    return this.editor(entity).indexes(this.ws.file(entity.file), entity);
  }

  /** How the entity names properties; where it cannot tell, how the project does; else after the column. */
  convention(entity?: EntitySource): PropertyConvention {
    const scalars = (e: EntitySource) => this.properties(e).filter((p) => !p.relation && !p.explicitColumn);
    const own = entity && conventionOf(scalars(entity));
    // The project's is read once: the entities made here follow it, and reading them all per operation is quadratic.
    this.#projectConvention ??= conventionOf([...this.tables.values()].flatMap(scalars)) ?? 'column';
    return own ?? this.#projectConvention;
  }

  /** The property for a new column: named by the convention, with `fieldName` where the naming strategy would not give the column. */
  newProperty(column: ColumnSpec, convention: PropertyConvention, noAutoincrement = false): NewProperty {
    const name = propertyFor(column.name, convention, this.project.naming);
    const fieldName = this.project.naming.propertyToColumnName(name) === column.name ? undefined : column.name;
    return { name, column, ...(fieldName ? { fieldName } : {}), ...(noAutoincrement ? { noAutoincrement } : {}) };
  }

  /** The default name MikroORM gives an index without one: from the table and its columns. */
  defaultName(entity: EntitySource, index: IndexEntry): string {
    const properties = this.properties(entity);
    const columns = index.properties.map((name) => properties.find((p) => p.name === name)?.column ?? name);
    return this.project.naming.indexName(entity.table, columns, index.unique ? 'unique' : 'index');
  }

  /** Runs an edit, then drops the imports it left unused (those already unused before stay: the rest of the file is not ours). */
  withImports(entity: EntitySource, edit: () => void): void {
    const used = this.ws.draft(entity.file)?.usedImports() ?? usedImports(this.ws.file(entity.file));
    edit();
    const draft = this.ws.draft(entity.file);
    if (draft) draft.dropUnusedImports(used);
    else for (const name of used) if (this.ws.has(entity.file)) this.ws.change(entity.file, dropUnusedImport(this.ws.file(entity.file), name));
  }

  /** Names indexes that go by their default name explicitly: the default follows table and columns, the database keeps the old name. */
  pinIndexNames(entity: EntitySource, which: (index: IndexEntry) => boolean): void {
    const unnamed = this.indexes(entity).filter((i) => !i.name && which(i));
    this.ws.change(
      entity.file,
      unnamed.flatMap((i) => i.setName(this.defaultName(entity, i))),
    );
  }

  where(entity: EntitySource): string {
    return `${entity.declaration} (${relative(this.project.projectDir, entity.file)})`;
  }
}

/** The names a file imports that its code uses. */
function usedImports(file: SourceFile): string[] {
  const names = file.getImportDeclarations().flatMap((d) => d.getNamedImports().map((n) => (n.getAliasNode() ?? n.getNameNode()).getText()));
  return names.filter((name) => dropUnusedImport(file, name).length === 0);
}

/** A short name of an operation for its note: `addColumn features.priority`. */
function describe(op: EntityOperation): string {
  const o = op as { op: string; table?: string; from?: string; column?: ColumnSpec | string; name?: string };
  if (o.table === undefined) return `${o.op} ${o.from}`;
  const column = typeof o.column === 'string' ? o.column : (o.column?.name ?? o.from ?? o.name);
  return column === undefined ? `${o.op} ${o.table}` : `${o.op} ${o.table}.${column}`;
}

/**
 * The edits to the entity files for the operations, computed in memory; nothing is written. `stepwise` edits every
 * file one operation at a time (new entity files too, a barrel's entries one by one): what the quicker paths must equal.
 */
export function planEntityEdits(project: EntityProject, operations: EntityOperation[], options: { stepwise?: boolean } = {}): EntityPlan {
  const planning = new Planning(project, options.stepwise);
  for (const op of operations) {
    const table = 'table' in op ? op.table : op.from;
    const entity = planning.tables.get(table);
    // An operation a draft does not take writes it out first; it edits the text from there.
    if (entity && op.op !== 'createTable' && !DRAFTED_OPERATIONS.includes(op.op)) planning.ws.writeDraft(entity.file);
    const note =
      op.op === 'createTable'
        ? createTable(planning, op)
        : entity
          ? (EDITS[op.op] as EntityEditFn<typeof op>)(planning, entity, op)
          : `no entity maps to table ${table}; edit the entities by hand`;
    if (note) planning.notes.push(`${describe(op)}: ${note}`);
  }
  if (planning.project.registry) {
    const kept = planning.registering.filter((e) => planning.ws.has(e.file));
    register(planning.ws, planning.project.registry, kept, [...project.files.keys()], planning.stepwise);
  }
  return { edits: planning.ws.edits(), notes: planning.notes };
}

type EntityEditFn<O> = (planning: Planning, entity: EntitySource, op: O) => string | undefined;
type OnEntity = Exclude<EntityOperation, { op: 'createTable' }>;

/**
 * Each edit of an existing entity (the entity editor's own vocabulary, as the file's operations have their methods:
 * the operation table says which of these a spec operation makes); each returns a note where it edits nothing.
 */
const EDITS: { [K in OnEntity['op']]: EntityEditFn<Extract<OnEntity, { op: K }>> } = {
  addColumn(planning, entity, op) {
    if (byColumn(planning, entity, op.column.name)) return `${planning.where(entity)} already maps column ${op.column.name}`;
    const property = planning.newProperty(op.column, planning.convention(entity));
    if (planning.properties(entity).some((p) => p.name === property.name)) return `${planning.where(entity)} already has a property ${property.name}`;
    return void planning.editor(entity).addProperty(planning.context(entity), property);
  },
  alterColumn(planning, entity, op) {
    const property = byColumn(planning, entity, op.column.name);
    if (!property) return missing(planning, entity, op.column.name);
    if (property.elsewhere) return notHere(planning, entity, property);
    if (property.relation) return `${property.name} is a relation; its column follows the key it references`;
    return void planning.editor(entity).alterProperty(planning.context(entity), property.name, op.column, changedFields(op.before, op.column));
  },
  renameColumn: (planning, entity, op) => renameColumn(planning, entity, op.from, op.to),
  dropColumn(planning, entity, op) {
    const property = byColumn(planning, entity, op.column);
    if (!property) return missing(planning, entity, op.column);
    if (property.elsewhere) return notHere(planning, entity, property);
    const editor = planning.editor(entity);
    const ctx = planning.context(entity);
    return void planning.withImports(entity, () => {
      for (let entry = findIndex(planning, entity, property.name); entry; entry = findIndex(planning, entity, property.name)) {
        planning.ws.change(entity.file, entry.remove());
      }
      editor.removeProperty(ctx, property.name);
    });
  },
  createIndex(planning, entity, op) {
    const names = op.columns.map((c) => byColumn(planning, entity, c)?.name);
    const unknown = op.columns.find((_, i) => !names[i]);
    if (unknown) return missing(planning, entity, unknown);
    if (planning.indexes(entity).some((i) => i.name === op.name)) return `${planning.where(entity)} already declares index ${op.name}`;
    return void planning.editor(entity).addIndex(planning.context(entity), { name: op.name, properties: names as string[], unique: op.unique });
  },
  dropIndex(planning, entity, op) {
    const entry = planning.indexes(entity).find((i) => (i.name ?? planning.defaultName(entity, i)) === op.name);
    if (!entry) return `${planning.where(entity)} declares no index ${op.name}`;
    return void planning.withImports(entity, () => planning.ws.change(entity.file, entry.remove()));
  },
  addForeignKey: (planning, entity, op) => addForeignKey(planning, entity, op),
  renameTable: (planning, entity, op) => renameTable(planning, entity, op.to),
  dropTable: (planning, entity) => dropTable(planning, entity),
};

const byColumn = (planning: Planning, entity: EntitySource, column: string) => planning.properties(entity).find((p) => p.column === column);
const missing = (planning: Planning, entity: EntitySource, column: string) => `${planning.where(entity)} has no property for column ${column}`;

/** The note for a property the entity maps but does not declare itself: its base class or embeddable holds it. */
export function notHere(planning: Planning, entity: EntitySource, property: PropertyInfo): string {
  const holder = property.elsewhere === 'inherited' ? 'a base class' : 'an embeddable';
  return `${property.name} of ${planning.where(entity)} is declared in ${holder}; edit it there by hand`;
}

/** An index that names the property and is declared on the entity (one on the property itself goes with it). */
function findIndex(planning: Planning, entity: EntitySource, property: string): IndexEntry | undefined {
  return planning.indexes(entity).find((i) => i.properties.includes(property) && i.onProperty === undefined);
}

function renameColumn(planning: Planning, entity: EntitySource, from: string, to: string): string | undefined {
  const property = planning.properties(entity).find((p) => p.column === from);
  if (!property) return `${planning.where(entity)} has no property for column ${from}`;
  if (property.elsewhere) return notHere(planning, entity, property);
  const editor = planning.editor(entity);
  const ctx = planning.context(entity);
  planning.pinIndexNames(entity, (i) => i.properties.includes(property.name));
  const name = propertyFor(to, planning.convention(entity), planning.project.naming);
  const derived = planning.project.naming.propertyToColumnName(name) === to;
  const taken = planning.properties(entity).some((p) => p.name === name && p !== property);
  if (property.explicitColumn || property.relation || !derived || taken) return void editor.setColumnName(ctx, property.name, to);
  editor.renameProperty(ctx, property.name, name);
  planning.ws.change(
    entity.file,
    planning.indexes(entity).flatMap((i) => i.renameProperty(property.name, name)),
  );
  return undefined;
}

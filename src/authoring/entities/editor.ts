import type { SourceFile } from 'ts-morph';
import type { ColumnSpec, ReferentialAction } from '../spec.js';
import type { EntityDraft } from './draft.js';
import type { ColumnField, NewProperty } from './property.js';
import type { Change } from './text-edits.js';
import type { EntitySource, Naming } from './types.js';
import type { Workspace } from './workspace.js';

/** A property of an entity that maps to a column. */
export interface PropertyInfo {
  name: string;
  column: string;
  /** The column is named in the definition (`fieldName`, `name`, `joinColumn`), not derived by the naming strategy. */
  explicitColumn: boolean;
  /** A many-to-one or owning one-to-one relation; `target` is the entity as written (`User`, `'User'`). */
  relation: boolean;
  target?: string;
  primary: boolean;
  nullable: boolean;
  /** `type` (or `columnType`) is given, rather than read from decorator metadata. */
  explicitType: boolean;
  /** Mapped, but not declared in the entity's own definition: from a base class or an embeddable (MikroORM's discovery). */
  elsewhere?: 'inherited' | 'embedded';
}

/** An index or unique constraint the entity declares, on the entity or on one property. */
export interface IndexEntry {
  name?: string;
  properties: string[];
  unique: boolean;
  /** The property that declares it on itself (`unique: true`, `@Index()` on the property). */
  onProperty?: string;
  remove(): Change[];
  /** Renames a property in the index's `properties`. */
  renameProperty(from: string, to: string): Change[];
  /** Names the index explicitly (its default name would change with a renamed column). */
  setName(name: string): Change[];
}

/** A scalar property made a many-to-one relation by addForeignKey. */
export interface Relation {
  name: string;
  target: EntitySource;
  fieldName: string;
  nullable: boolean;
  deleteRule?: ReferentialAction;
  updateRule?: ReferentialAction;
  /** The constraint's name where it is not MikroORM's default. */
  foreignKeyName?: string;
}

/** A new entity for createTable. */
export interface NewEntity {
  entityName: string;
  declaration: string;
  table: string;
  file: string;
  properties: NewProperty[];
}

/** What an edit works on: the files, the entity, and how the project names and imports things. */
export interface EditContext {
  ws: Workspace;
  entity: EntitySource;
  naming: Naming;
  /** The module specifier for importing `toFile` into the entity's file, in the project's style. */
  specifier(toFile: string): string;
}

/** The edits one way of writing entities supports; each applies its changes to the workspace. */
export interface StyleEditor {
  properties(file: SourceFile, entity: EntitySource, naming: Naming): PropertyInfo[];
  indexes(file: SourceFile, entity: EntitySource): IndexEntry[];
  addProperty(ctx: EditContext, property: NewProperty): void;
  alterProperty(ctx: EditContext, name: string, column: ColumnSpec, fields: ColumnField[]): void;
  renameProperty(ctx: EditContext, from: string, to: string): void;
  setColumnName(ctx: EditContext, name: string, column: string): void;
  removeProperty(ctx: EditContext, name: string): void;
  toRelation(ctx: EditContext, name: string, relation: Relation): void;
  addIndex(ctx: EditContext, index: { name: string; properties: string[]; unique: boolean }): void;
  setTableName(ctx: EditContext, table: string): void;
  /** Removes the entity's declaration from a file that declares others too. */
  removeDeclaration(ctx: EditContext): void;
  /** A new entity file, written as `neighbour`'s file is: a draft the spec's later operations on its table may shape. */
  newDraft(ws: Workspace, neighbour: EntitySource, entity: NewEntity, source: EntitySource): EntityDraft;
}

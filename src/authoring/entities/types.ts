import type { ColumnSpec, ReferentialAction } from '../spec.js';
import type { DiscoveredEntities } from './metadata.js';

/** The three ways MikroORM users write entities. */
export type EntityStyle = 'decorator' | 'entity-schema' | 'define-entity';

/** One entity definition of the project, as its file declares it. */
export interface EntitySource {
  table: string;
  /** MikroORM's entity name: the class name, or the schema's `name`. */
  entityName: string;
  /** Absolute path of the file that declares it. */
  file: string;
  style: EntityStyle;
  /** The class (decorator) or exported variable (`new EntitySchema`, `defineEntity`) that declares it. */
  declaration: string;
  /** EntitySchema<T>: the interface or type T, when the same file declares it. */
  typeName?: string;
}

/** Where the config lists entities one by one, or through a barrel: where a new entity is added (nothing to do for paths and globs). */
export interface EntityRegistry {
  /** The file holding the array literal: the config, or the module it imports the array from. */
  file: string;
  /** Property (`entities`, `entitiesTs`) or variable that holds the array. */
  name: string;
  /** The module (an `index.ts`) the registry imports its entities from, which re-exports them from their files. */
  barrel?: string;
  /** The config lists whatever the barrel exports (`Object.values(entities)`): a new entity is added to the barrel alone. */
  wholeBarrel?: boolean;
}

/** MikroORM's naming strategy, as far as entity edits need it. */
export interface Naming {
  classToTableName(entityName: string): string;
  propertyToColumnName(propertyName: string): string;
  columnNameToProperty(columnName: string): string;
  joinColumnName(propertyName: string): string;
  indexName(tableName: string, columns: string[], type: 'index' | 'unique' | 'foreign'): string;
  getEntityName(tableName: string): string;
  getClassName(file: string, separator?: string): string;
}

/** A project's entities, read once: what planning needs, with the text of every file it may edit. */
export interface EntityProject {
  configPath: string;
  projectDir: string;
  entities: EntitySource[];
  /** Undefined where entities are found through paths or globs. */
  registry?: EntityRegistry;
  /** Text of each entity file and of the registry file, as read. */
  files: Map<string, string>;
  naming: Naming;
  /** What could not be followed (a compiled .js path, an entity list built at run time…). */
  notes: string[];
  /** The entities as MikroORM's discovery resolved them, where it could load them. */
  discovered?: DiscoveredEntities;
}

/** A spec operation with what the live schema adds: full column definitions and resolved names. */
export type EntityOperation =
  | { op: 'createTable'; table: string; columns: ColumnSpec[] }
  | { op: 'addColumn'; table: string; column: ColumnSpec }
  /** `before`, where known, limits the edit to what changed; without it every option of `column` is written. */
  | { op: 'alterColumn'; table: string; column: ColumnSpec; before?: ColumnSpec }
  | { op: 'renameColumn'; table: string; from: string; to: string }
  | { op: 'dropColumn'; table: string; column: string }
  | { op: 'createIndex'; table: string; name: string; columns: string[]; unique: boolean }
  | { op: 'dropIndex'; table: string; name: string; columns: string[]; unique: boolean }
  | {
      op: 'addForeignKey';
      table: string;
      name: string;
      columns: string[];
      references: { table: string; columns: string[] };
      onDelete?: ReferentialAction;
      onUpdate?: ReferentialAction;
    }
  | { op: 'renameTable'; from: string; to: string }
  | { op: 'dropTable'; table: string };

/** A file to change: `before` null for a new file, `after` null for a deleted one. */
export interface EntityEdit {
  path: string;
  before: string | null;
  after: string | null;
}

/** The edits for a list of operations, and one line for each operation that edits nothing. */
export interface EntityPlan {
  edits: EntityEdit[];
  notes: string[];
}

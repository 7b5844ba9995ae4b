import type { ColumnSpec } from '../spec.js';
import type { EditContext, IndexEntry, PropertyInfo, Relation, StyleEditor } from './editor.js';
import type { NewProperty } from './property.js';
import { quoted } from './text-edits.js';
import type { EntitySource, Naming } from './types.js';

// A new table's entity file, kept as data while the spec's operations on that table shape it (a column added, one
// renamed, an index, a relation) and written once: editing its text op by op re-parses it per op. What each draft
// writes is what the style's edits would have made of the file, byte for byte (test/authoring/entities/drafts.test.ts
// plans specs both ways). An operation a draft does not take writes it out first; the file's edits go on from there.

/** The operations a draft takes; any other on its table writes it out first. */
export const DRAFTED_OPERATIONS = ['addColumn', 'renameColumn', 'createIndex', 'addForeignKey'];

/** A property of a draft: a column's or a relation's, with its options as written (key, source text), in order. */
export interface DraftProperty {
  name: string;
  options: Array<[string, string]>;
  column?: ColumnSpec;
  relation?: Relation;
  /** The column, where the property names it (`fieldName`). */
  fieldName?: string;
  /** A unique constraint the property declares on itself: `true`, or its name. */
  unique?: true | string;
  /** Its TypeScript type as written: the class property's (decorators) or the member of T's (EntitySchema<T>). */
  type?: string;
}

/** An index the entity declares on itself (`indexes: […]`, `@Index(…)`). */
export interface DraftIndex {
  name: string;
  properties: string[];
  unique: boolean;
}

/** An import statement: `import [type ]{ names } from 'module';`, names as written (`p as b`). */
interface DraftImport {
  module: string;
  names: string[];
  typeOnly: boolean;
}

/** Sets an option as `setOption` does on an object literal: replaced in place, else added (`type` first). */
export function setDraftOption(options: Array<[string, string]>, key: string, text: string): void {
  const existing = options.find(([k]) => k === key);
  if (existing) existing[1] = text;
  else if (key === 'type' && options.length > 0) options.unshift([key, text]);
  else options.push([key, text]);
}

const importedName = (written: string) => written.split(' as ')[0].trim();
const localName = (written: string) => (written.split(' as ')[1] ?? written).trim();
/** Whether `name` is an identifier of the code. */
const uses = (code: string, name: string) => new RegExp(`(?<![\\w$])${name.replaceAll('$', '\\$')}(?![\\w$])`).test(code);
const STRINGS = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g;

export abstract class EntityDraft {
  readonly props: DraftProperty[];
  readonly indexList: DraftIndex[] = [];
  readonly #imports: DraftImport[];

  protected constructor(
    readonly entity: EntitySource,
    readonly quote: string,
    /** The neighbour's line break: the file is written with it. */
    private readonly eol: string,
    mikroImport: { module: string; names: string[] },
    props: DraftProperty[],
  ) {
    this.#imports = [{ ...mikroImport, typeOnly: false }];
    this.props = props;
  }

  /** The lines after the imports and the blank line after them. */
  protected abstract body(): string[];
  abstract addProperty(property: NewProperty): void;
  abstract toRelation(name: string, relation: Relation, specifier: (toFile: string) => string): void;
  abstract addIndex(index: DraftIndex): void;
  /** The entity a relation of this style points to, as written (`'User'`, `() => User`: its name). */
  protected abstract targetOf(relation: Relation): string;
  /** Whether the style writes `type` on this property (decorators may leave it to metadata). */
  protected explicitType(_p: DraftProperty): boolean {
    return true;
  }

  /** Whether the draft can take operations: reading its file again would find what the draft says of it. */
  keepable(): boolean {
    return this.props.length > 0;
  }

  /** The file as the operations so far leave it. */
  text(): string {
    const imports = this.#imports.map((i) => `import ${i.typeOnly ? 'type ' : ''}{ ${i.names.join(', ')} } from ${quoted(i.module, this.quote)};`);
    return [...imports, ...(imports.length > 0 ? [''] : []), ...this.body()].join('\n').replaceAll('\n', this.eol);
  }

  /** The module specifiers of its imports, in order. */
  specifiers(): string[] {
    return this.#imports.map((i) => i.module);
  }

  /** What reading the file would find: its properties that map to a column, in order. */
  properties(naming: Naming): PropertyInfo[] {
    return this.props.map((p) => {
      const relation = p.relation !== undefined;
      return {
        name: p.name,
        column: p.fieldName ?? (relation ? naming.joinColumnName(p.name) : naming.propertyToColumnName(p.name)),
        explicitColumn: p.fieldName !== undefined,
        relation,
        target: p.relation ? this.targetOf(p.relation) : undefined,
        primary: Boolean(p.column?.primary),
        nullable: Boolean(p.relation ? p.relation.nullable : p.column?.nullable),
        explicitType: this.explicitType(p),
      };
    });
  }

  /** What reading the file would find: the entity's own indexes (`indexes` before `uniques`), then those on properties. */
  indexes(): IndexEntry[] {
    const unwritten = (): never => {
      throw new Error(`entity edits: ${this.entity.declaration} drops an index before its file is written`);
    };
    const own = this.ordered().map(
      (i): IndexEntry => ({
        name: i.name,
        properties: i.properties,
        unique: i.unique,
        remove: unwritten,
        renameProperty: (from, to) => {
          i.properties = i.properties.map((p) => (p === from ? to : p));
          return [];
        },
        setName: (name) => {
          i.name = name;
          return [];
        },
      }),
    );
    const onProperties = this.props.flatMap((p): IndexEntry[] =>
      p.unique === undefined
        ? []
        : [
            {
              name: p.unique === true ? undefined : p.unique,
              properties: [p.name],
              unique: true,
              onProperty: p.name,
              remove: unwritten,
              renameProperty: () => [],
              setName: (name) => {
                p.unique = name;
                setDraftOption(p.options, 'unique', quoted(name, this.quote));
                return [];
              },
            },
          ],
    );
    return [...own, ...onProperties];
  }

  /** The entity's own indexes in the order reading them finds them. */
  protected ordered(): DraftIndex[] {
    return this.indexList;
  }

  property(name: string): DraftProperty {
    const found = this.props.find((p) => p.name === name);
    if (!found) throw new Error(`entity edits: ${this.entity.declaration} has no property ${name}`);
    return found;
  }

  renameProperty(from: string, to: string): void {
    this.property(from).name = to;
  }

  /** The column named on the property: its `fieldName`, set or added. */
  setColumnName(name: string, column: string): void {
    const p = this.property(name);
    p.fieldName = column;
    setDraftOption(p.options, 'fieldName', quoted(column, this.quote));
  }

  /** Names the file declares itself (an import of one of them is never added). */
  protected declares(name: string): boolean {
    return name === this.entity.declaration;
  }

  /** `ensureImport`: `name` added to the import of `module`, else imported in a new statement after the last. */
  protected ensureImport(module: string, name: string, typeOnly = false): void {
    if (this.#imports.some((i) => i.names.some((n) => localName(n) === name)) || this.declares(name)) return;
    const same = this.#imports.find((i) => i.module === module && i.typeOnly === typeOnly);
    if (!same) {
      this.#imports.push({ module, names: [name], typeOnly });
      return;
    }
    // Where the names are sorted, the new one goes where it sorts.
    const names = same.names.map(importedName);
    const sorted = names.every((n, i) => i === 0 || names[i - 1].localeCompare(n) <= 0);
    const next = sorted ? names.findIndex((n) => n.localeCompare(name) > 0) : -1;
    same.names.splice(next < 0 ? same.names.length : next, 0, name);
  }

  /** The names the file imports that its code uses: a relation's edit may leave one unused (`withImports`). */
  usedImports(): string[] {
    const code = this.#code();
    return this.#imports.flatMap((i) => i.names.map(localName)).filter((name) => uses(code, name));
  }

  /** Drops the imports of `names` that the code no longer uses, one after the other. */
  dropUnusedImports(names: string[]): void {
    const code = this.#code();
    for (const name of names) {
      if (uses(code, name)) continue;
      const at = this.#imports.findIndex((i) => i.names.some((n) => localName(n) === name));
      if (at < 0) continue;
      const statement = this.#imports[at];
      statement.names = statement.names.filter((n) => localName(n) !== name);
      if (statement.names.length === 0) this.#imports.splice(at, 1);
    }
  }

  /** The code outside the imports, string literals emptied (dropping an import changes neither). */
  #code(): string {
    return this.body().join('\n').replace(STRINGS, '""');
  }
}

const draftOf = (ctx: EditContext): EntityDraft => {
  const draft = ctx.ws.draft(ctx.entity.file);
  if (!draft) throw new Error(`entity edits: ${ctx.entity.file} is no draft`);
  return draft;
};
const written = (edit: string) => (): never => {
  throw new Error(`entity edits: ${edit} on a draft; the file is written before an operation a draft does not take`);
};

/** The edits a draft takes, as the style editors' (planning picks this editor while an entity's file is a draft). */
export const draftEditor: StyleEditor = {
  properties: written('properties'),
  indexes: written('indexes'),
  addProperty: (ctx, property) => draftOf(ctx).addProperty(property),
  alterProperty: written('alterProperty'),
  renameProperty: (ctx, from, to) => draftOf(ctx).renameProperty(from, to),
  setColumnName: (ctx, name, column) => draftOf(ctx).setColumnName(name, column),
  removeProperty: written('removeProperty'),
  toRelation: (ctx, name, relation) => draftOf(ctx).toRelation(name, relation, ctx.specifier),
  addIndex: (ctx, index) => draftOf(ctx).addIndex(index),
  setTableName: written('setTableName'),
  removeDeclaration: written('removeDeclaration'),
  newDraft: written('newDraft'),
};

import type { Node, SourceFile } from 'ts-morph';
import { schemaOptions } from './detect.js';
import { type DraftIndex, type DraftProperty, EntityDraft } from './draft.js';
import type { NewEntity, Relation } from './editor.js';
import { mikroModule } from './imports.js';
import { objectText, optionNode } from './options.js';
import { builderCalls, newOptions, type NewProperty, relationEntity, relationOptions, TS_TYPES } from './property.js';
import { propertiesOf } from './schema-object.js';
import { baseTypeIn, writesNullIn } from './schema-type.js';
import { eolOf, indentUnit, quoted, quoteOf } from './text-edits.js';
import { tsMorph } from './ts-morph.js';
import type { EntitySource } from './types.js';
import type { Workspace } from './workspace.js';

// New entity files for createTable in the options-object styles (`new EntitySchema({ … })`, `defineEntity({ … })`),
// written as the neighbour's file is, and kept as drafts while the spec's operations shape them.

/** Whether the neighbour writes a comma after the last property, and after `properties: { … }` (its last option). */
function trailingCommas(f: SourceFile, neighbour: EntitySource): { properties: boolean; options: boolean } {
  const comma = (node: Node | undefined) => !node || Boolean(node.getNextSiblingIfKind(tsMorph().SyntaxKind.CommaToken));
  const options = schemaOptions(f, neighbour);
  return { properties: comma(propertiesOf(options).object.getProperties().at(-1)), options: comma(options.getProperties().at(-1)) };
}

function schemaOptionsOf(p: NewProperty, quote: string): Array<[string, string]> {
  const options = newOptions(p, true, quote);
  if (p.column.primary) options.splice(1, 0, ['primary', 'true']);
  return options;
}

function draftProperty(p: NewProperty, quote: string): DraftProperty {
  return {
    name: p.name,
    options: schemaOptionsOf(p, quote),
    column: p.column,
    ...(p.fieldName ? { fieldName: p.fieldName } : {}),
    ...(p.column.unique ? { unique: true as const } : {}),
  };
}

/** How the neighbour's file is written: quotes, indentation, line breaks, trailing commas. */
interface Layout {
  quote: string;
  unit: string;
  eol: string;
  commas: { properties: boolean; options: boolean };
}

function layoutOf(ws: Workspace, neighbour: EntitySource): Layout {
  return ws.fact(neighbour.file, `layout ${neighbour.declaration}`, (f) => ({
    quote: quoteOf(f),
    unit: indentUnit(f),
    eol: eolOf(f.getFullText()),
    commas: trailingCommas(f, neighbour),
  }));
}

/** The layout both styles share: name, tableName, `indexes`/`uniques` where added, then the properties, one per line. */
abstract class SchemaObjectDraft extends EntityDraft {
  protected readonly unit: string;
  readonly #commas: { properties: boolean; options: boolean };
  /** `indexes` and `uniques`, in the order they were added (each goes before `properties`). */
  readonly #lists: Array<'indexes' | 'uniques'> = [];

  protected constructor(layout: Layout, source: EntitySource, mikroImport: { module: string; names: string[] }, props: DraftProperty[]) {
    super(source, layout.quote, layout.eol, mikroImport, props);
    this.unit = layout.unit;
    this.#commas = layout.commas;
  }

  /** The property's value as written: an options object or a builder chain. */
  protected abstract value(p: DraftProperty): string;
  /** What comes before the options (`new EntitySchema<T>`), and how `properties` opens and closes. */
  protected abstract frame(): { head: string[]; call: string; open: string; close: string };

  protected body(): string[] {
    const unit = this.unit;
    const { head, call, open, close } = this.frame();
    const entry = (i: DraftIndex) =>
      `{ name: ${quoted(i.name, this.quote)}, properties: [${i.properties.map((p) => quoted(p, this.quote)).join(', ')}] }`;
    const lists = this.#lists.map((key) => `${unit}${key}: [${this.#list(key).map(entry).join(', ')}],`);
    const last = this.props.length - 1;
    const lines = this.props.map((p, i) => `${unit}${unit}${p.name}: ${this.value(p)}${this.#commas.properties || i < last ? ',' : ''}`);
    return [
      ...head,
      `export const ${this.entity.declaration} = ${call}({`,
      `${unit}name: ${quoted(this.entity.entityName, this.quote)},`,
      `${unit}tableName: ${quoted(this.entity.table, this.quote)},`,
      ...lists,
      `${unit}properties: ${open}`,
      ...lines,
      `${unit}${close}${this.#commas.options ? ',' : ''}`,
      '});',
      '',
    ];
  }

  #list(key: 'indexes' | 'uniques'): DraftIndex[] {
    return this.indexList.filter((i) => i.unique === (key === 'uniques'));
  }

  protected override ordered(): DraftIndex[] {
    return [...this.#list('indexes'), ...this.#list('uniques')];
  }

  addIndex(index: DraftIndex): void {
    const key = index.unique ? 'uniques' : 'indexes';
    if (!this.#lists.includes(key)) this.#lists.push(key);
    this.indexList.push({ ...index, properties: [...index.properties] });
  }

  protected addDraftProperty(p: NewProperty): DraftProperty {
    const added = draftProperty(p, this.quote);
    this.props.push(added);
    return added;
  }
}

/** `export interface T { … }` and `export const TSchema = new EntitySchema<T>({ … })`, as the neighbour pairs them. */
class EntitySchemaDraft extends SchemaObjectDraft {
  readonly #typed: boolean;

  constructor(ws: Workspace, neighbour: EntitySource, entity: NewEntity, source: EntitySource) {
    const layout = layoutOf(ws, neighbour);
    const read = ws.fact(neighbour.file, `entity-schema ${neighbour.declaration}`, (f) => ({
      module: mikroModule(f, ['EntitySchema']) ?? '@mikro-orm/core',
      nullUnion: writesNullIn(f, neighbour),
    }));
    const props = entity.properties.map((p) => {
      const type = p.column.type;
      const base = ws.fact(neighbour.file, `type ${neighbour.declaration} ${type}`, (f) => baseTypeIn(f, neighbour, { name: '', type }));
      return { ...draftProperty(p, layout.quote), type: p.column.nullable && read.nullUnion ? `${base} | null` : base };
    });
    super(layout, source, { module: read.module, names: ['EntitySchema'] }, props);
    this.#typed = neighbour.typeName !== undefined;
  }

  /** Also: each member's type reads back as written, and with `| null` as a union with null (not a function type's result). */
  override keepable(): boolean {
    return super.keepable() && this.props.every((p) => !/=>|\?|\bextends\b/.test(p.type ?? ''));
  }

  protected frame() {
    const name = this.entity.entityName;
    const members = this.props.map((p) => `${this.unit}${p.name}${this.#nullable(p) ? '?' : ''}: ${p.type};`);
    const head = this.#typed ? [`export interface ${name} {`, ...members, '}', ''] : [];
    return { head, call: `new EntitySchema${this.#typed ? `<${name}>` : ''}`, open: '{', close: '}' };
  }

  #nullable(p: DraftProperty): boolean {
    return Boolean(p.relation ? p.relation.nullable : p.column?.nullable);
  }

  protected value(p: DraftProperty): string {
    return objectText(p.options);
  }

  protected targetOf(relation: Relation): string {
    return relation.target.entityName;
  }

  addProperty(property: NewProperty): void {
    // `baseTypeIn` on the file: the type of the first property of the same column type, else MikroORM's.
    const sibling = this.props.find((p) => p.column?.type === property.column.type && p.options.some(([k]) => k === 'type'));
    const base = this.#typed && sibling?.type ? sibling.type.replace(/ \| null$/, '') : TS_TYPES[property.column.type];
    const nullUnion = this.props.some((p) => p.type?.endsWith(' | null'));
    const added = this.addDraftProperty(property);
    added.type = property.column.nullable && nullUnion ? `${base} | null` : base;
  }

  toRelation(name: string, relation: Relation, specifier: (toFile: string) => string): void {
    const p = this.property(name);
    const quote = this.quote;
    const entity = relationEntity(relation, quote);
    const options: Array<[string, string]> = [['kind', quoted('m:1', quote)], ['entity', entity.text], ...relationOptions(relation, quote)];
    const target = relation.target.typeName ?? (relation.target.style === 'decorator' ? relation.target.declaration : undefined);
    Object.assign(p, { name: relation.name, options, relation, fieldName: relation.fieldName, type: target ?? 'unknown' });
    p.column = undefined;
    p.unique = undefined;
    const elsewhere = relation.target.file !== this.entity.file;
    if (entity.valueImport && elsewhere) this.ensureImport(specifier(relation.target.file), entity.valueImport);
    if (this.#typed && target && elsewhere && target !== entity.valueImport) this.ensureImport(specifier(relation.target.file), target, true);
  }
}

/** `export const X = defineEntity({ … })` with `p.<type>()` builders, imported or as the neighbour's callback parameter. */
class DefineEntityDraft extends SchemaObjectDraft {
  readonly #builder: string;
  readonly #callback: boolean;
  readonly #objects: boolean;

  constructor(ws: Workspace, neighbour: EntitySource, entity: NewEntity, source: EntitySource) {
    const layout = layoutOf(ws, neighbour);
    const read = ws.fact(neighbour.file, `define-entity ${neighbour.declaration}`, (f) => {
      const { builder } = propertiesOf(schemaOptions(f, neighbour));
      return {
        callback: builder !== undefined,
        builder: builder ?? importedBuilder(f) ?? 'p',
        objects: neighbourUsesObjects(f, neighbour),
        module: mikroModule(f, ['defineEntity']) ?? '@mikro-orm/core',
      };
    });
    const p = read.builder;
    const names = read.callback || read.objects ? ['defineEntity'] : ['defineEntity', p === 'p' ? 'p' : `p as ${p}`];
    const props = entity.properties.map((prop) => draftProperty(prop, layout.quote));
    super(layout, source, { module: read.module, names }, props);
    this.#builder = p;
    this.#callback = read.callback;
    this.#objects = read.objects;
  }

  protected frame() {
    const open = this.#callback ? `(${this.#builder}) => ({` : '{';
    return { head: [], call: 'defineEntity', open, close: this.#callback ? '})' : '}' };
  }

  protected value(p: DraftProperty): string {
    if (p.relation) {
      const target = p.relation.target.declaration;
      if (this.#objects) return objectText(p.options);
      return `${this.#builder}.manyToOne(${target})${builderCalls(p.options)}`;
    }
    if (this.#objects) return objectText(p.options);
    return `${this.#builder}.${p.column!.type}()${builderCalls(p.options.filter(([key]) => key !== 'type'))}`;
  }

  protected targetOf(relation: Relation): string {
    return relation.target.declaration;
  }

  addProperty(property: NewProperty): void {
    this.addDraftProperty(property);
  }

  toRelation(name: string, relation: Relation, specifier: (toFile: string) => string): void {
    const p = this.property(name);
    const target = relation.target.declaration;
    const relationOpts = relationOptions(relation, this.quote);
    const options: Array<[string, string]> = this.#objects
      ? [['kind', quoted('m:1', this.quote)], ['entity', `() => ${target}`], ...relationOpts]
      : relationOpts;
    Object.assign(p, { name: relation.name, options, relation, fieldName: relation.fieldName });
    p.column = undefined;
    p.unique = undefined;
    if (relation.target.file !== this.entity.file) this.ensureImport(specifier(relation.target.file), target);
  }
}

/** The local name of the `p` builders a file imports from MikroORM. */
export function importedBuilder(f: SourceFile): string | undefined {
  for (const declaration of f.getImportDeclarations()) {
    const spec = declaration.getNamedImports().find((n) => n.getName() === 'p');
    if (spec) return (spec.getAliasNode() ?? spec.getNameNode()).getText();
  }
  return undefined;
}

/** Whether the neighbour writes its properties as option objects (`{ type: 'string' }`) rather than builders. */
function neighbourUsesObjects(f: SourceFile, neighbour: EntitySource): boolean {
  const first = propertiesOf(schemaOptions(f, neighbour)).object.getProperties()[0];
  const value = first && tsMorph().Node.isPropertyAssignment(first) ? first.getInitializer() : undefined;
  return Boolean(value && tsMorph().Node.isObjectLiteralExpression(value) && optionNode(value, 'type'));
}

export function entitySchemaDraft(ws: Workspace, neighbour: EntitySource, entity: NewEntity, source: EntitySource): EntityDraft {
  return new EntitySchemaDraft(ws, neighbour, entity, source);
}

export function defineEntityDraft(ws: Workspace, neighbour: EntitySource, entity: NewEntity, source: EntitySource): EntityDraft {
  return new DefineEntityDraft(ws, neighbour, entity, source);
}

import type { ObjectLiteralExpression, PropertyAssignment, SourceFile } from 'ts-morph';
import { argumentOf, type Chain, calls, parseChain, setCall } from './chain.js';
import { schemaOptions } from './detect.js';
import type { IndexEntry, PropertyInfo, StyleEditor } from './editor.js';
import { flagOrName, objectIndex, propertyIndex } from './indexes.js';
import { objectOption, optionNode, setOption, stringOption, stringValue } from './options.js';
import { type Change, insertItem, quoted, quoteOf, removeItem } from './text-edits.js';
import { tsMorph } from './ts-morph.js';
import type { EntitySource, Naming } from './types.js';

// What `new EntitySchema({ … })` and `defineEntity({ … })` share: one options object with `tableName`,
// `indexes`, `uniques` and `properties`, each property an options object or (defineEntity) a builder chain.

/** A property of an options-object entity: its `key: value`, the value as an object or a builder chain. */
export interface SchemaProperty {
  node: PropertyAssignment;
  name: string;
  object?: ObjectLiteralExpression;
  chain?: Chain;
}

/** `properties: { … }`, or defineEntity's `properties: (p) => ({ … })` with the builder's parameter name. */
export function propertiesOf(options: ObjectLiteralExpression): { object: ObjectLiteralExpression; builder?: string } {
  const { Node } = tsMorph();
  const direct = objectOption(options, 'properties');
  if (direct) return { object: direct };
  const fn = optionNode(options, 'properties')?.getInitializer();
  if (fn && Node.isArrowFunction(fn)) {
    let body = fn.getBody();
    while (Node.isParenthesizedExpression(body)) body = body.getExpression();
    if (Node.isBlock(body))
      body =
        body
          .getStatements()
          .find((s) => Node.isReturnStatement(s))
          ?.getExpression() ?? body;
    while (Node.isParenthesizedExpression(body)) body = body.getExpression();
    if (Node.isObjectLiteralExpression(body)) return { object: body, builder: fn.getParameters()[0]?.getName() };
  }
  throw new Error('entity edits: the entity has no properties object');
}

export function schemaProperties(file: SourceFile, entity: EntitySource): SchemaProperty[] {
  const { Node } = tsMorph();
  return propertiesOf(schemaOptions(file, entity))
    .object.getProperties()
    .flatMap((node) => {
      if (!Node.isPropertyAssignment(node)) return [];
      const value = node.getInitializer();
      const object = value && Node.isObjectLiteralExpression(value) ? value : undefined;
      return [{ node, name: node.getName(), object, chain: object ? undefined : parseChain(value) }];
    });
}

export function findSchemaProperty(file: SourceFile, entity: EntitySource, name: string): SchemaProperty {
  const found = schemaProperties(file, entity).find((p) => p.name === name);
  if (!found) throw new Error(`entity edits: ${entity.declaration} has no property ${name}`);
  return found;
}

const KINDS: Record<string, string> = {
  MANY_TO_ONE: 'm:1',
  ONE_TO_ONE: '1:1',
  ONE_TO_MANY: '1:m',
  MANY_TO_MANY: 'm:n',
  EMBEDDED: 'embedded',
  SCALAR: 'scalar',
};
const ROOT_KINDS: Record<string, string> = {
  manyToOne: 'm:1',
  oneToOne: '1:1',
  oneToMany: '1:m',
  manyToMany: 'm:n',
  embedded: 'embedded',
  formula: 'formula',
};

/** m:1, 1:1, 1:m, m:n, embedded or scalar, from `kind`/`reference` (string or ReferenceKind.X) or the builder's root. */
function kindOf(p: SchemaProperty): string {
  if (p.chain) return ROOT_KINDS[p.chain.root.name] ?? 'scalar';
  const value = p.object && (optionNode(p.object, 'kind') ?? optionNode(p.object, 'reference'))?.getInitializer();
  if (!value) return 'scalar';
  return stringValue(value) ?? KINDS[value.getLastChild()?.getText() ?? ''] ?? 'scalar';
}

/** A string a chain passes to one of the calls, or an object states for one of the keys. */
function named(p: SchemaProperty, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = p.chain ? stringValue(argumentOf(p.chain, key)) : p.object && stringOption(p.object, key);
    if (value !== undefined) return value;
  }
  return undefined;
}

export function readSchemaProperties(file: SourceFile, entity: EntitySource, naming: Naming): PropertyInfo[] {
  return schemaProperties(file, entity).flatMap((p) => {
    const kind = kindOf(p);
    const has = (key: string) => (p.chain ? calls(p.chain, key) : Boolean(p.object && optionNode(p.object, key)));
    if ((!p.chain && !p.object) || !['m:1', '1:1', 'scalar'].includes(kind) || (kind === '1:1' && has('mappedBy'))) return [];
    if (p.object && optionNode(p.object, 'persist')?.getInitializer()?.getText() === 'false') return [];
    const relation = kind !== 'scalar';
    const explicit = named(p, relation ? ['fieldName', 'name', 'joinColumn'] : ['fieldName', 'name']);
    const entityOption = p.object && optionNode(p.object, 'entity')?.getInitializer();
    const target = p.chain
      ? p.chain.root.call.getArguments()[0]?.getText()
      : entityOption && (stringValue(entityOption) ?? entityOption.getLastChild()?.getText());
    const primary = p.chain
      ? calls(p.chain, 'primary')
      : p.object !== undefined && optionNode(p.object, 'primary')?.getInitializer()?.getText() === 'true';
    return [
      {
        name: p.name,
        column: explicit ?? (relation ? naming.joinColumnName(p.name) : naming.propertyToColumnName(p.name)),
        explicitColumn: explicit !== undefined,
        relation,
        target,
        primary,
        nullable: has('nullable') && (p.chain !== undefined || p.object?.getProperty('nullable')?.getLastChild()?.getText() === 'true'),
        explicitType: true,
      },
    ];
  });
}

/** Sets (undefined: removes) an option of a property, in its object or as a call of its chain (`true` → `.key()`). */
export function setPropertyOption(p: SchemaProperty, key: string, value: string | undefined): Change[] {
  if (p.object) return setOption(p.object, key, value);
  if (!p.chain) return [];
  return setCall(p.chain, key, value === undefined ? undefined : value === 'true' && key !== 'default' ? '' : value);
}

export function readSchemaIndexes(file: SourceFile, entity: EntitySource): IndexEntry[] {
  const { Node } = tsMorph();
  const options = schemaOptions(file, entity);
  const quote = quoteOf(file);
  const entries: IndexEntry[] = [];
  for (const key of ['indexes', 'uniques']) {
    const option = optionNode(options, key);
    const array = option?.getInitializer();
    if (!option || !array || !Node.isArrayLiteralExpression(array)) continue;
    const elements = array.getElements();
    for (const element of elements) {
      if (!Node.isObjectLiteralExpression(element)) continue;
      const remove = () => (elements.length === 1 ? removeItem(options, options.getProperties(), option) : removeItem(array, elements, element));
      entries.push(objectIndex(element, key === 'uniques', remove));
    }
  }
  for (const p of schemaProperties(file, entity)) {
    for (const key of ['unique', 'index']) {
      const arg = p.chain && argumentOf(p.chain, key);
      const value = p.chain ? (calls(p.chain, key) ? (stringValue(arg) ?? true) : undefined) : flagOrName(p.object, key);
      const set = (n: string | undefined) => setPropertyOption(p, key, n === undefined ? undefined : quoted(n, quote));
      if (value !== undefined) entries.push(propertyIndex(p.name, value, key === 'unique', set));
    }
  }
  return entries;
}

/** A new entry of `indexes` / `uniques`, that option added before `properties` where the entity has none. */
export function addSchemaIndex(
  options: ObjectLiteralExpression,
  index: { name: string; properties: string[]; unique: boolean },
  quote: string,
): Change {
  const { Node } = tsMorph();
  const key = index.unique ? 'uniques' : 'indexes';
  const entry = `{ name: ${quoted(index.name, quote)}, properties: [${index.properties.map((p) => quoted(p, quote)).join(', ')}] }`;
  const array = optionNode(options, key)?.getInitializer();
  if (array && Node.isArrayLiteralExpression(array)) return insertItem(array, array.getElements(), entry);
  const properties = optionNode(options, 'properties');
  return insertItem(options, options.getProperties(), `${key}: [${entry}]`, properties ? { before: properties } : undefined);
}

/** `tableName` (or `collection`, where the entity uses that) set, added after `name` where absent. */
export function setSchemaTable(options: ObjectLiteralExpression, table: string, quote: string): Change[] {
  const key = optionNode(options, 'collection') ? 'collection' : 'tableName';
  const existing = optionNode(options, key);
  if (existing) return setOption(options, key, quoted(table, quote));
  const name = optionNode(options, 'name');
  return [insertItem(options, options.getProperties(), `tableName: ${quoted(table, quote)}`, name ? { after: name } : undefined)];
}

/** The variable statement that declares the entity. */
export function declarationStatement(file: SourceFile, entity: EntitySource) {
  return file.getVariableStatementOrThrow((s) => s.getDeclarations().some((d) => d.getName() === entity.declaration));
}

/** The edits EntitySchema and defineEntity share: both keep the entity's options in one object literal. */
export const schemaObjectEdits: Pick<StyleEditor, 'addIndex' | 'setTableName'> = {
  addIndex(ctx, index) {
    const f = ctx.ws.file(ctx.entity.file);
    ctx.ws.change(ctx.entity.file, [addSchemaIndex(schemaOptions(f, ctx.entity), index, quoteOf(f))]);
  },

  setTableName(ctx, table) {
    const f = ctx.ws.file(ctx.entity.file);
    ctx.ws.change(ctx.entity.file, setSchemaTable(schemaOptions(f, ctx.entity), table, quoteOf(f)));
  },
};

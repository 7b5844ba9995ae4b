import type { Node, SourceFile } from 'ts-morph';
import { schemaOptions } from './detect.js';
import type { NewEntity } from './editor.js';
import { mikroModule } from './imports.js';
import { objectText, optionNode } from './options.js';
import { builderCalls, newOptions, type NewProperty } from './property.js';
import { propertiesOf } from './schema-object.js';
import { baseTypeIn, writesNullIn } from './schema-type.js';
import { indentUnit, quoted, quoteOf } from './text-edits.js';
import { tsMorph } from './ts-morph.js';
import type { EntitySource } from './types.js';
import type { Workspace } from './workspace.js';

// New entity files for createTable, in the options-object styles, written as the neighbour's file is.

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

/** The options of a new entity: name, tableName and its properties, one per line. */
function body(f: SourceFile, neighbour: EntitySource, entity: NewEntity, properties: string[], open: string, close: string): string[] {
  const unit = indentUnit(f);
  const quote = quoteOf(f);
  const commas = trailingCommas(f, neighbour);
  const lines = properties.map((p, i) => `${unit}${unit}${p}${commas.properties || i < properties.length - 1 ? ',' : ''}`);
  const names = [`${unit}name: ${quoted(entity.entityName, quote)},`, `${unit}tableName: ${quoted(entity.table, quote)},`];
  return [...names, `${unit}properties: ${open}`, ...lines, `${unit}${close}${commas.options ? ',' : ''}`];
}

/** `export interface T { … }` and `export const TSchema = new EntitySchema<T>({ … })`, as the neighbour pairs them. */
export function entitySchemaFile(ws: Workspace, neighbour: EntitySource, entity: NewEntity): string {
  const f = ws.file(neighbour.file);
  const quote = quoteOf(f);
  const unit = indentUnit(f);
  const typed = neighbour.typeName !== undefined;
  const nullUnion = writesNullIn(f, neighbour);
  const members = entity.properties.map((p) => {
    const base = baseTypeIn(f, neighbour, p.column);
    return `${unit}${p.name}${p.column.nullable ? '?' : ''}: ${p.column.nullable && nullUnion ? `${base} | null` : base};`;
  });
  const properties = entity.properties.map((p) => `${p.name}: ${objectText(schemaOptionsOf(p, quote))}`);
  const module = mikroModule(f, ['EntitySchema']) ?? '@mikro-orm/core';
  const type = typed ? [`export interface ${entity.entityName} {`, ...members, '}', ''] : [];
  return [
    `import { EntitySchema } from ${quoted(module, quote)};`,
    '',
    ...type,
    `export const ${entity.declaration} = new EntitySchema${typed ? `<${entity.entityName}>` : ''}({`,
    ...body(f, neighbour, entity, properties, '{', '}'),
    '});',
    '',
  ].join('\n');
}

/** `export const X = defineEntity({ … })` with `p.<type>()` builders, imported or as the neighbour's callback parameter. */
export function defineEntityFile(ws: Workspace, neighbour: EntitySource, entity: NewEntity): string {
  const f = ws.file(neighbour.file);
  const quote = quoteOf(f);
  const options = schemaOptions(f, neighbour);
  const { builder } = propertiesOf(options);
  const callback = builder !== undefined;
  const p = builder ?? importedBuilder(f) ?? 'p';
  const usesObjects = neighbourUsesObjects(f, neighbour);
  const properties = entity.properties.map((prop) => {
    if (usesObjects) return `${prop.name}: ${objectText(schemaOptionsOf(prop, quote))}`;
    const calls = schemaOptionsOf(prop, quote).filter(([key]) => key !== 'type');
    return `${prop.name}: ${p}.${prop.column.type}()${builderCalls(calls)}`;
  });
  const module = mikroModule(f, ['defineEntity']) ?? '@mikro-orm/core';
  const names = callback || usesObjects ? 'defineEntity' : p === 'p' ? 'defineEntity, p' : `defineEntity, p as ${p}`;
  return [
    `import { ${names} } from ${quoted(module, quote)};`,
    '',
    `export const ${entity.declaration} = defineEntity({`,
    ...body(f, neighbour, entity, properties, callback ? `(${p}) => ({` : '{', callback ? '})' : '}'),
    '});',
    '',
  ].join('\n');
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

import type { ObjectLiteralExpression } from 'ts-morph';
import type { IndexEntry } from './editor.js';
import { optionNode, setOption, stringOption, stringsOption } from './options.js';
import { type Change, quoted, quoteOf } from './text-edits.js';
import { tsMorph } from './ts-morph.js';

/** An index written as an options object (`@Index({ … })`, an element of `indexes: […]`), removed by `remove`. */
export function objectIndex(options: ObjectLiteralExpression, unique: boolean, remove: () => Change[]): IndexEntry {
  return {
    name: stringOption(options, 'name'),
    properties: stringsOption(options, 'properties'),
    unique,
    remove,
    renameProperty: (from, to) => renameInProperties(options, from, to),
    setName: (name) => setOption(options, 'name', quoted(name, quoteOf(options.getSourceFile()))),
  };
}

/** An index a property declares on itself (`unique: true`, `index: 'name'`): `set` writes that option's value. */
export function propertyIndex(property: string, value: string | true, unique: boolean, set: (value: string | undefined) => Change[]): IndexEntry {
  return {
    name: value === true ? undefined : value,
    properties: [property],
    unique,
    onProperty: property,
    remove: () => set(undefined),
    renameProperty: () => [],
    setName: (name) => set(name),
  };
}

/** Replaces a property name in an index's `properties` (one string or an array), keeping each literal's quotes. */
export function renameInProperties(options: ObjectLiteralExpression, from: string, to: string): Change[] {
  const { Node } = tsMorph();
  const value = optionNode(options, 'properties')?.getInitializer();
  if (!value) return [];
  const literals = Node.isArrayLiteralExpression(value) ? value.getElements() : [value];
  return literals
    .filter((l) => (Node.isStringLiteral(l) || Node.isNoSubstitutionTemplateLiteral(l)) && l.getLiteralText() === from)
    .map((l) => ({ start: l.getStart() + 1, end: l.getEnd() - 1, text: to }));
}

/** An option that holds `true` or a string (`unique`, `index`); undefined when absent or false. */
export function flagOrName(options: ObjectLiteralExpression | undefined, key: string): string | true | undefined {
  const value = options && optionNode(options, key)?.getInitializer();
  if (!value) return undefined;
  const { Node } = tsMorph();
  if (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value)) return value.getLiteralText();
  return value.getKind() === tsMorph().SyntaxKind.TrueKeyword ? true : undefined;
}

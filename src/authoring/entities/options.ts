import type { Node, ObjectLiteralExpression, PropertyAssignment } from 'ts-morph';
import { type Change, insertItem, removeItem } from './text-edits.js';
import { tsMorph } from './ts-morph.js';

// Options objects: `@Property({ … })`, an EntitySchema property `{ type: 'string', … }`, `@Entity({ tableName })`,
// an index `{ name, properties }`. Read by key, changed one key at a time.

/** The key of a property assignment as written (identifier or string literal). */
export function keyOf(node: Node): string | undefined {
  const { Node } = tsMorph();
  if (!Node.isPropertyAssignment(node) && !Node.isShorthandPropertyAssignment(node) && !Node.isMethodDeclaration(node)) return undefined;
  const name = node.getNameNode();
  return Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name) ? name.getLiteralText() : name.getText();
}

/** The `key: value` assignment of an object literal. */
export function optionNode(object: ObjectLiteralExpression, key: string): PropertyAssignment | undefined {
  const { Node } = tsMorph();
  return object.getProperties().find((p): p is PropertyAssignment => Node.isPropertyAssignment(p) && keyOf(p) === key);
}

/** The value of an option written as a string literal. */
export function stringOption(object: ObjectLiteralExpression, key: string): string | undefined {
  return stringValue(optionNode(object, key)?.getInitializer());
}

/** A string literal's value; undefined for anything else. */
export function stringValue(node: Node | undefined): string | undefined {
  const { Node } = tsMorph();
  return node && (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) ? node.getLiteralText() : undefined;
}

/** The strings of an option written as one string or an array of them (`properties: ['a', 'b']`). */
export function stringsOption(object: ObjectLiteralExpression, key: string): string[] {
  const { Node } = tsMorph();
  const value = optionNode(object, key)?.getInitializer();
  if (!value) return [];
  if (Node.isArrayLiteralExpression(value)) return value.getElements().flatMap((e) => stringValue(e) ?? []);
  const single = stringValue(value);
  return single === undefined ? [] : [single];
}

/** The object literal an option holds, if it holds one. */
export function objectOption(object: ObjectLiteralExpression, key: string): ObjectLiteralExpression | undefined {
  const value = optionNode(object, key)?.getInitializer();
  return value && tsMorph().Node.isObjectLiteralExpression(value) ? value : undefined;
}

/** Sets an option to a value (source text), replacing or adding it (`type` first, as people write it); `undefined` removes it. */
export function setOption(object: ObjectLiteralExpression, key: string, value: string | undefined): Change[] {
  const existing = optionNode(object, key);
  if (value === undefined) return existing ? removeItem(object, object.getProperties(), existing) : [];
  if (existing) {
    const initializer = existing.getInitializerOrThrow();
    return initializer.getText() === value ? [] : [{ start: initializer.getStart(), end: initializer.getEnd(), text: value }];
  }
  const first = object.getProperties()[0];
  return [insertItem(object, object.getProperties(), `${key}: ${value}`, key === 'type' && first ? { before: first } : undefined)];
}

/** Renames a key, keeping its value as written. */
export function renameKey(node: PropertyAssignment, name: string): Change {
  const key = node.getNameNode();
  return { start: key.getStart(), end: key.getEnd(), text: name };
}

/** Object literal text for options, `{ a: 1, b: 2 }`; '' for none. */
export function objectText(entries: Array<[string, string]>): string {
  return entries.length === 0 ? '' : `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
}

import type { Node, PropertySignature, SourceFile } from 'ts-morph';
import type { ColumnSpec } from '../spec.js';
import { stringOption } from './options.js';
import { type ColumnField, TS_TYPES } from './property.js';
import { schemaProperties } from './schema-object.js';
import { type Change, blankLinesBetween, indentOf, indentUnit, insertLines } from './text-edits.js';
import { tsMorph } from './ts-morph.js';
import { hasNull, withoutNull } from './type-text.js';
import type { EntitySource } from './types.js';

// The type T of `new EntitySchema<T>({ … })`, when the same file declares it: its members follow the properties.

/** The members of T in `EntitySchema<T>` where the file declares T (an interface or a type literal). */
export function typeMembers(f: SourceFile, entity: EntitySource): { container: Node; members: PropertySignature[] } | undefined {
  const { Node } = tsMorph();
  if (!entity.typeName) return undefined;
  const iface = f.getInterface(entity.typeName);
  if (iface) return { container: iface, members: iface.getProperties() };
  const literal = f.getTypeAlias(entity.typeName)?.getTypeNode();
  return literal && Node.isTypeLiteral(literal) ? { container: literal, members: literal.getProperties() } : undefined;
}

export const member = (f: SourceFile, entity: EntitySource, name: string) => typeMembers(f, entity)?.members.find((m) => m.getName() === name);

/** The TypeScript type for a column: what another property of the same type has in T (bigint as string…), else MikroORM's. */
export function baseTypeIn(f: SourceFile, entity: EntitySource, column: ColumnSpec, except?: string): string {
  const typed = (name: string) => member(f, entity, name)?.getTypeNode();
  const sibling = schemaProperties(f, entity).find(
    (p) => p.name !== except && p.object && stringOption(p.object, 'type') === column.type && typed(p.name),
  );
  return sibling ? withoutNull(typed(sibling.name)!) : TS_TYPES[column.type];
}

/** Whether T writes nullable members as `T | null`. */
export const writesNullIn = (f: SourceFile, entity: EntitySource) => Boolean(typeMembers(f, entity)?.members.some((m) => hasNull(m.getTypeNode())));

export function addMember(f: SourceFile, entity: EntitySource, line: string): Change[] {
  const type = typeMembers(f, entity);
  const last = type?.members.at(-1);
  if (!type) return [];
  if (last) return [insertLines(last, [line], indentOf(last), blankLinesBetween(type.members))];
  const close = type.container.getEnd() - 1;
  return [{ start: close, end: close, text: `\n${indentUnit(f)}${line}\n` }];
}

/** T's member for a property after a column change: its type and `?`. */
export function retypeMember(f: SourceFile, entity: EntitySource, name: string, column: ColumnSpec, fields: ColumnField[]): Change[] {
  const typeChanged = fields.includes('type');
  const m = member(f, entity, name);
  const type = m?.getTypeNode();
  if (!m || !type) return [];
  const base = typeChanged ? baseTypeIn(f, entity, column, name) : withoutNull(type);
  const text = column.nullable && (hasNull(type) || (fields.includes('nullable') && writesNullIn(f, entity))) ? `${base} | null` : base;
  const changes: Change[] = text === type.getText() ? [] : [{ start: type.getStart(), end: type.getEnd(), text }];
  const mark = m.getQuestionTokenNode();
  if (column.nullable && !mark) changes.push({ start: m.getNameNode().getEnd(), end: m.getNameNode().getEnd(), text: '?' });
  if (!column.nullable && mark) changes.push({ start: mark.getStart(), end: mark.getEnd(), text: '' });
  return changes;
}

import type { TypeNode } from 'ts-morph';
import { tsMorph } from './ts-morph.js';

/** Whether a type annotation is a union with `null`. */
export function hasNull(type: TypeNode | undefined): boolean {
  const { Node } = tsMorph();
  return Boolean(type && Node.isUnionTypeNode(type) && type.getTypeNodes().some((t) => t.getText() === 'null'));
}

/** A type annotation's text without its `| null`. */
export function withoutNull(type: TypeNode): string {
  const { Node } = tsMorph();
  if (!Node.isUnionTypeNode(type)) return type.getText();
  return type
    .getTypeNodes()
    .filter((t) => t.getText() !== 'null')
    .map((t) => t.getText())
    .join(' | ');
}

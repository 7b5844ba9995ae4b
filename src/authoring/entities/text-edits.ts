import type { Node, SourceFile } from 'ts-morph';
import { tsMorph } from './ts-morph.js';

// Every edit is a replacement of a range that an AST node gives; the text around it is never touched, so
// each file keeps its formatting byte for byte outside the nodes an operation changes.

/** A replacement of [start, end) of a file's text. */
export interface Change {
  start: number;
  end: number;
  text: string;
}

/** The line break a file uses: CRLF where its first line ends so. */
export const eolOf = (text: string) => (text.includes('\r\n') ? '\r\n' : '\n');

/** Applies non-overlapping changes, last first, so that the positions of the others stay valid; new lines end as the file's do. */
export function applyChanges(text: string, changes: Change[]): string {
  const eol = eolOf(text);
  let out = text;
  for (const c of [...changes].sort((a, b) => b.start - a.start)) out = out.slice(0, c.start) + c.text.replaceAll('\n', eol) + out.slice(c.end);
  return out;
}

const lineStart = (text: string, pos: number) => text.lastIndexOf('\n', pos - 1) + 1;
/** Where the line's content ends (before its CR LF or LF). */
const lineEnd = (text: string, pos: number) => {
  const at = text.indexOf('\n', pos);
  if (at < 0) return text.length;
  return text[at - 1] === '\r' ? at - 1 : at;
};
/** Where the next line starts (the end of the text on the last line). */
const nextLine = (text: string, pos: number) => {
  const at = text.indexOf('\n', pos);
  return at < 0 ? text.length : at + 1;
};
const lineAt = (text: string, pos: number) => text.slice(lineStart(text, pos), lineEnd(text, pos));
const isBlank = (line: string) => line.trim() === '';

/** The whitespace before a node that starts its line; '' where code comes before it on that line. */
export function indentOf(node: Node): string {
  const text = node.getSourceFile().getFullText();
  const before = text.slice(lineStart(text, node.getStart()), node.getStart());
  return isBlank(before) ? before : '';
}

/** One level of indentation as the file writes it (its first indented line), two spaces in a file with none. */
export function indentUnit(file: SourceFile): string {
  for (const line of file.getFullText().split('\n')) {
    const code = line.trimStart();
    if (code && code.length < line.length && !code.startsWith('*')) return line.slice(0, line.length - code.length);
  }
  return '  ';
}

/** Whether a list's elements sit on lines of their own (rather than all on the bracket's line). */
export function isMultiline(container: Node, elements: Node[]): boolean {
  return elements.length > 0 && elements[0].getStartLineNumber() > container.getStartLineNumber();
}

function commaAfter(node: Node): Node | undefined {
  return node.getNextSiblingIfKind(tsMorph().SyntaxKind.CommaToken);
}

/** Where a node's own lines start: its first comment that begins a line, else the node itself. */
export function ownStart(node: Node): number {
  const text = node.getSourceFile().getFullText();
  const own = node.getLeadingCommentRanges().find((r) => isBlank(text.slice(lineStart(text, r.getPos()), r.getPos())));
  return own ? own.getPos() : node.getStart();
}

/**
 * Adds an element to a bracketed list (object literal, array literal, named imports), at the end or next to
 * an element: on a line of its own in a multi-line list (keeping the list's trailing comma habit), inline otherwise.
 */
export function insertItem(container: Node, elements: Node[], item: string, at?: { after: Node } | { before: Node }): Change {
  const text = container.getSourceFile().getFullText();
  if (elements.length === 0) {
    const open = container.getStart() + 1;
    const close = container.getEnd() - 1;
    const padded = container.getKind() === tsMorph().SyntaxKind.ArrayLiteralExpression ? item : ` ${item} `;
    return { start: open, end: close, text: padded };
  }
  const multiline = isMultiline(container, elements);
  if (at && 'before' in at) {
    if (!multiline) return { start: at.before.getStart(), end: at.before.getStart(), text: `${item}, ` };
    const lineOf = lineStart(text, ownStart(at.before));
    return { start: lineOf, end: lineOf, text: `${indentOf(at.before)}${item},\n` };
  }
  const anchor = at?.after ?? elements[elements.length - 1];
  const isLast = anchor === elements[elements.length - 1];
  const comma = commaAfter(anchor);
  if (multiline) {
    const indent = indentOf(anchor);
    if (!isLast || comma) {
      const end = lineEnd(text, comma ? comma.getEnd() : anchor.getEnd());
      return { start: end, end, text: `\n${indent}${item},` };
    }
    // The comma goes right after the element, the new element on the next line: a comment after it stays where it is.
    const end = lineEnd(text, anchor.getEnd());
    return { start: anchor.getEnd(), end, text: `,${text.slice(anchor.getEnd(), end)}\n${indent}${item}` };
  }
  if (comma) return { start: comma.getEnd(), end: comma.getEnd(), text: ` ${item}${isLast ? ',' : ''}` };
  return { start: anchor.getEnd(), end: anchor.getEnd(), text: `, ${item}` };
}

/** Adds several elements at the end of a bracketed list in one change, each as insertItem would add it. */
export function insertItems(container: Node, elements: Node[], items: string[]): Change {
  const last = elements.at(-1);
  const separator = last && isMultiline(container, elements) ? `,\n${indentOf(last)}` : ', ';
  return insertItem(container, elements, items.join(separator));
}

/** Removes an element of a bracketed list with its comma; the whole line(s) where it has its own. */
export function removeItem(container: Node, elements: Node[], element: Node): Change[] {
  const text = container.getSourceFile().getFullText();
  const index = elements.indexOf(element);
  const comma = commaAfter(element);
  const previous = elements[index - 1];
  const next = elements[index + 1];
  if (isMultiline(container, elements)) {
    const changes = [removeLines(text, ownStart(element), comma ? comma.getEnd() : element.getEnd())];
    const previousComma = previous && commaAfter(previous);
    if (!next && !comma && previousComma) changes.push({ start: previousComma.getStart(), end: previousComma.getEnd(), text: '' });
    return changes;
  }
  if (next) return [{ start: element.getStart(), end: next.getStart(), text: '' }];
  if (previous) return [{ start: previous.getEnd(), end: comma ? comma.getStart() : element.getEnd(), text: '' }];
  return [{ start: container.getStart() + 1, end: container.getEnd() - 1, text: '' }];
}

/**
 * Removes the whole lines from `start`'s to `end`'s, and a blank line the removal would leave doubled
 * or leave right inside a bracket.
 */
export function removeLines(text: string, start: number, end: number): Change {
  let from = lineStart(text, start);
  let to = nextLine(text, end);
  const previous = from > 0 ? lineAt(text, from - 1) : '{';
  const following = to < text.length ? lineAt(text, to) : '}';
  const opens = ['{', '[', '('].some((b) => previous.trimEnd().endsWith(b));
  const closes = ['}', ']', ')'].some((b) => following.trimStart().startsWith(b));
  if (isBlank(following) && to < text.length && (isBlank(previous) || opens)) to = nextLine(text, to);
  else if (isBlank(previous) && from > 0 && closes) from = lineStart(text, from - 1);
  return { start: from, end: to, text: '' };
}

/** Inserts lines (given without indentation) after `anchor`'s line, or before `before`'s, with a blank line between where the neighbours have one. */
export function insertLines(anchor: Node, lines: string[], indent: string, blankBetween: boolean, where: 'after' | 'before' = 'after'): Change {
  const text = anchor.getSourceFile().getFullText();
  const body = lines.map((l) => (l ? indent + l : l)).join('\n');
  if (where === 'before') {
    const at = lineStart(text, ownStart(anchor));
    return { start: at, end: at, text: `${body}\n${blankBetween ? '\n' : ''}` };
  }
  const at = lineEnd(text, anchor.getEnd());
  return { start: at, end: at, text: `${blankBetween ? '\n' : ''}\n${body}` };
}

/** Whether consecutive nodes of a list are separated by a blank line (the first pair decides). */
export function blankLinesBetween(nodes: Node[]): boolean {
  for (let i = 1; i < nodes.length; i++) {
    const gap = nodes[i].getStartLineNumber(true) - nodes[i - 1].getEndLineNumber();
    if (gap !== 1) return gap > 1;
  }
  return false;
}

/** A string as a literal in the file's quote style. */
export function quoted(value: string, quote: string): string {
  const escaped = value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
  return quote + escaped.replaceAll(quote, `\\${quote}`) + quote;
}

/** The quote the file writes its module specifiers with. */
export function quoteOf(file: SourceFile): string {
  const first = file.getImportDeclarations()[0]?.getModuleSpecifier().getText();
  return first?.startsWith('"') ? '"' : "'";
}

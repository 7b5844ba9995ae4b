// A small TypeScript/JavaScript scanner for a revision file read as text (its kind, its spec, its static lint): enough
// to match brackets and to read string literals, so strings, template literals, comments and regular expressions never
// confuse them. Comments are left out, but for the `@migrate-ui <name> <value>` markers they hold.

export type ScriptTokenKind = 'name' | 'string' | 'number' | 'punctuation' | 'regex';

/** One piece of a script, with where it sits in the source. */
export interface ScriptToken {
  kind: ScriptTokenKind;
  /** Strings: the content, unescaped; everything else: the source text. */
  value: string;
  start: number;
  end: number;
  /** A template literal with `${…}` in it: its value is not known without running it. */
  substituted?: boolean;
}

// After these words an expression starts, so `/` opens a regular expression rather than dividing.
const BEFORE_EXPRESSION = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);
const MARKER = /@migrate-ui[ \t]+([\w-]+)[ \t]*([^\n]*)/g;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

function isNameStart(c: string | undefined): boolean {
  return c !== undefined && (/[A-Za-z_$#]/.test(c) || c > '\u007f');
}

function isNamePart(c: string | undefined): boolean {
  return c !== undefined && (/[\w$]/.test(c) || c > '\u007f');
}

/** Reads one backslash escape at `i` (the backslash); gives the character(s) and where the escape ends. */
function escapeAt(source: string, i: number): [string, number] {
  const c = source[i + 1] ?? '';
  if (c === '\r' && source[i + 2] === '\n') return ['', i + 3];
  if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') return ['', i + 2];
  if (c === 'x') return [String.fromCharCode(Number.parseInt(source.slice(i + 2, i + 4), 16) || 0), i + 4];
  if (c === 'u' && source[i + 2] === '{') {
    const close = source.indexOf('}', i + 3);
    const end = close < 0 ? source.length : close + 1;
    return [String.fromCodePoint(Number.parseInt(source.slice(i + 3, end - 1), 16) || 0), end];
  }
  if (c === 'u') return [String.fromCharCode(Number.parseInt(source.slice(i + 2, i + 6), 16) || 0), i + 6];
  return [ESCAPES[c] ?? c, i + 2];
}

function quotedString(source: string, start: number): ScriptToken {
  const quote = source[start];
  let value = '';
  let i = start + 1;
  while (i < source.length && source[i] !== quote && source[i] !== '\n') {
    if (source[i] === '\\') {
      const [text, end] = escapeAt(source, i);
      value += text;
      i = end;
    } else value += source[i++];
  }
  return { kind: 'string', value, start, end: Math.min(i + 1, source.length) };
}

/** What a scan collects besides the tokens: the markers of the comments, by name (the first of each name counts). */
export type Markers = Map<string, string>;

function template(source: string, start: number, markers: Markers): ScriptToken {
  let value = '';
  let substituted = false;
  let i = start + 1;
  while (i < source.length && source[i] !== '`') {
    if (source[i] === '\\') {
      const [text, end] = escapeAt(source, i);
      value += text;
      i = end;
    } else if (source[i] === '$' && source[i + 1] === '{') {
      substituted = true;
      i = scan(source, i + 2, true, markers).end;
    } else value += source[i++];
  }
  return { kind: 'string', value, start, end: Math.min(i + 1, source.length), ...(substituted && { substituted }) };
}

/** A regular expression at `start`, or undefined when the line ends before it does (then `/` was division after all). */
function regex(source: string, start: number): ScriptToken | undefined {
  let inClass = false;
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '\n') return undefined;
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      let end = i + 1;
      while (isNamePart(source[end])) end++;
      return { kind: 'regex', value: source.slice(start, end), start, end };
    }
  }
  return undefined;
}

function startsExpression(previous: ScriptToken | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === 'name') return BEFORE_EXPRESSION.has(previous.value);
  return previous.kind === 'punctuation' && previous.value !== ')' && previous.value !== ']';
}

function lineEnd(source: string, i: number): number {
  const end = source.indexOf('\n', i);
  return end < 0 ? source.length : end;
}

/** Records the `@migrate-ui` markers of one comment's text. */
function readMarkers(comment: string, markers: Markers): void {
  if (!comment.includes('@migrate-ui')) return;
  for (const [, name, value] of comment.matchAll(MARKER)) if (!markers.has(name)) markers.set(name, value.trimEnd());
}

/** Scans from `i`; with `untilBrace`, stops after the `}` that closes a template's `${`. */
function scan(source: string, from: number, untilBrace: boolean, markers: Markers): { tokens: ScriptToken[]; end: number } {
  const tokens: ScriptToken[] = [];
  let depth = 0;
  let i = from;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    let token: ScriptToken | undefined;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && next === '/') {
      const end = lineEnd(source, i);
      readMarkers(source.slice(i + 2, end), markers);
      i = end;
      continue;
    }
    if (c === '/' && next === '*') {
      const close = source.indexOf('*/', i + 2);
      readMarkers(source.slice(i + 2, close < 0 ? source.length : close), markers);
      i = close < 0 ? source.length : close + 2;
      continue;
    }
    if (c === "'" || c === '"') token = quotedString(source, i);
    else if (c === '`') token = template(source, i, markers);
    else if (isNameStart(c)) {
      let end = i + 1;
      while (isNamePart(source[end])) end++;
      token = { kind: 'name', value: source.slice(i, end), start: i, end };
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(next ?? ''))) {
      let end = i + 1;
      while (isNamePart(source[end]) || source[end] === '.') end++;
      token = { kind: 'number', value: source.slice(i, end), start: i, end };
    } else if (c === '/' && startsExpression(tokens[tokens.length - 1])) token = regex(source, i);
    if (!token) {
      if (c === '{') depth++;
      if (c === '}' && depth-- === 0 && untilBrace) return { tokens, end: i + 1 };
      token = { kind: 'punctuation', value: c, start: i, end: i + 1 };
    }
    tokens.push(token);
    i = token.end;
  }
  return { tokens, end: source.length };
}

/** Splits a TypeScript or JavaScript source into tokens; comments are left out, a template's `${…}` stays inside it. */
export function scanScript(source: string): ScriptToken[] {
  return scanSource(source).tokens;
}

/** The tokens of a source and the markers its comments hold. */
export function scanSource(source: string): { tokens: ScriptToken[]; markers: Markers } {
  const markers: Markers = new Map();
  return { tokens: scan(source, 0, false, markers).tokens, markers };
}

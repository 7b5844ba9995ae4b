// A WHERE that holds for every row (`1=1`, `true`, `'a'='a'`, `x = x`, `not false`, `1=1 or …`) filters nothing.
import { isKeyword, isName, isPunctuation } from './cursor.js';
import type { Token } from './tokens.js';

type Value =
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'column'; name: string };

const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

/** The WHERE clause's tokens of a DELETE or UPDATE (up to RETURNING, ORDER BY or LIMIT); undefined when it has none. */
export function whereClause(tokens: Token[]): Token[] | undefined {
  const start = topLevelPositions(tokens, (t) => isKeyword(t, 'where'))[0];
  if (start === undefined) return undefined;
  const clause = tokens.slice(start + 1);
  const end = topLevelPositions(clause, (t) => ['returning', 'order', 'limit'].some((word) => isKeyword(t, word)))[0];
  return end === undefined ? clause : clause.slice(0, end);
}

/** Whether a condition is true for every row, from its text alone; anything it cannot read counts as "not always". */
export function isAlwaysTrue(condition: Token[]): boolean {
  return truthOf(condition) === true;
}

/** True or false whatever the row holds; undefined when it depends on the row or cannot be read. */
function truthOf(tokens: Token[]): boolean | undefined {
  const inner = unwrap(tokens);
  const ors = splitAt(inner, 'or');
  if (ors.length > 1) {
    const truths = ors.map(truthOf);
    return truths.includes(true) ? true : truths.every((t) => t === false) ? false : undefined;
  }
  const ands = splitAt(inner, 'and');
  if (ands.length > 1) {
    const truths = ands.map(truthOf);
    return truths.includes(false) ? false : truths.every((t) => t === true) ? true : undefined;
  }
  if (isKeyword(inner[0], 'not')) {
    const truth = truthOf(inner.slice(1));
    return truth === undefined ? undefined : !truth;
  }
  const value = comparison(inner);
  if (value?.kind === 'boolean') return value.value;
  // MySQL and SQLite take a number as a condition: `where 1`.
  return value?.kind === 'number' ? value.value !== 0 : undefined;
}

function comparison(tokens: Token[]): Value | undefined {
  const at = topLevelPositions(tokens, (t) => t.kind === 'punctuation' && COMPARISONS.has(t.value))[0];
  if (at === undefined) return operand(tokens);
  // SQLite's `==` comes as two `=`.
  const double = tokens[at].value === '=' && isPunctuation(tokens[at + 1], '=');
  const left = operand(tokens.slice(0, at));
  const right = operand(tokens.slice(at + (double ? 2 : 1)));
  return left && right && compare(left, tokens[at].value, right);
}

function compare(left: Value, operator: string, right: Value): Value | undefined {
  if (left.kind === 'column' || right.kind === 'column') {
    // `x = x` holds for every row whose x is not null: a delete of (nearly) everything.
    const same = left.kind === 'column' && right.kind === 'column' && left.name === right.name;
    return same ? { kind: 'boolean', value: ['=', '<=', '>='].includes(operator) } : undefined;
  }
  if (left.kind !== right.kind) return undefined;
  const a = left.value;
  const b = right.value;
  const results: Record<string, boolean> = { '=': a === b, '<>': a !== b, '!=': a !== b, '<': a < b, '>': a > b, '<=': a <= b, '>=': a >= b };
  return { kind: 'boolean', value: results[operator] };
}

/** A literal, a (qualified) column, a signed number, or a parenthesised condition. */
function operand(tokens: Token[]): Value | undefined {
  const inner = unwrap(tokens);
  const [first] = inner;
  if (inner.length === 2 && isPunctuation(first, '-') && inner[1].kind === 'number') return { kind: 'number', value: -Number(inner[1].value) };
  if (inner.length === 1 && first.kind === 'number') return { kind: 'number', value: Number(first.value) };
  if (inner.length === 1 && first.kind === 'string') return { kind: 'string', value: first.value };
  if (inner.length === 1 && (isKeyword(first, 'true') || isKeyword(first, 'false'))) return { kind: 'boolean', value: isKeyword(first, 'true') };
  const qualified = inner.length % 2 === 1 && inner.every((t, k) => (k % 2 === 0 ? isName(t) : isPunctuation(t, '.')));
  if (qualified && !isKeyword(first, 'null'))
    return { kind: 'column', name: inner.map((t) => (t.kind === 'word' ? t.value.toLowerCase() : t.value)).join('') };
  if (inner.length === tokens.length) return undefined;
  const truth = truthOf(inner);
  return truth === undefined ? undefined : { kind: 'boolean', value: truth };
}

/** The tokens inside parentheses that wrap the whole of them. */
function unwrap(tokens: Token[]): Token[] {
  let inner = tokens;
  while (isPunctuation(inner[0], '(') && depthsOf(inner).indexOf(0) === inner.length - 1) inner = inner.slice(1, -1);
  return inner;
}

/** The depth of parentheses after each token. */
function depthsOf(tokens: Token[]): number[] {
  let depth = 0;
  return tokens.map((t) => {
    if (isPunctuation(t, '(')) depth++;
    if (isPunctuation(t, ')')) depth--;
    return depth;
  });
}

/** Where tokens that match stand outside any parentheses. */
function topLevelPositions(tokens: Token[], match: (token: Token) => boolean): number[] {
  const depths = depthsOf(tokens);
  return tokens.flatMap((t, k) => (depths[k] === 0 && match(t) ? [k] : []));
}

function splitAt(tokens: Token[], keyword: string): Token[][] {
  const parts: Token[][] = [];
  let from = 0;
  for (const at of topLevelPositions(tokens, (t) => isKeyword(t, keyword))) {
    parts.push(tokens.slice(from, at));
    from = at + 1;
  }
  return [...parts, tokens.slice(from)];
}

import type { Dialect } from '../url.js';
import { RoutineBody } from './routine-body.js';
import {
  blockCommentEnd,
  dollarTag,
  isDigit,
  isSpace,
  isWordPart,
  isWordStart,
  lineCommentEnd,
  numberEnd,
  quotedEnd,
  unquote,
  wordEnd,
} from './scan.js';

/** `word` is an unquoted name or keyword; `quoted-identifier` a name in "", ``, or []. */
export type TokenKind = 'word' | 'quoted-identifier' | 'string' | 'number' | 'parameter' | 'punctuation' | 'semicolon';

/** One piece of a statement, with where it sits in the source text. */
export interface Token {
  kind: TokenKind;
  /** Strings and quoted identifiers: the content, unquoted and unescaped; everything else: the source text. */
  value: string;
  start: number;
  end: number;
}

const OPERATORS = ['->>', '::', '<=', '>=', '<>', '!=', '||', '->', ':=', '=>'];
const STRING_PREFIXES = 'eEnNxXbB';

function isMysql(dialect: Dialect): boolean {
  return dialect === 'mysql' || dialect === 'mariadb';
}

/** Where the code inside a MySQL `/*! … *\/` (or MariaDB `/*M! … *\/`) comment starts, if one starts at `i`. */
function executableCodeStart(sql: string, i: number, dialect: Dialect): number | undefined {
  let k = sql.startsWith('/*!', i) ? i + 3 : dialect === 'mariadb' && sql.startsWith('/*M!', i) ? i + 4 : undefined;
  if (k === undefined) return undefined;
  while (isDigit(sql[k])) k++;
  return k;
}

/** Splits SQL into tokens; comments are left out, and nothing unterminated throws: it runs to the end. */
export function tokenize(sql: string, dialect: Dialect): Token[] {
  const tokens: Token[] = [];
  const mysql = isMysql(dialect);
  let inExecutableComment = false;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (isSpace(c)) {
      i++;
    } else if (c === '-' && next === '-' && (!mysql || i + 2 >= sql.length || isSpace(sql[i + 2]))) {
      // MySQL reads `1--1` as 1 minus -1: its comment needs a blank after the dashes.
      i = lineCommentEnd(sql, i);
    } else if (c === '#' && mysql) {
      i = lineCommentEnd(sql, i);
    } else if (c === '/' && next === '*') {
      const code = mysql ? executableCodeStart(sql, i, dialect) : undefined;
      if (code !== undefined) inExecutableComment = true;
      i = code ?? blockCommentEnd(sql, i, dialect === 'postgresql');
    } else if (inExecutableComment && c === '*' && next === '/') {
      inExecutableComment = false;
      i += 2;
    } else {
      const token = readToken(sql, i, dialect);
      tokens.push(token);
      i = token.end;
    }
  }
  return tokens;
}

function quoted(kind: TokenKind, sql: string, start: number, quoteAt: number, close: string, backslash: boolean): Token {
  const end = quotedEnd(sql, quoteAt, close, backslash);
  return { kind, value: unquote(sql.slice(quoteAt, end), close, backslash), start, end };
}

function readToken(sql: string, i: number, dialect: Dialect): Token {
  const c = sql[i];
  const next = sql[i + 1];
  const mysql = isMysql(dialect);
  const simple = (kind: TokenKind, end: number): Token => ({ kind, value: sql.slice(i, end), start: i, end });
  if (c === ';') return simple('semicolon', i + 1);
  if (c === "'") return quoted('string', sql, i, i, "'", mysql);
  if (STRING_PREFIXES.includes(c) && next === "'") {
    const escapes = mysql || (dialect === 'postgresql' && (c === 'e' || c === 'E'));
    return quoted('string', sql, i, i + 1, "'", escapes);
  }
  if (c === '"') return quoted('quoted-identifier', sql, i, i, '"', mysql);
  if (c === '`' && dialect !== 'postgresql') return quoted('quoted-identifier', sql, i, i, '`', false);
  if (c === '[' && dialect === 'sqlite') return quoted('quoted-identifier', sql, i, i, ']', false);
  if (c === '$') return readDollar(sql, i, dialect);
  if (c === '?') {
    let end = i + 1;
    while (isDigit(sql[end])) end++;
    return simple('parameter', end);
  }
  if ((c === ':' || c === '@') && (isWordStart(next) || (c === '@' && next === '@'))) return simple('parameter', wordEnd(sql, i + 1));
  if (isDigit(c) || (c === '.' && isDigit(next))) return simple('number', numberEnd(sql, i));
  if (isWordStart(c)) return simple('word', wordEnd(sql, i));
  const operator = OPERATORS.find((op) => sql.startsWith(op, i));
  return simple('punctuation', i + (operator?.length ?? 1));
}

/** `$1` is a parameter everywhere, `$name` on SQLite; `$tag$…$tag$` is a PostgreSQL string. */
function readDollar(sql: string, i: number, dialect: Dialect): Token {
  if (isDigit(sql[i + 1])) {
    let end = i + 1;
    while (isDigit(sql[end])) end++;
    return { kind: 'parameter', value: sql.slice(i, end), start: i, end };
  }
  const tag = dialect === 'postgresql' ? dollarTag(sql, i) : undefined;
  if (tag) {
    const close = sql.indexOf(tag, i + tag.length);
    const end = close === -1 ? sql.length : close + tag.length;
    return { kind: 'string', value: sql.slice(i + tag.length, close === -1 ? sql.length : close), start: i, end };
  }
  if (dialect === 'sqlite' && isWordPart(sql[i + 1])) {
    const end = wordEnd(sql, i + 1);
    return { kind: 'parameter', value: sql.slice(i, end), start: i, end };
  }
  return { kind: 'punctuation', value: '$', start: i, end: i + 1 };
}

/** Cuts SQL into statement texts at each `;` that ends a statement (not those in strings, comments or trigger bodies). */
export function splitStatements(sql: string, dialect: Dialect): string[] {
  return split(sql, dialect, true);
}

function split(sql: string, dialect: Dialect, followBodies: boolean): string[] {
  const texts: string[] = [];
  let start = 0;
  let hasCode = false;
  let body = new RoutineBody();
  for (const token of tokenize(sql, dialect)) {
    if (followBodies) body.see(token);
    if (token.kind === 'semicolon' && !body.open) {
      const text = sql.slice(start, token.start).trim();
      if (hasCode && text) texts.push(text);
      start = token.end;
      hasCode = false;
      body = new RoutineBody();
    } else {
      hasCode = true;
    }
  }
  // A body that never closes means the BEGIN/END count went wrong: do not let it hide what follows.
  if (body.open) return [...texts, ...split(sql.slice(start), dialect, false)];
  const text = sql.slice(start).trim();
  return hasCode && text ? [...texts, text] : texts;
}

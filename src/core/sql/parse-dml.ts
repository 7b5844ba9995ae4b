// DELETE, UPDATE, INSERT and the SELECT that feeds an INSERT or CREATE TABLE … AS.
import { isAlwaysTrue, whereClause } from './always-true.js';
import { isKeyword, isName, isPunctuation, splitTopLevel, topLevelIndex, type Cursor } from './cursor.js';
import type { SelectSource, Statement } from './statement.js';
import type { Token } from './tokens.js';

// Modifiers between the verb and the table: MySQL's `delete low_priority quick ignore`, SQLite's `insert or replace`.
const MODIFIERS = ['low_priority', 'quick', 'ignore', 'delayed', 'high_priority', 'or', 'replace', 'rollback', 'abort', 'fail'];
// Words of an expression in a select list that are no column.
const NOT_COLUMNS = new Set([
  'null',
  'true',
  'false',
  'and',
  'or',
  'not',
  'is',
  'in',
  'like',
  'between',
  'case',
  'when',
  'then',
  'else',
  'end',
  'as',
  'distinct',
  'current_timestamp',
  'current_date',
  'current_time',
  'interval',
]);

function skipModifiers(c: Cursor): void {
  while (c.acceptOneOf(...MODIFIERS)) {
    // Nothing to keep: none of them changes which rows or table.
  }
}

/** Skips `with [recursive] a [(cols)] as [not] [materialized] (…), …` before the main statement. */
export function skipWith(c: Cursor): void {
  c.accept('recursive');
  do {
    c.name();
    c.group();
    c.accept('as');
    c.accept('not');
    c.accept('materialized');
    c.group();
  } while (c.acceptPunctuation(','));
}

/** `delete from [only] t … [where …]`, or MySQL's `delete t1 from t1 join …`, after DELETE. */
export function parseDelete(c: Cursor): Statement | undefined {
  skipModifiers(c);
  const from = c.accept('from');
  if (from) c.accept('only');
  const table = c.tableRef();
  return table && { kind: 'delete', table, everyRow: reachesEveryRow(c.rest()) };
}

/** `update [or …] [only] t [[as] alias] set … [where …]`, after UPDATE. */
export function parseUpdate(c: Cursor): Statement | undefined {
  skipModifiers(c);
  c.accept('only');
  const table = c.tableRef();
  if (!table) return undefined;
  const named = c.accept('as') || !JOINS.some((word) => c.at(word));
  const alias = named && !c.at('set') ? c.name() : undefined;
  const rest = c.rest();
  // MySQL's `update a join b on … set …` reaches only the rows the join matches.
  const joined = rest
    .slice(0, Math.max(0, topLevelIndex(rest, 'set')))
    .some((t) => JOINS.some((word) => isKeyword(t, word)) || isPunctuation(t, ','));
  return { kind: 'update', table, everyRow: !joined && reachesEveryRow(rest), columns: columnsSet(rest, [table.name, alias]) };
}

// Words that join another table to an UPDATE's (MySQL), never its alias.
const JOINS = ['join', 'inner', 'left', 'right', 'cross', 'natural', 'straight_join'];

// Where an UPDATE's SET list ends: PostgreSQL's FROM, then WHERE, RETURNING, ORDER BY, LIMIT.
const AFTER_SET = ['from', 'where', 'returning', 'order', 'limit'];

/**
 * The columns of the updated table an UPDATE's SET assigns (`c = c` assigns nothing new). A column qualified by
 * another table's name (MySQL's multi-table UPDATE) is that table's, and left out.
 */
function columnsSet(rest: Token[], names: Array<string | undefined>): string[] {
  const start = topLevelIndex(rest, 'set');
  if (start < 0) return [];
  const list = rest.slice(start + 1);
  const end = Math.min(...AFTER_SET.map((word) => topLevelIndex(list, word)).filter((at) => at >= 0), list.length);
  const own = new Set(names.filter((n): n is string => n !== undefined).map((n) => n.toLowerCase()));
  return splitTopLevel(list.slice(0, end)).flatMap((item) => {
    const equals = item.findIndex((t) => isPunctuation(t, '='));
    if (equals < 0) return [];
    const target = item.slice(0, equals);
    const value = item.slice(equals + 1);
    // PostgreSQL's `set (a, b) = (…)`.
    if (isPunctuation(target[0], '(')) return splitTopLevel(target.slice(1, -1)).flatMap((part) => columnOf(part, own) ?? []);
    const column = columnOf(target, own);
    if (column === undefined) return [];
    const same = columnOf(value, own);
    return same !== undefined && same.toLowerCase() === column.toLowerCase() ? [] : [column];
  });
}

/** `c`, or `t.c` where t is the updated table (or its alias); undefined for anything else. */
function columnOf(tokens: Token[], own: Set<string>): string | undefined {
  if (tokens.length === 1 && isName(tokens[0])) return tokens[0].value;
  const qualified = tokens.length === 3 && isName(tokens[0]) && isPunctuation(tokens[1], '.') && isName(tokens[2]);
  return qualified && own.has(tokens[0].value.toLowerCase()) ? tokens[2].value : undefined;
}

/** No WHERE, or one that holds for every row. */
function reachesEveryRow(rest: Token[]): boolean {
  const where = whereClause(rest);
  return where === undefined || isAlwaysTrue(where);
}

/** `insert [or …] [into] t [(cols)] {values … | select …}`, after INSERT or REPLACE. */
export function parseInsert(c: Cursor): Statement | undefined {
  skipModifiers(c);
  c.accept('into');
  const table = c.tableRef();
  if (!table) return undefined;
  if (c.accept('as')) c.name();
  const first = c.peek(1);
  const listsColumns = c.atPunctuation('(') && !isKeyword(first, 'select') && !isKeyword(first, 'with');
  const columns = listsColumns ? splitTopLevel(c.group() ?? []).map((item) => item[0]?.value ?? '') : undefined;
  const select = selectSource(c);
  return { kind: 'insert', table, ...(columns && { columns }), ...(select && { select }) };
}

/** What the SELECT in the rest of the statement copies: its first table and the columns its select list reads. */
export function selectSource(c: Cursor): SelectSource | undefined {
  const tokens = c.rest();
  const start = topLevelIndex(tokens, 'select');
  if (start < 0) return undefined;
  const query = tokens.slice(start + 1);
  const fromIndex = topLevelIndex(query, 'from');
  const list = fromIndex < 0 ? query : query.slice(0, fromIndex);
  const tables = c.over(fromIndex < 0 ? [] : query.slice(fromIndex + 1));
  tables.accept('only');
  const from = tables.tableRef();
  const items = splitTopLevel(dropDistinct(list));
  const everything = items.some(
    (item) => isPunctuation(item[item.length - 1], '*') && (item.length === 1 || isPunctuation(item[item.length - 2], '.')),
  );
  return { from, columns: everything ? '*' : [...new Set(items.flatMap(columnsRead))] };
}

function dropDistinct(list: Token[]): Token[] {
  if (isKeyword(list[0], 'all')) return list.slice(1);
  if (!isKeyword(list[0], 'distinct')) return list;
  // PostgreSQL's DISTINCT ON (…): skip the parenthesised keys too.
  if (!isKeyword(list[1], 'on') || !isPunctuation(list[2], '(')) return list.slice(1);
  let depth = 0;
  for (let k = 2; k < list.length; k++) {
    if (isPunctuation(list[k], '(')) depth++;
    if (isPunctuation(list[k], ')') && --depth === 0) return list.slice(k + 1);
  }
  return [];
}

/** `expr alias` without AS: a name right after a name, string, number or `)` is the alias. */
function endsWithAlias(expression: Token[]): boolean {
  const last = expression[expression.length - 1];
  const before = expression[expression.length - 2];
  if (!isName(last) || isKeyword(last, 'end') || before === undefined) return false;
  if (before.kind === 'word' && NOT_COLUMNS.has(before.value.toLowerCase())) return false;
  return before.kind !== 'punctuation' || before.value === ')';
}

/** The columns one select-list item reads: its names, less function names, qualifiers and its alias. */
function columnsRead(item: Token[]): string[] {
  const as = topLevelIndex(item, 'as');
  const beforeAs = as >= 0 ? item.slice(0, as) : item;
  const expression = endsWithAlias(beforeAs) ? beforeAs.slice(0, -1) : beforeAs;
  return expression
    .filter((token, k) => {
      if (!isName(token) || isPunctuation(expression[k + 1], '(') || isPunctuation(expression[k + 1], '.')) return false;
      // The type of `cast(x as text)`.
      if (isKeyword(expression[k - 1], 'as')) return false;
      return token.kind === 'quoted-identifier' || !NOT_COLUMNS.has(token.value.toLowerCase());
    })
    .map((token) => token.value);
}

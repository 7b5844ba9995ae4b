// CREATE TABLE, CREATE INDEX and CREATE VIEW.
import { columnDefinition } from './column-definition.js';
import { isName, isPunctuation, sourceOf, splitTopLevel, topLevelIndex, type Cursor } from './cursor.js';
import { selectSource } from './parse-dml.js';
import type { ColumnDefinition, Statement } from './statement.js';
import type { Token } from './tokens.js';

// The words that start a table constraint rather than a column inside CREATE TABLE ( … ).
const TABLE_CONSTRAINTS = new Set([
  'constraint',
  'primary',
  'foreign',
  'unique',
  'check',
  'key',
  'index',
  'fulltext',
  'spatial',
  'exclude',
  'like',
  'period',
]);

/** CREATE [TEMPORARY] TABLE / [UNIQUE] INDEX / [MATERIALIZED] VIEW, after CREATE. */
export function parseCreate(c: Cursor): Statement | undefined {
  c.accept('or', 'replace');
  c.acceptOneOf('global', 'local');
  const temporary = c.acceptOneOf('temporary', 'temp') !== undefined;
  c.accept('unlogged');
  if (c.accept('table')) return parseCreateTable(c, temporary);
  const unique = c.accept('unique');
  c.acceptOneOf('fulltext', 'spatial');
  if (c.accept('index')) return parseCreateIndex(c, unique);
  const materialized = c.accept('materialized');
  if (c.accept('view')) {
    c.accept('if', 'not', 'exists');
    const view = c.tableRef();
    return view && { kind: 'create-view', view, materialized };
  }
  return undefined;
}

function parseCreateTable(c: Cursor, temporary: boolean): Statement | undefined {
  const ifNotExists = c.accept('if', 'not', 'exists');
  const table = c.tableRef();
  if (!table) return undefined;
  const definitions = c.group() ?? [];
  const columns: ColumnDefinition[] = [];
  const primaryKey: string[] = [];
  for (const item of splitTopLevel(definitions)) {
    const head = item[0];
    if (head.kind === 'word' && TABLE_CONSTRAINTS.has(head.value.toLowerCase())) {
      const primary = topLevelIndex(item, 'primary', 'key');
      if (primary >= 0) primaryKey.push(...namesIn(c.over(item.slice(primary + 2)).group() ?? []));
    } else if (isName(head)) {
      columns.push(columnDefinition(c.over(item.slice(1)), head.value));
    }
  }
  const marked = columns.map((column) => (primaryKey.includes(column.name) ? { ...column, primary: true } : column));
  // `as select …`, MySQL's `(…) select …`, PostgreSQL's `as (select …)`: the rows come from a query.
  const rest = c.over(c.rest());
  const as = rest.accept('as');
  const select = selectSource(rest.atPunctuation('(') ? rest.over(rest.group() ?? []) : rest);
  const asSelect = as || select !== undefined;
  return { kind: 'create-table', table, columns: marked, asSelect, ...(select && { select }), temporary, ifNotExists };
}

function namesIn(tokens: Token[]): string[] {
  return splitTopLevel(tokens).map((item) => item[0]?.value ?? '');
}

/** `create [unique] index [concurrently] [if not exists] [name] [using m] on [only] t [using m] (cols)`. */
function parseCreateIndex(c: Cursor, unique: boolean): Statement | undefined {
  const concurrently = c.accept('concurrently');
  c.accept('if', 'not', 'exists');
  const name = c.at('on') ? undefined : c.tableRef()?.name;
  if (c.accept('using')) c.name();
  if (!c.accept('on')) return undefined;
  c.accept('only');
  const table = c.tableRef();
  if (!table) return undefined;
  if (c.accept('using')) c.name();
  // A plain column (maybe with ASC, COLLATE, an opclass or MySQL's prefix length), else the expression as written.
  const columns = splitTopLevel(c.group() ?? []).map((item) => (isPlainColumn(item) ? item[0].value : sourceOf(c.text, item)));
  return { kind: 'create-index', ...(name !== undefined && { name }), table, unique, concurrently, columns };
}

function isPlainColumn(item: Token[]): boolean {
  if (!isName(item[0])) return false;
  return !isPunctuation(item[1], '(') || (item[2]?.kind === 'number' && isPunctuation(item[3], ')'));
}

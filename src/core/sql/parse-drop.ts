// DROP …, TRUNCATE and MySQL's RENAME TABLE: the statements that remove or move whole tables.
import { topLevelIndex, type Cursor } from './cursor.js';
import type { Statement, TableRef } from './statement.js';

/** DROP TABLE / INDEX / SCHEMA / DATABASE / VIEW, after the DROP keyword. */
export function parseDrop(c: Cursor): Statement | undefined {
  // MySQL's DROP TEMPORARY TABLE.
  c.accept('temporary');
  if (c.accept('table')) {
    const ifExists = c.accept('if', 'exists');
    const tables = c.list(() => c.tableRef());
    return tables.length ? { kind: 'drop-table', tables, ifExists, cascade: hasCascade(c) } : undefined;
  }
  if (c.accept('index')) return parseDropIndex(c);
  const kind = c.acceptOneOf('schema', 'database');
  if (kind) {
    c.accept('if', 'exists');
    const names = c.list(() => c.name());
    return names.length ? { kind: kind === 'schema' ? 'drop-schema' : 'drop-database', names, cascade: hasCascade(c) } : undefined;
  }
  const materialized = c.accept('materialized');
  if (c.accept('view')) {
    c.accept('if', 'exists');
    const views = c.list(() => c.tableRef());
    return views.length ? { kind: 'drop-view', views, materialized } : undefined;
  }
  return undefined;
}

function hasCascade(c: Cursor): boolean {
  return topLevelIndex(c.rest(), 'cascade') >= 0;
}

/** PostgreSQL/SQLite `drop index [concurrently] [if exists] x`, MySQL `drop index x on t`. */
function parseDropIndex(c: Cursor): Statement | undefined {
  const concurrently = c.accept('concurrently');
  c.accept('if', 'exists');
  const index = c.list(() => c.tableRef())[0];
  if (!index) return undefined;
  const table = c.accept('on') ? c.tableRef() : undefined;
  return {
    kind: 'drop-index',
    name: index.name,
    ...(index.schema !== undefined && { schema: index.schema }),
    concurrently,
    ...(table && { table }),
  };
}

/** `truncate [table] [only] a [*], b [restart identity] [cascade]`, after TRUNCATE. */
export function parseTruncate(c: Cursor): Statement | undefined {
  c.accept('table');
  const tables = c.list((): TableRef | undefined => {
    c.accept('only');
    const table = c.tableRef();
    // PostgreSQL's `name *` includes the descendant tables: still the same name.
    c.acceptPunctuation('*');
    return table;
  });
  return tables.length ? { kind: 'truncate', tables, cascade: hasCascade(c) } : undefined;
}

/** MySQL's `rename table a to b, c to d`, after RENAME TABLE. */
export function parseRenameTable(c: Cursor): Statement | undefined {
  const renames = c.list(() => {
    const from = c.tableRef();
    const to = from && c.accept('to') ? c.tableRef() : undefined;
    return from && to ? { from, to } : undefined;
  });
  return renames.length ? { kind: 'rename-table', renames } : undefined;
}

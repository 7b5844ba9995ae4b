import type { Dialect } from '../url.js';
import { Cursor, topLevelIndex } from './cursor.js';
import { parseAlterTable } from './parse-alter.js';
import { parseCreate } from './parse-create.js';
import { parseDelete, parseInsert, parseUpdate, skipWith } from './parse-dml.js';
import { parseDrop, parseRenameTable, parseTruncate } from './parse-drop.js';
import { tokenize } from './tokens.js';

/** A table (or view, index) as a statement names it, unquoted. */
export interface TableRef {
  name: string;
  schema?: string;
}

/** A column as CREATE TABLE or ADD COLUMN defines it. */
export interface ColumnDefinition {
  name: string;
  /** The type as written, e.g. `varchar(255)`; empty when SQLite's column has none. */
  type: string;
  notNull: boolean;
  /** A DEFAULT, or a value the database fills in (auto-increment, serial, identity, generated). */
  hasDefault: boolean;
  primary: boolean;
}

/** The rows an INSERT … SELECT or CREATE TABLE … AS SELECT copies. */
export interface SelectSource {
  from: TableRef | undefined;
  /** The columns of `from` the select list reads (aliases left out), or `*` for all. */
  columns: string[] | '*';
}

export type ConstraintKind = 'foreign-key' | 'unique' | 'primary-key' | 'check' | 'index' | 'other';

/** One action of an ALTER TABLE. */
export type AlterAction =
  | { kind: 'drop-column'; column: string }
  | { kind: 'add-column'; column: string; type: string; notNull: boolean; hasDefault: boolean }
  | { kind: 'alter-column-type'; column: string; type: string }
  | { kind: 'set-not-null' | 'drop-not-null' | 'set-default' | 'drop-default'; column: string }
  | { kind: 'rename-column'; from: string; to: string }
  | { kind: 'rename-table'; to: TableRef }
  | { kind: 'drop-constraint'; name: string }
  /** `columns` where it lists them (a key, an index); `references` for a foreign key. */
  | { kind: 'add-constraint'; constraint: ConstraintKind; name?: string; columns?: string[]; references?: { table: TableRef; columns: string[] } }
  /** MySQL's DROP INDEX, DROP PRIMARY KEY, DROP FOREIGN KEY: no data goes with them. */
  | { kind: 'drop-index'; name?: string }
  | { kind: 'other'; text: string };

export type TransactionAction = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'set';

/** What one statement does, as far as its text tells. */
export type Statement =
  | { kind: 'drop-table'; tables: TableRef[]; ifExists: boolean; cascade: boolean }
  | { kind: 'alter-table'; table: TableRef; actions: AlterAction[] }
  | { kind: 'rename-table'; renames: Array<{ from: TableRef; to: TableRef }> }
  | { kind: 'truncate'; tables: TableRef[]; cascade: boolean }
  /** `everyRow`: no WHERE, or one that is always true (`1=1`, `true`, `x = x`). */
  | { kind: 'delete'; table: TableRef; everyRow: boolean }
  /** `columns`: the columns of `table` its SET gives a new value (`c = c` left out). */
  | { kind: 'update'; table: TableRef; everyRow: boolean; columns: string[] }
  | { kind: 'insert'; table: TableRef; columns?: string[]; select?: SelectSource }
  | {
      kind: 'create-table';
      table: TableRef;
      columns: ColumnDefinition[];
      asSelect: boolean;
      select?: SelectSource;
      temporary: boolean;
      ifNotExists: boolean;
    }
  | { kind: 'create-index'; name?: string; table: TableRef; unique: boolean; concurrently: boolean; columns: string[] }
  | { kind: 'drop-index'; name: string; schema?: string; concurrently: boolean; table?: TableRef }
  | { kind: 'drop-schema' | 'drop-database'; names: string[]; cascade: boolean }
  | { kind: 'drop-view'; views: TableRef[]; materialized: boolean }
  | { kind: 'create-view'; view: TableRef; materialized: boolean }
  | { kind: 'transaction'; action: TransactionAction }
  | { kind: 'pragma'; name: string; value?: string }
  | { kind: 'set'; name?: string }
  | { kind: 'select' }
  | { kind: 'other'; keyword: string };

/** Says what a single statement does: which tables, columns and rows it touches and how. */
export function parseStatement(text: string, dialect: Dialect): Statement {
  const c = new Cursor(tokenize(text, dialect), text);
  const first = c.peek();
  const keyword = first?.kind === 'word' ? first.value.toLowerCase() : (first?.value ?? '');
  return parse(c, dialect) ?? { kind: 'other', keyword };
}

const TRANSACTION_ACTIONS = new Map<string, TransactionAction>([
  ['begin', 'begin'],
  ['commit', 'commit'],
  ['end', 'commit'],
  ['rollback', 'rollback'],
  ['abort', 'rollback'],
  ['savepoint', 'savepoint'],
  ['release', 'release'],
]);

function parse(c: Cursor, dialect: Dialect): Statement | undefined {
  while (c.acceptPunctuation('(')) {
    // A parenthesised query: `(select …) union …`.
  }
  if (c.accept('with')) skipWith(c);
  const keyword = c.peek()?.kind === 'word' ? c.next()?.value.toLowerCase() : undefined;
  switch (keyword) {
    case 'select':
    case 'values':
    case 'show':
      // PostgreSQL's SELECT … INTO creates a table: not a plain query.
      return dialect === 'postgresql' && topLevelIndex(c.rest(), 'into') >= 0 ? undefined : { kind: 'select' };
    case 'drop':
      return parseDrop(c);
    case 'alter':
      return c.accept('table') ? parseAlterTable(c) : undefined;
    case 'rename':
      return c.accept('table') ? parseRenameTable(c) : undefined;
    case 'truncate':
      return parseTruncate(c);
    case 'delete':
      return parseDelete(c);
    case 'update':
      return parseUpdate(c);
    case 'insert':
    case 'replace':
      return parseInsert(c);
    case 'create':
      return parseCreate(c);
    case 'pragma':
      return parsePragma(c);
    case 'set':
      if (c.at('transaction') || c.at('session', 'characteristics')) return { kind: 'transaction', action: 'set' };
      c.acceptOneOf('local', 'session', 'global', 'persist');
      return { kind: 'set', name: c.tableRef()?.name };
    case 'start':
      return c.at('transaction') ? { kind: 'transaction', action: 'begin' } : undefined;
    default: {
      const action = keyword === undefined ? undefined : TRANSACTION_ACTIONS.get(keyword);
      return action ? { kind: 'transaction', action } : undefined;
    }
  }
}

function parsePragma(c: Cursor): Statement | undefined {
  const name = c.tableRef()?.name;
  if (!name) return undefined;
  const value = c.acceptPunctuation('=') ? c.next()?.value : c.group()?.[0]?.value;
  return value === undefined ? { kind: 'pragma', name } : { kind: 'pragma', name, value };
}

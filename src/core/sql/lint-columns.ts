// What an ALTER TABLE says about a column beyond its parsed action (MySQL's MODIFY nullability, PostgreSQL's
// ADD CONSTRAINT … USING INDEX), and what down() says a column was before up() changed it.
import type { Dialect } from '../url.js';
import { columnDefinition } from './column-definition.js';
import { Cursor, splitTopLevel, topLevelIndex } from './cursor.js';
import { parseStatement } from './statement.js';
import { tableName } from './table-history.js';
import { type Token, tokenize } from './tokens.js';

/** The comma-separated actions of an ALTER TABLE, as tokens; empty for any other statement. */
function alterActions(text: string, dialect: Dialect): Token[][] {
  const c = new Cursor(tokenize(text, dialect), text);
  if (!c.accept('alter', 'table')) return [];
  c.accept('if', 'exists');
  c.accept('only');
  if (!c.tableRef()) return [];
  c.acceptPunctuation('*');
  return splitTopLevel(c.rest());
}

/** MySQL's MODIFY and CHANGE restate the whole column: whether each (by its new name, lower case) ends up NOT NULL. */
export function restatedNullability(text: string, dialect: Dialect): Map<string, boolean> {
  const found = new Map<string, boolean>();
  const c = new Cursor([], text);
  for (const tokens of alterActions(text, dialect)) {
    const action = c.over(tokens);
    const keyword = action.acceptOneOf('modify', 'change');
    if (!keyword) continue;
    action.accept('column');
    const first = action.name();
    const column = keyword === 'change' ? action.name() : first;
    if (column !== undefined) found.set(column.toLowerCase(), columnDefinition(action, column).notNull);
  }
  return found;
}

/** True when an ADD CONSTRAINT of this statement adopts an index built before (`unique using index ix`). */
export function adoptsIndex(text: string, dialect: Dialect): boolean {
  return alterActions(text, dialect).some((tokens) => topLevelIndex(tokens, 'using', 'index') >= 0);
}

/** What down() says a column was: its type and whether it was NOT NULL, where down() restates them. */
export interface ColumnBefore {
  type?: string;
  notNull?: boolean;
}

function keyOf(table: string, column: string): string {
  return `${table}.${column}`.toLowerCase();
}

/** Columns as down() puts them back, by table and column: the state before up() where up() changed them. */
export class ColumnsBefore {
  private readonly columns = new Map<string, ColumnBefore>();

  constructor(down: string[], dialect: Dialect) {
    for (const text of down) {
      const statement = parseStatement(text, dialect);
      if (statement.kind !== 'alter-table') continue;
      const table = tableName(statement.table);
      const restated = restatedNullability(text, dialect);
      for (const action of statement.actions) {
        if (action.kind === 'alter-column-type') {
          const notNull = restated.get(action.column.toLowerCase());
          this.note(table, action.column, { type: action.type, ...(notNull !== undefined && { notNull }) });
        } else if (action.kind === 'set-not-null' || action.kind === 'drop-not-null') {
          this.note(table, action.column, { notNull: action.kind === 'set-not-null' });
        }
      }
    }
  }

  private note(table: string, column: string, facts: ColumnBefore): void {
    const key = keyOf(table, column);
    this.columns.set(key, { ...this.columns.get(key), ...facts });
  }

  /** The column as down() restores it, looked up under the table's name with and without its schema. */
  of(table: string, column: string): ColumnBefore {
    const unqualified = table.slice(table.lastIndexOf('.') + 1);
    return this.columns.get(keyOf(table, column)) ?? this.columns.get(keyOf(unqualified, column)) ?? {};
  }
}

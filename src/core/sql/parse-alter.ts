// ALTER TABLE and its actions, in the spellings of PostgreSQL, MySQL/MariaDB and SQLite.
import { columnDefinition } from './column-definition.js';
import { isName, sourceOf, splitTopLevel, type Cursor } from './cursor.js';
import type { Token } from './tokens.js';
import type { AlterAction, ConstraintKind, Statement } from './statement.js';

/** `alter table [if exists] [only] t action, action…`, after ALTER TABLE. */
export function parseAlterTable(c: Cursor): Statement | undefined {
  c.accept('if', 'exists');
  c.accept('only');
  const table = c.tableRef();
  if (!table) return undefined;
  c.acceptPunctuation('*');
  const actions = splitTopLevel(c.rest()).flatMap((tokens): AlterAction[] => {
    const action = c.over(tokens);
    const keyword = action.acceptOneOf('add', 'drop', 'alter', 'modify', 'change', 'rename');
    return (keyword && ACTIONS[keyword](action)) || [{ kind: 'other', text: sourceOf(c.text, tokens) }];
  });
  return { kind: 'alter-table', table, actions };
}

const ACTIONS: Record<string, (c: Cursor) => AlterAction[] | undefined> = {
  add: parseAdd,
  drop: parseDropAction,
  alter: parseAlterColumn,
  modify: (c) => {
    c.accept('column');
    const column = c.name();
    return column === undefined ? undefined : [{ kind: 'alter-column-type', column, type: columnDefinition(c, column).type }];
  },
  change: (c) => {
    c.accept('column');
    const from = c.name();
    const to = c.name();
    if (from === undefined || to === undefined) return undefined;
    const type = columnDefinition(c, to).type;
    // MySQL column names are case-insensitive: `change a A` only retypes.
    const renamed = from.toLowerCase() !== to.toLowerCase();
    return [...(renamed ? [{ kind: 'rename-column' as const, from, to }] : []), { kind: 'alter-column-type', column: to, type }];
  },
  rename: parseRename,
};

const CONSTRAINT_STARTS: Record<string, ConstraintKind> = {
  primary: 'primary-key',
  unique: 'unique',
  foreign: 'foreign-key',
  check: 'check',
  index: 'index',
  key: 'index',
  fulltext: 'other',
  spatial: 'other',
  exclude: 'other',
};

function parseAdd(c: Cursor): AlterAction[] | undefined {
  if (!c.accept('column')) {
    const named = c.accept('constraint') ? c.name() : undefined;
    const start = c.acceptOneOf(...Object.keys(CONSTRAINT_STARTS));
    if (start) return [constraintAction(c, CONSTRAINT_STARTS[start], named)];
    if (named !== undefined) return [{ kind: 'add-constraint', constraint: 'other', name: named }];
  }
  c.accept('if', 'not', 'exists');
  const column = c.name();
  if (column === undefined) return undefined;
  const { type, notNull, hasDefault } = columnDefinition(c, column);
  return [{ kind: 'add-column', column, type, notNull, hasDefault }];
}

/**
 * The rest of `add [constraint n] primary key (…)`, `unique [index|key] [n] (…)`, `foreign key [n] (…) references t (…)`,
 * `index|key [n] (…)` (MySQL), after the word that starts it: its name, columns and what a foreign key references.
 */
function constraintAction(c: Cursor, constraint: ConstraintKind, named: string | undefined): AlterAction {
  if (constraint === 'primary-key' || constraint === 'foreign-key') c.accept('key');
  if (constraint === 'unique') c.acceptOneOf('index', 'key');
  const name = named ?? (c.atPunctuation('(') ? undefined : c.name());
  const columns = constraint === 'check' ? undefined : namesIn(c.group());
  const action: AlterAction = { kind: 'add-constraint', constraint, ...(name !== undefined && { name }), ...(columns && { columns }) };
  if (constraint !== 'foreign-key' || !c.accept('references')) return action;
  const table = c.tableRef();
  const referenced = namesIn(c.group());
  return table && referenced ? { ...action, references: { table, columns: referenced } } : action;
}

/** The plain column names of a parenthesised list; undefined when it holds anything else (an expression). */
function namesIn(group: Token[] | undefined): string[] | undefined {
  if (!group) return undefined;
  const items = splitTopLevel(group);
  return items.every((item) => item.length === 1 && isName(item[0])) ? items.map((item) => item[0].value) : undefined;
}

function parseDropAction(c: Cursor): AlterAction[] | undefined {
  if (!c.accept('column')) {
    if (c.acceptOneOf('constraint', 'check')) {
      c.accept('if', 'exists');
      const name = c.name();
      return name === undefined ? undefined : [{ kind: 'drop-constraint', name }];
    }
    if (c.accept('primary', 'key')) return [{ kind: 'drop-index', name: 'PRIMARY' }];
    if (c.accept('foreign', 'key') || c.acceptOneOf('index', 'key')) {
      const name = c.name();
      return [{ kind: 'drop-index', ...(name !== undefined && { name }) }];
    }
    // DROP PARTITION, DROP DEFAULT, DROP PERIOD…: not a column.
    if (c.at('partition') || c.at('default') || c.at('period') || c.at('system')) return undefined;
  }
  c.accept('if', 'exists');
  const column = c.name();
  return column === undefined ? undefined : [{ kind: 'drop-column', column }];
}

function parseAlterColumn(c: Cursor): AlterAction[] | undefined {
  c.accept('column');
  const column = c.name();
  if (column === undefined) return undefined;
  if (c.accept('type') || c.accept('set', 'data', 'type')) {
    return [{ kind: 'alter-column-type', column, type: columnDefinition(c, column).type }];
  }
  if (c.accept('set', 'not', 'null')) return [{ kind: 'set-not-null', column }];
  if (c.accept('drop', 'not', 'null')) return [{ kind: 'drop-not-null', column }];
  if (c.accept('set', 'default')) return [{ kind: 'set-default', column }];
  if (c.accept('drop', 'default')) return [{ kind: 'drop-default', column }];
  return undefined;
}

/** `rename to t` / `rename as t` / MySQL `rename t`: the table; `rename [column] a to b`: a column. */
function parseRename(c: Cursor): AlterAction[] | undefined {
  if (c.acceptOneOf('to', 'as')) {
    const to = c.tableRef();
    return to && [{ kind: 'rename-table', to }];
  }
  if (c.at('constraint') || c.at('index') || c.at('key')) return undefined;
  c.accept('column');
  const first = c.tableRef();
  if (!first) return undefined;
  if (!c.accept('to')) return [{ kind: 'rename-table', to: first }];
  const to = c.name();
  return to === undefined ? undefined : [{ kind: 'rename-column', from: first.name, to }];
}

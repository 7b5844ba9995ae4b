import { isPunctuation, sourceOf, topLevelIndex, type Cursor } from './cursor.js';
import type { ColumnDefinition } from './statement.js';

// Words that end a column's type and begin its constraints or options.
const AFTER_TYPE = new Set([
  'not',
  'null',
  'default',
  'primary',
  'references',
  'unique',
  'check',
  'constraint',
  'collate',
  'generated',
  'auto_increment',
  'autoincrement',
  'comment',
  'as',
  'identity',
  'first',
  'after',
  'using',
  'charset',
  'on',
]);
const FILLED_BY_DATABASE = ['default', 'auto_increment', 'autoincrement', 'generated', 'identity'];
const SERIAL_TYPES = new Set(['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8']);

/** Reads the rest of a column definition, after its name: the type, then NOT NULL, DEFAULT, PRIMARY KEY… */
export function columnDefinition(c: Cursor, name: string): ColumnDefinition {
  const tokens = c.rest();
  let typeEnd = 0;
  let depth = 0;
  for (; typeEnd < tokens.length; typeEnd++) {
    const token = tokens[typeEnd];
    if (isPunctuation(token, '(')) depth++;
    else if (isPunctuation(token, ')')) depth--;
    else if (depth === 0 && token.kind === 'word' && AFTER_TYPE.has(token.value.toLowerCase())) break;
  }
  const type = sourceOf(c.text, tokens.slice(0, typeEnd));
  const options = tokens.slice(typeEnd);
  return {
    name,
    type,
    notNull: topLevelIndex(options, 'not', 'null') >= 0,
    hasDefault: SERIAL_TYPES.has(type.toLowerCase()) || FILLED_BY_DATABASE.some((word) => topLevelIndex(options, word) >= 0),
    primary: topLevelIndex(options, 'primary', 'key') >= 0,
  };
}

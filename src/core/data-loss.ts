/** What a statement destroys for good: a table with its rows, or a column with its values. */
export interface DataLoss {
  kind: 'table' | 'column';
  table: string;
  column?: string;
  /** The statement that loses it. */
  statement: string;
}

const IDENT = String.raw`(?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[\w$.]+)`;
const DROP_TABLE = new RegExp(String.raw`^\s*drop\s+table\s+(?:if\s+exists\s+)?(${IDENT}(?:\s*,\s*${IDENT})*)`, 'i');
const ALTER_TABLE = new RegExp(String.raw`^\s*alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?(${IDENT})\s+([\s\S]*)$`, 'i');
const DROP_COLUMN = new RegExp(String.raw`(?:^|,)\s*drop\s+(?:column\s+)?(?:if\s+exists\s+)?(${IDENT})`, 'gi');
const NOT_A_COLUMN = /^(index|constraint|foreign|primary|key|unique|check|default|not|partition|period|system)$/i;

function unquote(identifier: string): string {
  return identifier.replace(/^["`[]|["`\]]$/g, '');
}

/** The tables and columns a list of statements would drop (with their data), in order. Index, constraint and default drops lose nothing. */
export function dataLossOf(statements: string[]): DataLoss[] {
  const losses: DataLoss[] = [];
  for (const statement of statements) {
    const text = statement.replace(/--[^\n]*\n?/g, ' ').trim();
    const dropTable = DROP_TABLE.exec(text);
    if (dropTable) {
      for (const table of dropTable[1].split(',')) losses.push({ kind: 'table', table: unquote(table.trim()), statement });
      continue;
    }
    const alter = ALTER_TABLE.exec(text);
    if (!alter) continue;
    for (const m of alter[2].matchAll(DROP_COLUMN)) {
      if (NOT_A_COLUMN.test(unquote(m[1]))) continue;
      losses.push({ kind: 'column', table: unquote(alter[1]), column: unquote(m[1]), statement });
    }
  }
  return losses;
}

/** One phrase for a person: "table features and its rows", "column features.slug and its values". */
export function describeDataLoss(loss: DataLoss): string {
  return loss.kind === 'table' ? `table ${loss.table} and its rows` : `column ${loss.table}.${loss.column} and its values`;
}

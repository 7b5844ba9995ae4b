import type { Dialect } from '../url.js';
import { parseStatement, type Statement, type TableRef } from './statement.js';
import { TableHistory, tableName, type TableCopy } from './table-history.js';
import { splitStatements } from './tokens.js';

/** What a statement destroys for good. */
export interface DataLoss {
  /**
   * `rows`: TRUNCATE, or DELETE without WHERE or with one always true; `values`: an UPDATE that reaches every row
   * (the same WHERE) overwrites a column's values; `schema`: DROP SCHEMA or DROP DATABASE, with every table in it.
   */
  kind: 'table' | 'column' | 'rows' | 'values' | 'schema';
  /** Unqualified, or `schema.table` when the statement named a schema; for `schema` the schema's name. */
  table: string;
  column?: string;
  /** The statement that loses it. */
  statement: string;
}

/** The live schema's columns, where known, so a SQLite table rebuild can tell which columns it leaves behind. */
export interface SchemaLookup {
  columns(table: string): string[] | undefined;
}

type PendingLosses = () => DataLoss[];

/**
 * The tables, columns and rows a list of statements would destroy, in order. Each string may hold several
 * statements. Index, constraint and default drops lose nothing; neither does a table rebuild
 * (copy, drop, rename back) beyond the columns it leaves out, nor the drop of a table the list created.
 */
export function dataLossOf(statements: string[], dialect: Dialect, schema?: SchemaLookup): DataLoss[] {
  const history = new TableHistory();
  const found: PendingLosses[] = [];
  for (const text of statements.flatMap((sql) => splitStatements(sql, dialect))) {
    found.push(...lossesOf(parseStatement(text, dialect), text, history, schema));
  }
  // Drops are judged at the end: a rebuild renames its copy back only after the drop.
  return found.flatMap((losses) => losses());
}

function lossesOf(statement: Statement, text: string, history: TableHistory, schema: SchemaLookup | undefined): PendingLosses[] {
  const now = (losses: DataLoss[]): PendingLosses[] => [() => losses];
  switch (statement.kind) {
    case 'drop-table':
      return statement.tables.map((table) => {
        const live = history.dropped(table);
        if (live === null) return () => [];
        return () => {
          const copy = history.restoredCopy(live);
          return copy ? columnsLeftBehind(copy, text, schema) : [{ kind: 'table', table: tableName(table), statement: text }];
        };
      });
    case 'alter-table':
      return now(
        statement.actions.flatMap((action): DataLoss[] => {
          if (action.kind === 'rename-table') history.renamed(statement.table, { schema: statement.table.schema, ...action.to });
          if (action.kind === 'add-column') history.addedColumn(statement.table, action.column);
          if (action.kind !== 'drop-column' || !history.droppedColumn(statement.table, action.column)) return [];
          return [{ kind: 'column', table: tableName(statement.table), column: action.column, statement: text }];
        }),
      );
    case 'rename-table':
      for (const { from, to } of statement.renames) history.renamed(from, to);
      return [];
    case 'create-table':
      history.created(statement.table);
      if (statement.select?.from) history.copied(statement.table, statement.select.from, statement.select.columns);
      return [];
    case 'insert':
      if (statement.select?.from) history.copied(statement.table, statement.select.from, statement.select.columns);
      return [];
    case 'truncate':
      return now(statement.tables.filter((table) => history.liveTableOf(table) !== null).map((table) => rowsLoss(table, text)));
    case 'delete':
      return now(!statement.everyRow || history.liveTableOf(statement.table) === null ? [] : [rowsLoss(statement.table, text)]);
    case 'update':
      // A column this list added holds nothing yet (down()'s fill of a restored NOT NULL column).
      if (!statement.everyRow || history.liveTableOf(statement.table) === null) return [];
      return now(
        statement.columns
          .filter((column) => !history.isAddedColumn(statement.table, column))
          .map((column) => ({ kind: 'values', table: tableName(statement.table), column, statement: text })),
      );
    case 'drop-schema':
    case 'drop-database':
      return now(statement.names.map((name) => ({ kind: 'schema', table: name, statement: text })));
    default:
      return [];
  }
}

function rowsLoss(table: TableRef, statement: string): DataLoss {
  return { kind: 'rows', table: tableName(table), statement };
}

/** A rebuilt table keeps its rows; the columns its copy did not carry over are gone. */
function columnsLeftBehind(copy: TableCopy, statement: string, schema: SchemaLookup | undefined): DataLoss[] {
  const unqualified = copy.from.slice(copy.from.lastIndexOf('.') + 1);
  const live = schema?.columns(copy.from) ?? schema?.columns(unqualified);
  const same = (a: string) => (b: string) => a.toLowerCase() === b.toLowerCase();
  const carried = (column: string) => copy.carried === '*' || copy.carried.some(same(column));
  const leftOut = (live ?? []).filter((column) => !carried(column));
  // A column dropped from the copy counts when it was live data the copy had carried.
  const droppedLater = copy.droppedLater.filter((column) => carried(column) && (live === undefined || live.some(same(column))));
  return [...leftOut, ...droppedLater.filter((column) => !leftOut.some(same(column)))].map((column) => ({
    kind: 'column',
    table: copy.from,
    column,
    statement,
  }));
}

/**
 * One phrase for a person: "table features and its rows", "column features.slug and its values", "every row of
 * features", "every value of features.slug" (overwritten).
 */
export function describeDataLoss(loss: DataLoss): string {
  switch (loss.kind) {
    case 'table':
      return `table ${loss.table} and its rows`;
    case 'column':
      return `column ${loss.table}.${loss.column} and its values`;
    case 'rows':
      return `every row of ${loss.table}`;
    case 'values':
      return `every value of ${loss.table}.${loss.column}`;
    case 'schema':
      return `schema ${loss.table} and every table in it`;
  }
}

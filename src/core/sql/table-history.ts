import type { SelectSource, TableRef } from './statement.js';

/** A table as a loss names it: `schema.table` when the statement named a schema. */
export function tableName(ref: TableRef): string {
  return ref.schema === undefined ? ref.name : `${ref.schema}.${ref.name}`;
}

function keyOf(table: TableRef | string): string {
  return (typeof table === 'string' ? table : tableName(table)).toLowerCase();
}

/** Rows of a live table copied into a table the statements created (the heart of a SQLite table rebuild). */
export interface TableCopy {
  /** The live table the rows come from. */
  from: string;
  /** The columns of `from` the copy carries over, or `*` for all. */
  carried: SelectSource['columns'];
  /** Columns dropped from the copy afterwards. */
  droppedLater: string[];
}

function carriedBoth(first: TableCopy['carried'], second: TableCopy['carried']): TableCopy['carried'] {
  if (first === '*') return second;
  if (second === '*') return first;
  return first.filter((column) => second.some((other) => other.toLowerCase() === column.toLowerCase()));
}

/**
 * What a list of statements has done so far to each table it names: created it, copied a live table's
 * rows into it, renamed or dropped it. A name it never touched is the live table of that name.
 */
export class TableHistory {
  /** The live table whose rows a name holds; null when the statements created it (or it is gone). */
  private readonly origins = new Map<string, string | null>();
  private readonly copies = new Map<string, TableCopy>();
  /** `table.column` (lower case) of the columns the statements added to a table. */
  private readonly added = new Set<string>();

  /** The live table whose rows this table holds now, or null when the statements created it. */
  liveTableOf(table: TableRef): string | null {
    const origin = this.origins.get(keyOf(table));
    return origin === undefined ? tableName(table) : origin;
  }

  /** CREATE TABLE: a new, empty table. */
  created(table: TableRef): void {
    this.origins.set(keyOf(table), null);
    this.copies.delete(keyOf(table));
  }

  /** INSERT … SELECT or CREATE TABLE … AS SELECT: counts when a created table receives a live table's rows. */
  copied(into: TableRef, from: TableRef, carried: TableCopy['carried']): void {
    if (this.liveTableOf(into) !== null) return;
    const earlier = this.copies.get(keyOf(from));
    const live = this.liveTableOf(from);
    if (earlier)
      this.copies.set(keyOf(into), { ...earlier, carried: carriedBoth(earlier.carried, carried), droppedLater: [...earlier.droppedLater] });
    else if (live !== null) this.copies.set(keyOf(into), { from: live, carried, droppedLater: [] });
  }

  /** ALTER TABLE … RENAME TO / RENAME TABLE: the rows and any copy move with the name. */
  renamed(from: TableRef, to: TableRef): void {
    const copy = this.copies.get(keyOf(from));
    this.origins.set(keyOf(to), this.liveTableOf(from));
    this.copies.delete(keyOf(to));
    if (copy) this.copies.set(keyOf(to), copy);
    this.origins.set(keyOf(from), null);
    this.copies.delete(keyOf(from));
  }

  /** DROP TABLE: gives the live table whose rows went with it, if any. */
  dropped(table: TableRef): string | null {
    const live = this.liveTableOf(table);
    this.origins.set(keyOf(table), null);
    this.copies.delete(keyOf(table));
    return live;
  }

  /** ALTER TABLE … DROP COLUMN: true when the column held live data. */
  droppedColumn(table: TableRef, column: string): boolean {
    this.copies.get(keyOf(table))?.droppedLater.push(column);
    return this.liveTableOf(table) !== null;
  }

  /** ALTER TABLE … ADD COLUMN: the column holds no data of its own yet. */
  addedColumn(table: TableRef, column: string): void {
    this.added.add(`${keyOf(table)}.${column.toLowerCase()}`);
  }

  /** Whether the statements added this column (so overwriting it loses nothing). */
  isAddedColumn(table: TableRef, column: string): boolean {
    return this.added.has(`${keyOf(table)}.${column.toLowerCase()}`);
  }

  /** The copy of a live table that stands under the live table's own name now, if one does. */
  restoredCopy(live: string): TableCopy | undefined {
    const copy = this.copies.get(keyOf(live));
    return copy && keyOf(copy.from) === keyOf(live) ? copy : undefined;
  }
}

import { after, type Condition, keyOf, type SqlDialect, type SqlRunner, upTo, whereClause } from './keyset.js';
import { writeUpdates } from './row-updates.js';
import type { BatchContext, CheckedStep, Row } from './steps.js';

/** What one batch did: the step's rows in it, and the key it ended at (null when the step has no rows left). */
export interface BatchOutcome {
  /** Those its UPDATE matched (a set step), or those handed to its callback. */
  rows: number;
  lastKey: unknown[] | null;
  /** True when no row of the step is left after this batch: it is the step's last. */
  end: boolean;
}

/** A set-based batch's key range after the checkpoint: up to `upper`, the step's last when fewer keys were left. */
export interface BatchRange {
  upper: unknown[];
  end: boolean;
}

/** Above this many rows in the table, its row count stands in for counting the step's rows (a scan of them all). */
const COUNT_LIMIT = 100_000;

/** A row count as a statistics query returns it; null where there is none (PostgreSQL's -1 before any ANALYZE). */
function rowCount(row: Row | undefined): number | null {
  const n = Number(row?.n ?? row?.N);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * One step of a data migration as SQL: finds its key, estimates its rows, and runs a batch after a key.
 * Every name it writes was checked (checkStep) and is quoted by the platform; the step's SQL (set, where) is the
 * migration author's, as in addSql().
 */
export class Backfill {
  #keys: string[] | undefined;

  constructor(
    readonly step: CheckedStep,
    readonly index: number,
    private readonly sql: SqlDialect,
  ) {}

  get #table(): string {
    return this.sql.quote(this.step.table);
  }

  /** The key columns: the step's, or the table's primary key. */
  async keys(db: SqlRunner): Promise<string[]> {
    if (this.#keys) return this.#keys;
    const keys = this.step.key ?? (await this.#primaryKey(db));
    if (keys.length === 0) throw new Error(`step ${this.index + 1}: table ${this.step.table} has no primary key; give the step a key`);
    if (this.step.set?.some(([column]) => keys.includes(column))) throw new Error(`step ${this.index + 1}: set changes a key column`);
    this.#keys = keys;
    return keys;
  }

  async #primaryKey(db: SqlRunner): Promise<string[]> {
    const [schema, table] = this.step.table.includes('.') ? this.step.table.split('.') : [null, this.step.table];
    let rows: Row[];
    if (this.sql.dialect === 'sqlite') rows = await db.all('select name from pragma_table_info(?) where pk > 0 order by pk', [table]);
    else if (this.sql.dialect === 'postgresql') {
      rows = await db.all(
        `select a.attname as name from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
         where i.indrelid = to_regclass(?) and i.indisprimary order by array_position(i.indkey::int2[], a.attnum)`,
        [this.#table],
      );
    } else {
      rows = await db.all(
        `select column_name as name from information_schema.key_column_usage
         where table_schema = coalesce(?, database()) and table_name = ? and constraint_name = 'PRIMARY' order by ordinal_position`,
        [schema, table],
      );
    }
    return rows.map((r) => String(r.name ?? r.NAME));
  }

  /** The rows after `last` in key order (all of them before the first batch), the step's `where` too unless `keysOnly`. */
  #filter(keys: string[], last: unknown[] | null, keysOnly = false): Condition {
    const quoted = keys.map((k) => this.sql.quote(k));
    const where = this.step.where && !keysOnly ? { sql: this.step.where, params: [] } : undefined;
    return whereClause([last ? after(quoted, last) : undefined, where]);
  }

  #orderBy(keys: string[], direction = ''): string {
    return keys.map((k) => `${this.sql.quote(k)}${direction}`).join(', ');
  }

  /** Rows left after `last`: the step's, counted, on a small table; on a larger one, the rows the database knows of. */
  async estimate(db: SqlRunner, last: unknown[] | null): Promise<number> {
    const keys = await this.keys(db);
    const known = await this.#knownRows(db, keys, last).catch(() => null);
    if (known !== null && known > COUNT_LIMIT) return known;
    const filter = this.#filter(keys, last);
    const [row] = await db.all(`select count(*) as n from ${this.#table}${filter.sql}`, filter.params);
    return Number(row?.n ?? 0);
  }

  /**
   * The table's rows without reading them, the step's `where` aside: PostgreSQL and MySQL keep statistics of the whole
   * table; SQLite keeps none (see #sqliteRows).
   */
  async #knownRows(db: SqlRunner, keys: string[], last: unknown[] | null): Promise<number | null> {
    if (this.sql.dialect === 'postgresql') return this.#postgresRows(db);
    if (this.sql.dialect === 'sqlite') return this.#sqliteRows(db, keys, last);
    const [schema, table] = this.step.table.includes('.') ? this.step.table.split('.') : [null, this.step.table];
    const [row] = await db.all(
      'select table_rows as n from information_schema.tables where table_schema = coalesce(?, database()) and table_name = ?',
      [schema, table],
    );
    return rowCount(row);
  }

  /**
   * SQLite's rows: before the first batch, the span of the table's own rowids (SQLite gives a new row the greatest plus
   * one, so the span holds every row, and the rows deleted since), read at the two ends of its b-tree; where the rowid is
   * the table's integer key (values of any spread), or it has none, or the walk has begun, the keys after `last`,
   * counted in an index (every entry read: tens of ms at a million rows).
   */
  async #sqliteRows(db: SqlRunner, keys: string[], last: unknown[] | null): Promise<number | null> {
    const table = this.step.table.split('.').at(-1);
    const integerKey = async () => {
      const pk = await db.all('select type from pragma_table_info(?) where pk > 0', [table]);
      return pk.length === 1 && String(pk[0].type).toLowerCase() === 'integer';
    };
    if (last === null && !(await integerKey())) {
      // A table WITHOUT ROWID has none: the count below serves.
      // Each end its own subquery: SQLite reads one end of the b-tree only for a lone min() or max().
      const [span] = await db
        .all(`select (select max(rowid) from ${this.#table}) - (select min(rowid) from ${this.#table}) + 1 as n`)
        .catch(() => []);
      if (span) return rowCount(span) ?? 0;
    }
    const keysAfter = this.#filter(keys, last, true);
    return rowCount((await db.all(`select count(*) as n from ${this.#table}${keysAfter.sql}`, keysAfter.params))[0]);
  }

  /**
   * PostgreSQL's rows of the table, from its statistics, gathered first when it has none: never analyzed (autovacuum
   * has not come by yet), its planner takes a key range for a few rows and sorts the whole table for every batch.
   * ANALYZE reads a sample, whatever the table's size.
   */
  async #postgresRows(db: SqlRunner): Promise<number | null> {
    const read = async () => rowCount((await db.all('select reltuples as n from pg_class where oid = to_regclass(?)', [this.#table]))[0]);
    const rows = await read();
    if (rows !== null) return rows;
    await db.run(`analyze ${this.#table}`);
    return read();
  }

  /**
   * A set-based step's next batch range, read from the keys alone (outside the batch's transaction: the UPDATE is then
   * its first statement); null when no key is left. Undefined for a callback step, whose batch reads its own rows.
   */
  async range(db: SqlRunner, last: unknown[] | null, size: number): Promise<BatchRange | null | undefined> {
    if (!this.step.set) return undefined;
    return this.#upperBound(db, await this.keys(db), last, size);
  }

  /** Runs one batch of at most `size` rows after `last` on `db` (the batch's transaction), in `range` when it was read before. */
  async batch(
    db: SqlRunner,
    last: unknown[] | null,
    size: number,
    ctx?: Omit<BatchContext, 'execute'>,
    range?: BatchRange | null,
  ): Promise<BatchOutcome> {
    const keys = await this.keys(db);
    if (!this.step.set) return this.#callbackBatch(db, keys, last, size, ctx);
    return this.#setBatch(db, keys, last, range === undefined ? await this.#upperBound(db, keys, last, size) : range);
  }

  /** One UPDATE of the batch's key range, where the step's `where` picks the rows. */
  async #setBatch(db: SqlRunner, keys: string[], last: unknown[] | null, range: BatchRange | null): Promise<BatchOutcome> {
    if (!range) return { rows: 0, lastKey: null, end: true };
    const quoted = keys.map((k) => this.sql.quote(k));
    const where = whereClause([
      last ? after(quoted, last) : undefined,
      upTo(quoted, range.upper),
      this.step.where ? { sql: this.step.where, params: [] } : undefined,
    ]);
    const set = this.step.set!.map(([column, expression]) => `${this.sql.quote(column)} = ${expression}`).join(', ');
    const rows = await db.run(`update ${this.#table} set ${set}${where.sql}`, where.params);
    return { rows, lastKey: range.upper, end: range.end };
  }

  /**
   * The batch's last key: the `size`-th key after `last`, found from the key alone, as GitLab's each_batch and
   * Percona's nibble iterator find a chunk's end: an index seek to `last`, then LIMIT 1 OFFSET size - 1 within the
   * batch (the walk itself is by key: the offset never reaches past this batch, however far the run has gone). When
   * fewer keys are left, the greatest of them, and the batch is the step's last; null when none is. The step's `where`
   * stays out of it: with it, a planner that guesses how many rows it keeps (PostgreSQL before its first ANALYZE) may
   * scan the whole table for every batch.
   */
  async #upperBound(db: SqlRunner, keys: string[], last: unknown[] | null, size: number): Promise<BatchRange | null> {
    const filter = this.#filter(keys, last, true);
    const aliases = keys.map((_, i) => `mui_k${i}`);
    const select = `select ${keys.map((k, i) => `${this.sql.quote(k)} as ${aliases[i]}`).join(', ')} from ${this.#table}${filter.sql}`;
    const [end] = await db.all(`${select} order by ${this.#orderBy(keys)} limit 1 offset ${Math.max(0, Math.floor(size) - 1)}`, filter.params);
    if (end) return { upper: keyOf(end, aliases), end: false };
    const [rest] = await db.all(`${select} order by ${this.#orderBy(keys, ' desc')} limit 1`, filter.params);
    return rest ? { upper: keyOf(rest, aliases), end: true } : null;
  }

  /** Reads the batch's rows (locked where the database can), hands them to the callback, writes what it returns. */
  async #callbackBatch(
    db: SqlRunner,
    keys: string[],
    last: unknown[] | null,
    size: number,
    ctx?: Omit<BatchContext, 'execute'>,
  ): Promise<BatchOutcome> {
    const filter = this.#filter(keys, last);
    const columns = this.step.select ? [...new Set([...keys, ...this.step.select])].map((c) => this.sql.quote(c)).join(', ') : '*';
    const lock = this.sql.dialect === 'sqlite' ? '' : ' for update';
    const rows = await db.all(
      `select ${columns} from ${this.#table}${filter.sql} order by ${this.#orderBy(keys)} limit ${Math.floor(size)}${lock}`,
      filter.params,
    );
    if (rows.length === 0) return { rows: 0, lastKey: null, end: true };
    const context: BatchContext = { step: this.index + 1, batchSize: size, ...ctx, execute: (sql, params) => db.all(sql, params) };
    const updates = (await this.step.batch!(rows, context)) ?? [];
    if (!Array.isArray(updates)) throw new Error(`step ${this.index + 1}: batch() must return an array of updates (or nothing)`);
    await writeUpdates(db, this.sql, this.#table, keys, updates, this.index + 1);
    return { rows: rows.length, lastKey: keyOf(rows[rows.length - 1], keys), end: rows.length < Math.floor(size) };
  }
}

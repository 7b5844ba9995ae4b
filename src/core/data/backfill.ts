import { after, type Condition, keyOf, normalise, type SqlDialect, type SqlRunner, upTo, whereClause } from './keyset.js';
import type { BatchContext, CheckedStep, Row } from './steps.js';

/** What one batch did: how many rows it covered and the key of the last one (null when the step has no rows left). */
export interface BatchOutcome {
  rows: number;
  lastKey: unknown[] | null;
}

/** Table statistics are used instead of a count above this many rows. */
const COUNT_LIMIT = 2_000_000;

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

  #filter(keys: string[], last: unknown[] | null): Condition {
    const quoted = keys.map((k) => this.sql.quote(k));
    return whereClause([last ? after(quoted, last) : undefined, this.step.where ? { sql: this.step.where, params: [] } : undefined]);
  }

  #orderBy(keys: string[], direction = ''): string {
    return keys.map((k) => `${this.sql.quote(k)}${direction}`).join(', ');
  }

  /** Rows left after `last`: a count where that is cheap, the table's statistics otherwise. */
  async estimate(db: SqlRunner, last: unknown[] | null): Promise<number> {
    const stats = await this.#tableStatistics(db).catch(() => null);
    if (stats !== null && stats > COUNT_LIMIT) return stats;
    const filter = this.#filter(await this.keys(db), last);
    const [row] = await db.all(`select count(*) as n from ${this.#table}${filter.sql}`, filter.params);
    return Number(row?.n ?? 0);
  }

  async #tableStatistics(db: SqlRunner): Promise<number | null> {
    if (this.sql.dialect === 'sqlite') return null;
    const [schema, table] = this.step.table.includes('.') ? this.step.table.split('.') : [null, this.step.table];
    const [row] =
      this.sql.dialect === 'postgresql'
        ? await db.all('select reltuples as n from pg_class where oid = to_regclass(?)', [this.#table])
        : await db.all('select table_rows as n from information_schema.tables where table_schema = coalesce(?, database()) and table_name = ?', [
            schema,
            table,
          ]);
    const n = Number(row?.n ?? row?.N);
    return Number.isFinite(n) && n >= 0 ? n : null;
  }

  /** Runs one batch of at most `size` rows after `last` on `db` (the batch's transaction). */
  async batch(db: SqlRunner, last: unknown[] | null, size: number, ctx?: Omit<BatchContext, 'execute'>): Promise<BatchOutcome> {
    const keys = await this.keys(db);
    return this.step.set ? this.#setBatch(db, keys, last, size) : this.#callbackBatch(db, keys, last, size, ctx);
  }

  /** Finds the batch's last key (one read, bounded by LIMIT, no OFFSET), then one UPDATE of that key range. */
  async #setBatch(db: SqlRunner, keys: string[], last: unknown[] | null, size: number): Promise<BatchOutcome> {
    const filter = this.#filter(keys, last);
    const aliases = keys.map((_, i) => `mui_k${i}`);
    const inner = `select ${keys.map((k, i) => `${this.sql.quote(k)} as ${aliases[i]}`).join(', ')} from ${this.#table}${filter.sql} order by ${this.#orderBy(keys)} limit ${Math.floor(size)}`;
    let rows: number;
    let upper: unknown[];
    if (keys.length === 1) {
      const [row] = await db.all(`select count(*) as mui_rows, max(mui_k0) as mui_last from (${inner}) mui_batch`, filter.params);
      rows = Number(row?.mui_rows ?? 0);
      upper = [normalise(row?.mui_last)];
    } else {
      const [row] = await db.all(
        `select ${aliases.join(', ')} from (${inner}) mui_batch order by ${aliases.map((a) => `${a} desc`).join(', ')} limit 1`,
        filter.params,
      );
      if (!row) return { rows: 0, lastKey: null };
      const [count] = await db.all(`select count(*) as mui_rows from (${inner}) mui_batch`, filter.params);
      rows = Number(count?.mui_rows ?? 0);
      upper = keyOf(row, aliases);
    }
    if (rows === 0) return { rows: 0, lastKey: null };
    const quoted = keys.map((k) => this.sql.quote(k));
    const range = whereClause([
      last ? after(quoted, last) : undefined,
      upTo(quoted, upper),
      this.step.where ? { sql: this.step.where, params: [] } : undefined,
    ]);
    const set = this.step.set!.map(([column, expression]) => `${this.sql.quote(column)} = ${expression}`).join(', ');
    await db.run(`update ${this.#table} set ${set}${range.sql}`, range.params);
    return { rows, lastKey: upper };
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
    if (rows.length === 0) return { rows: 0, lastKey: null };
    const context: BatchContext = { step: this.index + 1, batchSize: size, ...ctx, execute: (sql, params) => db.all(sql, params) };
    const updates = (await this.step.batch!(rows, context)) ?? [];
    if (!Array.isArray(updates)) throw new Error(`step ${this.index + 1}: batch() must return an array of updates (or nothing)`);
    for (const update of updates) await this.#write(db, keys, update);
    return { rows: rows.length, lastKey: keyOf(rows[rows.length - 1], keys) };
  }

  async #write(db: SqlRunner, keys: string[], update: Row): Promise<void> {
    const columns = Object.keys(update).filter((c) => !keys.includes(c));
    if (columns.length === 0) return;
    for (const column of [...columns, ...keys]) {
      if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(column)) throw new Error(`step ${this.index + 1}: an update names column ${JSON.stringify(column)}`);
      if (keys.includes(column) && !(column in update)) throw new Error(`step ${this.index + 1}: an update lacks key column ${column}`);
    }
    const set = columns.map((c) => `${this.sql.quote(c)} = ?`).join(', ');
    const match = keys.map((k) => `${this.sql.quote(k)} = ?`).join(' and ');
    await db.run(`update ${this.#table} set ${set} where ${match}`, [...columns.map((c) => update[c]), ...keys.map((k) => update[k])]);
  }
}

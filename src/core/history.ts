import type { MigrationStorage } from '@mikro-orm/migrations';
import type { Database, Transaction } from './database.js';
import type { DatabaseReader } from './reader.js';
import { LockLostError, RevisionFailedError } from './errors.js';
import { isMissingTable, isUniqueViolation, orm } from './orm/index.js';
import { appliedUnchanged, listRevisionFiles, REVISION_KINDS, type RevisionFile, type RevisionKind } from './revisions.js';
import { buildTimeline, type Timeline } from './timeline.js';

/** A revision recorded in MikroORM's table, with our checksum where we applied it. */
export interface AppliedRevision {
  name: string;
  appliedAt: Date | null;
  /** Null when another tool (MikroORM's CLI) applied it. */
  checksum: string | null;
}

export const REVISIONS_TABLE = 'migrate_ui_revisions';

/** What MikroORM's table and our side table hold, read together. */
export interface RecordedState {
  /** MikroORM's rows, in the order they were applied, with our checksums. */
  applied: AppliedRevision[];
  /** Every revision our side table names, recorded by MikroORM or not. */
  claimed: string[];
  /** Which of the two tables exist. */
  tables: { mikroOrm: boolean; ours: boolean };
}

/**
 * Why a revision could not be recorded: another run recorded it first (or, reverting, forgot it first). A failure of
 * the revision in this run, as the database refusing a statement would be: nothing was recorded twice.
 */
export class AlreadyRecordedError extends RevisionFailedError {
  constructor(
    revision: string,
    direction: 'up' | 'down',
    /** When the other run recorded it, where its row could be read; and whether this run's statements of it ran first. */
    readonly found: { recordedAt?: Date; ranHere?: boolean } = {},
    options?: { cause?: unknown },
  ) {
    const at = found.recordedAt ? ` (recorded at ${found.recordedAt.toISOString()})` : '';
    const message =
      direction === 'down'
        ? `${revision} was reverted by another run; not reverted again here`
        : found.ranHere
          ? `${revision} was applied by another run${at} while this one ran it; recorded once, by the other run`
          : `${revision} was applied by another run${at}; not applied again here`;
    const hint = found.ranHere
      ? 'Its statements ran here too (DDL commits as it runs): check its tables, then look at the timeline.'
      : 'Another run changed the database meanwhile; look at the timeline before running again.';
    super(revision, direction, undefined, message, 'database', [], hint, options);
  }

  /** The same failure, knowing more (when the other run recorded it, whether this run's statements ran). */
  with(found: { recordedAt?: Date; ranHere?: boolean }): AlreadyRecordedError {
    return new AlreadyRecordedError(this.revision, this.direction, { ...this.found, ...found }, { cause: this.cause });
  }
}

/**
 * What has been applied: MikroORM's own table, read and written through MikroORM's MigrationStorage (so
 * its name, schema and shape are MikroORM's), plus our side table of checksums beside it. The side table's
 * primary key on the revision name is what makes a second record of the same revision impossible.
 */
export class History {
  #lazyStorage: MigrationStorage | undefined;
  /** What each kind of revision forgets with a revision besides its rows here (a data migration: its checkpoints). */
  readonly #forgetters: Array<(name: string, trx?: Transaction) => Promise<void>>;

  constructor(private readonly db: Database) {
    this.#forgetters = REVISION_KINDS.flatMap((kind) => (kind.onForget ? [kind.onForget(db)] : []));
  }

  /** MikroORM's storage, loaded only to create its table: @mikro-orm/migrations (umzug and the generators) costs ~90 ms at start. */
  get #storage(): MigrationStorage {
    if (this.#lazyStorage) return this.#lazyStorage;
    this.#lazyStorage = orm.migrationStorage(this.db.driver, this.db.mikroConfig.get('migrations'));
    return this.#lazyStorage;
  }

  /** MikroORM's table and its schema, as MikroORM's Configuration resolved them when the project was loaded. */
  get #table(): { tableName: string; schemaName?: string } {
    return { tableName: this.db.config.migrationsTable, schemaName: this.db.schema };
  }

  /** MikroORM's table, quoted, in its schema. */
  get #qualified(): string {
    const { tableName, schemaName } = this.#table;
    return schemaName ? `${this.db.quote(schemaName)}.${this.db.quote(tableName)}` : this.db.quote(tableName);
  }

  /** The applied revisions in the order they were applied; empty when nothing was ever applied. Writes nothing. */
  async readApplied(trx?: Transaction): Promise<AppliedRevision[]> {
    return (await this.read(trx)).applied;
  }

  /** Both tables at once (two selects): what a run needs to know before it plans. Writes nothing. */
  async read(trx?: Transaction): Promise<RecordedState> {
    return readRecorded(this.db, trx);
  }

  /**
   * Creates MikroORM's table (through its own storage, so the shape is exactly MikroORM's) and our side table beside it,
   * each unless `state` (read just before, under the lock) found it there: a run then asks the catalogue nothing.
   */
  async ensureTables(state?: RecordedState): Promise<void> {
    if (!state?.tables.mikroOrm) await this.#storage.ensureTable();
    if (state?.tables.ours) return;
    const columns = 'name varchar(255) not null primary key, checksum varchar(64), kind varchar(16) not null, applied_at bigint not null';
    await this.db.run(`create table if not exists ${this.db.table(REVISIONS_TABLE)} (${columns})`);
  }

  /**
   * Removes side-table rows whose revision MikroORM no longer records (reverted by another tool, or a run
   * that died half-way on a database whose DDL commits at once). Call under the lock, with `state` read under it
   * (or nothing, to read it now). Returns their names.
   */
  async removeOrphans(state?: RecordedState): Promise<string[]> {
    const { applied, claimed } = state ?? (await this.read());
    const recorded = new Set(applied.map((r) => r.name));
    const orphans = claimed.filter((name) => !recorded.has(name));
    for (const name of orphans) {
      await this.db.run(`delete from ${this.db.table(REVISIONS_TABLE)} where name = ?`, [name]);
      // A revision recorded by us is recorded by MikroORM in the same transaction: reverted elsewhere, it starts over.
      await this.#forget(name);
    }
    return orphans;
  }

  /**
   * Claims `name` for applying, as the first write of its transaction: a second run that tries the same
   * revision waits on this row and then fails on its primary key, so it can never commit a second apply.
   */
  async claim(name: string, checksum: string, kind: RevisionKind, trx?: Transaction, guard?: { sql: string; params: unknown[] }): Promise<void> {
    const values = [name, checksum, kind, Date.now()];
    const columns = `${this.db.table(REVISIONS_TABLE)} (name, checksum, kind, applied_at)`;
    let inserted: number;
    try {
      const [sql, params] = guard
        ? [`insert into ${columns} select ?, ?, ?, ? where ${guard.sql}`, [...values, ...guard.params]]
        : [`insert into ${columns} values (?, ?, ?, ?)`, values];
      inserted = trx ? await this.db.runIn(trx, sql, params) : await this.db.run(sql, params);
    } catch (error) {
      // SQLite and MySQL/MariaDB keep the transaction usable after a duplicate key: the other run's row is read in it.
      if (isUniqueViolation(error)) throw new AlreadyRecordedError(name, 'up', { recordedAt: await this.recordedAt(name, trx) }, { cause: error });
      throw error;
    }
    if (guard && inserted !== 1) throw new LockLostError('the migration lock was lost: another run may have taken it');
  }

  /**
   * PostgreSQL, in a revision's transaction: claims `name` (as claim() does) and records it in MikroORM's table, in
   * one statement, the transaction's first write. Recorded before the revision runs, not after: nobody sees either
   * row before the commit, and MikroORM's row takes its time from the table's default, which PostgreSQL fixes at the
   * transaction's start, so the row is the one a record at its end would write.
   */
  async claimAndRecord(name: string, checksum: string, kind: RevisionKind, trx: Transaction): Promise<void> {
    const claim = `insert into ${this.db.table(REVISIONS_TABLE)} (name, checksum, kind, applied_at) values (?, ?, ?, ?)`;
    try {
      await this.db.run(
        `with claimed as (${claim}) insert into ${this.#mikroOrmTable()} (name) values (?)`,
        [name, checksum, kind, Date.now(), name],
        trx,
      );
    } catch (error) {
      // The transaction is aborted now: when the other run recorded it is read after the rollback (see recordedAt).
      if (isUniqueViolation(error)) throw new AlreadyRecordedError(name, 'up', {}, { cause: error });
      throw error;
    }
  }

  /** When our side table says `name` was recorded, or undefined where that cannot be read. */
  async recordedAt(name: string, trx?: Transaction): Promise<Date | undefined> {
    const rows = await this.db
      .query<{ applied_at: number | string }>(`select applied_at from ${this.db.table(REVISIONS_TABLE)} where name = ?`, [name], trx)
      .catch(() => []);
    const at = Number(rows[0]?.applied_at);
    return Number.isFinite(at) && at > 0 ? new Date(at) : undefined;
  }

  /** Takes back a claim whose revision did not finish (a non-transactional revision that failed). */
  async unclaim(name: string): Promise<void> {
    await this.db.run(`delete from ${this.db.table(REVISIONS_TABLE)} where name = ?`, [name]);
  }

  /**
   * Records `name` in MikroORM's table, in the revision's transaction: the row MikroORM's storage writes (the name;
   * the table's default says when). Our own insert, not the storage's: its query builder costs more than the
   * statement itself, on every revision.
   */
  async record(name: string, trx?: Transaction): Promise<void> {
    const sql = `insert into ${this.#mikroOrmTable()} (name) values (?)`;
    await (trx ? this.db.runIn(trx, sql, [name]) : this.db.run(sql, [name]));
  }

  /**
   * Removes `name` from both tables, in the revision's transaction: MikroORM's rows as its storage deletes them
   * (under any of its older names with an extension) and ours. With a `guard` (SQLite: the lock's row) MikroORM's
   * rows go only while it holds. Returns how many of MikroORM's rows went (on MySQL/MariaDB, the rows of both tables).
   */
  async unrecord(name: string, trx?: Transaction, guard?: { sql: string; params: unknown[] }): Promise<number> {
    const names = [name, `${name}.js`, `${name}.ts`];
    const where = guard ? ` and ${guard.sql}` : '';
    const mikroOrmRows = `delete from ${this.#mikroOrmTable()} where name in (?, ?, ?)${where}`;
    const ours = `delete from ${this.db.table(REVISIONS_TABLE)} where name = ?`;
    let removed: number;
    // PostgreSQL takes both deletes in one statement (a data-modifying WITH): one round trip less per revision.
    if (this.db.dialect === 'postgresql')
      removed = await this.db.run(`with ours as (${ours}) ${mikroOrmRows}`, [name, ...names, ...(guard?.params ?? [])], trx);
    else if (!guard && (this.db.dialect === 'mysql' || this.db.dialect === 'mariadb')) {
      // MySQL and MariaDB too, as a delete from two tables: each row goes whether the other table has one or not.
      const both = `delete m, o from (select 1) as one left join ${this.#mikroOrmTable()} m on m.name in (?, ?, ?) left join ${this.db.table(REVISIONS_TABLE)} o on o.name = ?`;
      removed = await this.db.run(both, [...names, name], trx);
    } else if (trx) {
      removed = await this.db.runIn(trx, mikroOrmRows, [...names, ...(guard?.params ?? [])]);
      await this.db.runIn(trx, ours, [name]);
    } else {
      removed = await this.db.run(mikroOrmRows, [...names, ...(guard?.params ?? [])]);
      await this.db.run(ours, [name]);
    }
    await this.#forget(name, trx);
    return removed;
  }

  /** MikroORM's table, quoted, in its schema. */
  #mikroOrmTable(): string {
    return this.db.table(this.#table.tableName);
  }

  /** Forgets what the kinds of revision keep of `name` besides its history rows. */
  async #forget(name: string, trx?: Transaction): Promise<void> {
    for (const forget of this.#forgetters) await forget(name, trx);
  }

  /** Whether MikroORM's table still records `name` (under any of its names); read inside a revert's transaction. */
  async isRecorded(name: string, trx?: Transaction): Promise<boolean> {
    const q = (column: string) => this.db.quote(column);
    const select = `select ${q('name')} from ${this.#qualified} where ${q('name')} in (?, ?, ?)`;
    const rows = await this.db.query(select, [name, `${name}.ts`, `${name}.js`], trx);
    return rows.length > 0;
  }
}

/**
 * MikroORM's table and our side table, read together through any reader (the full Database, or the CLI's light one).
 * Our own select, not MikroORM's storage's: that would load @mikro-orm/migrations on every start, and it reads
 * SQLite's UTC text timestamps as local time.
 */
export async function readRecorded(db: DatabaseReader, trx?: Transaction): Promise<RecordedState> {
  const tableName = db.config.migrationsTable;
  const q = (name: string) => db.quote(name);
  const select = `select ${q('name')}, ${q('executed_at')} from ${db.table(tableName)} order by ${q('id')} asc`;
  let rows: Array<{ name: string; executed_at: unknown }> = [];
  const tables = { mikroOrm: true, ours: true };
  const missing = async (error: unknown, table: string) => isMissingTable(error) || !(await db.tableExists(table, trx).catch(() => true));
  try {
    rows = await db.query<{ name: string; executed_at: unknown }>(select, [], trx);
  } catch (error) {
    if (!(await missing(error, tableName))) throw error;
    tables.mikroOrm = false;
  }
  const checksums = new Map<string, string | null>();
  try {
    const sums = await db.query<{ name: string; checksum: string | null }>(`select name, checksum from ${db.table(REVISIONS_TABLE)}`, [], trx);
    for (const row of sums) checksums.set(row.name, row.checksum);
  } catch (error) {
    // No side table yet: every revision was applied by another tool.
    if (!(await missing(error, REVISIONS_TABLE))) throw error;
    tables.ours = false;
  }
  const applied = rows.map((row) => {
    const name = String(row.name).replace(/\.(ts|js)$/, '');
    return { name, appliedAt: parseTimestamp(row.executed_at), checksum: checksums.get(name) ?? null };
  });
  return { applied, claimed: [...checksums.keys()], tables };
}

export interface ReadTimelineOptions {
  checkSyntax?: boolean;
  /** What the database records, when the caller has just read it (a run, under its lock): not read again. */
  applied?: AppliedRevision[];
  /** The files, when the caller has listed them already (a held session lists them once): not listed again. */
  files?: RevisionFile[];
}

/** Reads the files and the database and joins them into the timeline. Imports no migration file. */
export async function readTimeline(db: DatabaseReader, options: ReadTimelineOptions = {}): Promise<{ timeline: Timeline; files: RevisionFile[] }> {
  const applied = options.applied ?? (await readRecorded(db)).applied;
  const files =
    options.files ?? (await listRevisionFiles(db.config.migrationsDir, options.checkSyntax === false ? () => true : appliedUnchanged(applied)));
  return { timeline: buildTimeline(files, applied), files };
}

function parseTimestamp(value: unknown): Date | null {
  if (value == null) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  if (/^\d+$/.test(text)) return new Date(Number(text));
  let iso = text.replace(' ', 'T');
  // PostgreSQL's timestamptz text ends in an hour-only zone (+00), which Date does not parse.
  if (/T\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d$/.test(iso)) iso += ':00';
  // SQLite's CURRENT_TIMESTAMP is UTC without a zone.
  else if (!/[zZ]|[+-]\d\d:?\d\d$/.test(iso)) iso += 'Z';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

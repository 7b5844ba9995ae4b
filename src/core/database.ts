import { existsSync } from 'node:fs';
import type { Dialect } from './url.js';
import { switchToMariaDbDriver, type MikroOptions, type ProjectConfig } from './config.js';
import { ConnectionError, LockLostError } from './errors.js';
import { maskPasswords } from './url.js';
import { mikroOrm } from './modules.js';
import type { KnexInstance, MikroConfiguration, SqlConnection, SqlDriver, Transaction } from './mikro-types.js';

export type { Transaction } from './mikro-types.js';

/** A knex query builder, run as it is. */
type KnexBuilder = { toSQL(): unknown };

/** How long a server may take to accept a connection before it counts as unreachable. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface ConnectOptions {
  /** One connection for everything: a run's lock, its revisions and their records share it, and die with it. */
  single?: boolean;
  /** The server's version as an earlier connection found it (knex's PostgreSQL client asks otherwise, once a connection). */
  serverVersion?: string;
}

/** One connection pool to the project's database through MikroORM's driver; no entity discovery. */
export class Database {
  #keptJournal = false;

  private constructor(
    readonly config: ProjectConfig,
    readonly mikroConfig: MikroConfiguration,
    readonly driver: SqlDriver,
    public dialect: Dialect,
    /** False when a read-only command found no SQLite file: an empty in-memory database stands in for it. */
    readonly exists: boolean,
  ) {}

  /** Opens the connection and proves it with a first query; maps failures to one-line ConnectionErrors. */
  static async connect(config: ProjectConfig, options: ConnectOptions = {}): Promise<Database> {
    const { Configuration, MetadataStorage } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
    const exists = config.dialect !== 'sqlite' || !config.readOnly || sqliteFileExists(config.options.dbName);
    const settings = connectionSettings(config, options, exists);
    let mikroConfig: MikroConfiguration;
    try {
      mikroConfig = new Configuration(settings, false);
    } catch (error) {
      throw new ConnectionError(`cannot use the database settings: ${firstLine(error)}`, undefined, { cause: error });
    }
    const driver = mikroConfig.getDriver() as unknown as SqlDriver;
    // Without entity discovery nobody hands the connection its platform; empty metadata does.
    driver.setMetadata(new MetadataStorage());
    const db = new Database(config, mikroConfig, driver, config.dialect, exists);
    try {
      await driver.connect();
      const rows = await db.query<{ v: string }>(config.dialect === 'sqlite' ? 'select sqlite_version() as v' : 'select version() as v');
      if (config.dialect === 'mysql' && /mariadb/i.test(String(rows[0]?.v ?? ''))) {
        const mariadb = config.switchedByUrl ? switchToMariaDbDriver(config) : undefined;
        if (mariadb) {
          await driver.close(true);
          return Database.connect(mariadb, options);
        }
        db.dialect = 'mariadb';
      }
    } catch (error) {
      await driver.close(true).catch(() => undefined);
      throw connectionError(error, config);
    }
    return db;
  }

  /** A second Database on the same settings with a single connection: what one run holds from lock to release. */
  openSession(): Promise<Database> {
    const { version } = this.knex.client as { version?: string };
    return Database.connect(this.config, { single: true, serverVersion: version });
  }

  get connection(): SqlConnection {
    return this.driver.getConnection();
  }

  get knex(): KnexInstance {
    return this.connection.getKnex();
  }

  /** Where MikroORM keeps its migrations table, and so where our side tables go. */
  get schema(): string | undefined {
    return this.config.schema;
  }

  /** A table name, quoted, in the schema of MikroORM's migrations table. */
  table(name: string): string {
    return this.schema ? `${this.quote(this.schema)}.${this.quote(name)}` : this.quote(name);
  }

  /** Runs a query and returns its rows. */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], trx?: Transaction): Promise<T[]> {
    return this.connection.execute(sql, params as never[], 'all', trx) as Promise<T[]>;
  }

  /** Runs a statement; returns the number of affected rows where the driver reports it. */
  async run(sql: string | KnexBuilder, params: unknown[] = [], trx?: Transaction): Promise<number> {
    const res = (await this.connection.execute(sql as string, params as never[], 'run', trx)) as { affectedRows?: number } | undefined;
    return Number(res?.affectedRows ?? 0);
  }

  /**
   * Runs one statement of ours inside the live transaction `trx`; on SQLite straight on its connection, without the
   * query builder's promises and formatting around it (most of a small statement's cost, paid twice a revision by
   * its records). Elsewhere, or once `trx` has ended, as run() does. Returns the number of affected rows.
   */
  async runIn(trx: Transaction, sql: string, params: unknown[] = []): Promise<number> {
    const raw = this.dialect === 'sqlite' ? await sqliteConnectionOf(trx) : undefined;
    if (!raw) return this.run(sql, params, trx);
    return new Promise((resolve, reject) =>
      raw.run(sql, params, function (this: { changes?: number }, error: Error | null) {
        if (error) reject(error);
        else resolve(Number(this.changes ?? 0));
      }),
    );
  }

  /** Runs `fn` in one transaction, committed when it resolves and rolled back when it throws. */
  async transaction<T>(fn: (trx: Transaction) => Promise<T>, outer?: Transaction): Promise<T> {
    return this.connection.transactional(fn as never, outer ? { ctx: outer } : undefined) as Promise<T>;
  }

  /**
   * Makes this connection's many small commits (a run's, one per revision) cheaper, none of them less atomic.
   * PostgreSQL: a commit no longer waits for the disk (a crash can only lose the last ones whole, never half of one);
   * settleCommits() waits once for all of them. SQLite in `delete` mode: the rollback journal is kept between commits
   * (`persist`, as safe: its header is zeroed) instead of being deleted and created again for every revision.
   */
  async commitQuickly(): Promise<void> {
    if (this.dialect === 'postgresql') await this.run('set synchronous_commit = off');
    if (this.dialect === 'sqlite' && (await this.journalMode()) === 'delete') {
      await this.query('pragma journal_mode = persist');
      this.#keptJournal = true;
    }
  }

  /** Undoes commitQuickly(): waits until every commit of this connection is on disk, and commits as configured again. */
  async settleCommits(): Promise<void> {
    if (this.dialect === 'postgresql') {
      await this.run('reset synchronous_commit');
      // A transaction with an id commits with a record, and waiting for that record waits for every earlier one.
      await this.query('select txid_current()');
    }
    if (this.#keptJournal) {
      this.#keptJournal = false;
      // Back to SQLite's default, which removes the kept file.
      await this.query('pragma journal_mode = delete');
    }
  }

  async journalMode(): Promise<string> {
    const [row] = await this.query<{ journal_mode?: string }>('pragma journal_mode');
    return String(row?.journal_mode).toLowerCase();
  }

  /** Quotes an identifier for this dialect. */
  quote(identifier: string): string {
    return this.dialect === 'postgresql' || this.dialect === 'sqlite'
      ? `"${identifier.replace(/"/g, '""')}"`
      : `\`${identifier.replace(/`/g, '``')}\``;
  }

  /** Whether a table exists (in the schema of MikroORM's table). */
  async tableExists(table: string, trx?: Transaction): Promise<boolean> {
    const sql = {
      sqlite: `select name from sqlite_master where type = 'table' and name = ?`,
      postgresql: `select table_name from information_schema.tables where table_schema = coalesce(?, current_schema()) and table_name = ?`,
      mysql: `select table_name from information_schema.tables where table_schema = database() and table_name = ?`,
      mariadb: `select table_name from information_schema.tables where table_schema = database() and table_name = ?`,
    }[this.dialect];
    const params = this.dialect === 'postgresql' ? [this.schema ?? null, table] : [table];
    return (await this.query(sql, params, trx)).length > 0;
  }

  async close(): Promise<void> {
    await this.driver.close(true);
  }
}

/** A driver's own connection (pg Client, mysql2 or mariadb Connection, sqlite3 Database). */
interface RawConnection {
  end?: () => unknown;
  destroy?: () => unknown;
  close?: (cb?: () => void) => unknown;
}

function closeRaw(conn: RawConnection): void {
  try {
    if (conn.destroy) conn.destroy();
    else if (conn.end) Promise.resolve(conn.end()).catch(() => undefined);
    else conn.close?.(() => undefined);
  } catch {
    // Already closed.
  }
}

/** node-sqlite3's connection, as far as runIn() uses it. */
interface SqliteConnection {
  run(sql: string, params: unknown[], done: (this: { changes?: number }, error: Error | null) => void): unknown;
}

/** The connection a live knex transaction holds (its client hands out no other), or undefined. */
async function sqliteConnectionOf(trx: Transaction): Promise<SqliteConnection | undefined> {
  const client = (trx as unknown as { client?: { transacting?: boolean; acquireConnection?: () => Promise<unknown> } }).client;
  if (!client?.transacting || typeof client.acquireConnection !== 'function' || trx.isCompleted()) return undefined;
  const connection = (await client.acquireConnection()) as Partial<SqliteConnection> | undefined;
  return typeof connection?.run === 'function' ? (connection as SqliteConnection) : undefined;
}

function sqliteFileExists(dbName: unknown): boolean {
  return dbName === ':memory:' || (typeof dbName === 'string' && existsSync(dbName));
}

/** MikroORM options for one connection pool: timeouts that end a hang, SQLite waiting for a busy file. */
function connectionSettings(config: ProjectConfig, options: ConnectOptions, exists: boolean): MikroOptions {
  const settings: MikroOptions = { ...config.options, debug: false, allowGlobalContext: true };
  // A read-only command never creates a SQLite file: an empty in-memory database answers instead.
  if (!exists) settings.dbName = ':memory:';
  const user = (settings.driverOptions ?? {}) as Record<string, unknown>;
  const userConnection = (user.connection ?? {}) as Record<string, unknown>;
  const timeouts =
    config.dialect === 'postgresql'
      ? { connectionTimeoutMillis: CONNECT_TIMEOUT_MS }
      : config.dialect === 'sqlite'
        ? {}
        : { connectTimeout: CONNECT_TIMEOUT_MS };
  settings.driverOptions = {
    acquireConnectionTimeout: CONNECT_TIMEOUT_MS + 2_000,
    log: knexLog,
    ...(options.serverVersion ? { version: options.serverVersion } : {}),
    ...user,
    connection: { ...timeouts, ...userConnection },
  };
  const pool = { ...(settings.pool ?? {}) } as Record<string, unknown>;
  if (options.single) Object.assign(pool, { min: 1, max: 1 });
  if (config.dialect === 'sqlite') {
    // Several processes share one file: wait for a busy database instead of failing at once.
    const userAfterCreate = pool.afterCreate as ((conn: unknown, done: (err: Error | null, conn: unknown) => void) => void) | undefined;
    pool.afterCreate = (conn: { run(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) => {
      conn.run('PRAGMA busy_timeout = 15000', (err) => {
        if (err || !userAfterCreate) return done(err, conn);
        userAfterCreate(conn, done);
      });
    };
  }
  if (options.single) {
    // A session never opens a second connection: its lock lives and dies with the first, and a query on a fresh
    // connection would run without it. Once the first is gone, every query fails as a lost connection.
    let opened = 0;
    const inner = pool.afterCreate as ((conn: unknown, done: (err: Error | null, conn: unknown) => void) => void) | undefined;
    pool.afterCreate = (conn: RawConnection, done: (err: Error | null, conn: unknown) => void) => {
      if (opened++ > 0) {
        // The pool does not close a connection it was refused: close it here, or its socket keeps the process alive.
        closeRaw(conn);
        return done(new LockLostError('the run lost its connection to the database, and the migration lock with it'), conn);
      }
      if (inner) inner(conn, done);
      else done(null, conn);
    };
  }
  settings.pool = pool;
  return settings;
}

/**
 * knex's own warnings go to stderr (never into --json on stdout). Two are dropped: "implicitly committed" (on
 * MySQL/MariaDB a revision's DDL commits the transaction MikroORM's runner nests in ours, as migrate-ui expects)
 * and "Connection Error" (a lost connection, which the run reports itself in one line).
 */
const knexLog = {
  warn: (message: string) => {
    if (!/implicitly committed|^Connection Error/.test(String(message))) console.warn(maskPasswords(String(message)));
  },
  deprecate: () => {},
};

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** Turns a driver's connection failure into one line that says what failed and what to do. */
function connectionError(error: unknown, config: ProjectConfig): ConnectionError {
  const e = error as { code?: string; errno?: number; name?: string; message?: string };
  const where = config.displayUrl;
  const code = String(e?.code ?? '');
  const message = firstLine(error);
  const opts = { cause: error };
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) {
    return new ConnectionError(`cannot connect to ${where}: connection refused`, 'Is the database server running? Check host and port.', opts);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ConnectionError(`cannot connect to ${where}: unknown host`, 'Check the host name in the URL.', opts);
  }
  if (code === 'ETIMEDOUT' || e?.name === 'KnexTimeoutError' || /timeout|timed out/i.test(message)) {
    return new ConnectionError(
      `cannot connect to ${where}: timed out after ${CONNECT_TIMEOUT_MS / 1000} s`,
      'Is the server reachable from here, and is it a database server?',
      opts,
    );
  }
  if (code === '28P01' || code === '28000' || code === 'ER_ACCESS_DENIED_ERROR' || /password authentication failed|access denied/i.test(message)) {
    return new ConnectionError(`cannot connect to ${where}: authentication failed`, 'Check the user name and password.', opts);
  }
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR') {
    return new ConnectionError(`cannot connect to ${where}: the database does not exist`, 'Create it first, or check the database name.', opts);
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new ConnectionError(`cannot open SQLite file ${where}`, 'Check that its folder exists and is writable.', opts);
  }
  return new ConnectionError(`cannot connect to ${where}: ${maskPasswords(message)}`, undefined, opts);
}

import { existsSync } from 'node:fs';
import type { Dialect } from './url.js';
import { switchToMariaDbDriver, type MikroOptions, type ProjectConfig } from './config.js';
import { ConnectionError, LockLostError } from './errors.js';
import { maskPasswords } from './url.js';
import { mikroOrm } from './modules.js';
import { connectFailure, messageLine, orm } from './orm/index.js';
import type { MikroConfiguration, SqlConnection, SqlDriver, Transaction } from './orm/port.js';
import { type DatabaseReader, qualifiedTable, quoteIdentifier, tableExistsIn } from './reader.js';

export type { Transaction } from './orm/port.js';

/** How long a server may take to accept a connection before it counts as unreachable. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface ConnectOptions {
  /** One connection for everything: a run's lock, its revisions and their records share it, and die with it. */
  single?: boolean;
  /** The server's version as an earlier connection found it (knex's PostgreSQL client asks otherwise, once a connection). */
  serverVersion?: string;
}

/** One connection pool to the project's database through MikroORM's driver; no entity discovery. */
export class Database implements DatabaseReader {
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
      throw new ConnectionError(`cannot use the database settings: ${messageLine(error)}`, undefined, { cause: error });
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
          await orm.close(driver);
          return Database.connect(mariadb, options);
        }
        db.dialect = 'mariadb';
      }
    } catch (error) {
      await orm.close(driver).catch(() => undefined);
      throw connectionError(error, config);
    }
    return db;
  }

  /** A second Database on the same settings with a single connection: what one run holds from lock to release. */
  async openSession(): Promise<Database> {
    const session = await Database.connect(this.config, { single: true, serverVersion: orm.serverVersion(this.driver) });
    const schema = this.config.searchPath;
    // A fleet's schema target: set on this one connection, which closes with the session and never joins a pool.
    // The schema alone, not `, public`: a revision's unqualified statement must never reach another tenant's tables.
    if (schema && session.dialect === 'postgresql') {
      try {
        await session.run(`create schema if not exists ${session.quote(schema)}`);
        await session.run(`set search_path to ${session.quote(schema)}`);
      } catch (error) {
        await session.close().catch(() => undefined);
        throw error;
      }
    }
    return session;
  }

  get connection(): SqlConnection {
    return this.driver.getConnection();
  }

  /** Where MikroORM keeps its migrations table, and so where our side tables go. */
  get schema(): string | undefined {
    return this.config.schema;
  }

  /** A table name, quoted, in the schema of MikroORM's migrations table. */
  table(name: string): string {
    return qualifiedTable(this.dialect, this.schema, name);
  }

  /** The database's name as MikroORM's Configuration resolved it (from the URL where the config gave one). */
  get dbName(): string {
    return String(this.mikroConfig.get('dbName') ?? '');
  }

  /** Runs a query and returns its rows. */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], trx?: Transaction): Promise<T[]> {
    return orm.query<T>(this.driver, sql, params, trx);
  }

  /** Runs a statement; returns the number of affected rows where the driver reports it. */
  async run(sql: string, params: unknown[] = [], trx?: Transaction): Promise<number> {
    return orm.run(this.driver, sql, params, trx);
  }

  /**
   * Runs one statement of ours inside the live transaction `trx`; on SQLite straight on its connection, without the
   * query builder's promises and formatting around it (most of a small statement's cost, paid twice a revision by
   * its records). Elsewhere, or once `trx` has ended, as run() does. Returns the number of affected rows.
   */
  async runIn(trx: Transaction, sql: string, params: unknown[] = []): Promise<number> {
    if (this.dialect === 'sqlite') {
      const changed = await orm.runOnSqliteTransaction(this.driver, trx, sql, params);
      if (changed !== undefined) return changed;
    }
    return this.run(sql, params, trx);
  }

  /** Runs `fn` in one transaction, committed when it resolves and rolled back when it throws. */
  async transaction<T>(fn: (trx: Transaction) => Promise<T>, outer?: Transaction): Promise<T> {
    return orm.transaction(this.driver, fn, outer);
  }

  /**
   * Makes this connection's many small commits (a run's, one per revision) cheaper, none of them less atomic.
   * PostgreSQL: a commit no longer waits for the disk (a crash can only lose the last ones whole, never half of one);
   * settleCommits() waits once for all of them. SQLite in `delete` mode: the rollback journal is kept between commits
   * (`persist`, as safe: its header is zeroed) instead of being deleted and created again for every revision.
   * `throwaway` (a scratch database, dropped after use, never needed after a crash): SQLite does not wait for the disk
   * either, where each commit's sync costs more than its statements.
   */
  async commitQuickly(options: { throwaway?: boolean } = {}): Promise<void> {
    if (this.dialect === 'postgresql') await this.run('set synchronous_commit = off');
    if (this.dialect === 'sqlite' && options.throwaway) await this.query('pragma synchronous = off');
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
    return quoteIdentifier(this.dialect, identifier);
  }

  /** Whether a table exists (in the schema of MikroORM's table). */
  async tableExists(table: string, trx?: Transaction): Promise<boolean> {
    return tableExistsIn(this, table, trx);
  }

  async close(): Promise<void> {
    await orm.close(this.driver);
  }
}

function sqliteFileExists(dbName: unknown): boolean {
  return dbName === ':memory:' || (typeof dbName === 'string' && existsSync(dbName));
}

/** MikroORM options for one connection pool: timeouts that end a hang, SQLite waiting for a busy file. */
function connectionSettings(config: ProjectConfig, options: ConnectOptions, exists: boolean): MikroOptions {
  const settings: MikroOptions = { ...config.options, debug: false, allowGlobalContext: true };
  // A read-only command never creates a SQLite file: an empty in-memory database answers instead.
  if (!exists) settings.dbName = ':memory:';
  return orm.poolSettings(settings, config.dialect, {
    single: options.single,
    serverVersion: options.serverVersion,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    // Several processes share one file: wait for a busy database instead of failing at once.
    onConnect: config.dialect === 'sqlite' ? 'PRAGMA busy_timeout = 15000' : undefined,
    lostConnection: () => new LockLostError('the run lost its connection to the database, and the migration lock with it'),
  });
}

/** Turns a driver's connection failure into one line that says what failed and what to do. */
export function connectionError(error: unknown, config: { displayUrl: string }): ConnectionError {
  const where = config.displayUrl;
  const opts = { cause: error };
  switch (connectFailure(error)) {
    case 'refused':
      return new ConnectionError(`cannot connect to ${where}: connection refused`, 'Is the database server running? Check host and port.', opts);
    case 'unknown-host':
      return new ConnectionError(`cannot connect to ${where}: unknown host`, 'Check the host name in the URL.', opts);
    case 'timed-out':
      return new ConnectionError(
        `cannot connect to ${where}: timed out after ${CONNECT_TIMEOUT_MS / 1000} s`,
        'Is the server reachable from here, and is it a database server?',
        opts,
      );
    case 'authentication':
      return new ConnectionError(`cannot connect to ${where}: authentication failed`, 'Check the user name and password.', opts);
    case 'no-database':
      return new ConnectionError(`cannot connect to ${where}: the database does not exist`, 'Create it first, or check the database name.', opts);
    case 'cannot-open':
      return new ConnectionError(`cannot open SQLite file ${where}`, 'Check that its folder exists and is writable.', opts);
    default:
      return new ConnectionError(`cannot connect to ${where}: ${maskPasswords(messageLine(error))}`, undefined, opts);
  }
}

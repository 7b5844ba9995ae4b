import type { Dialect } from './url.js';
import { useMariaDbDriver, type ProjectConfig } from './config.js';
import { ConnectionError } from './errors.js';
import { maskPasswords } from './url.js';
import { mikroOrm } from './modules.js';

/** An open transaction, as MikroORM's connection hands it out. */
export type Transaction = unknown;

/** One connection to the project's database through MikroORM's driver; no entity discovery. */
export class Database {
  private constructor(
    readonly config: ProjectConfig,
    readonly mikroConfig: any,
    readonly driver: any,
    public dialect: Dialect,
  ) {}

  /** Opens the connection and proves it with a first query; maps failures to one-line ConnectionErrors. */
  static async connect(config: ProjectConfig): Promise<Database> {
    const { Configuration, MetadataStorage } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
    const options: Record<string, any> = { ...config.options, debug: false, allowGlobalContext: true };
    options.driverOptions = { acquireConnectionTimeout: 10_000, ...(options.driverOptions ?? {}) };
    if (config.dialect === 'sqlite') {
      // Several processes share one file: wait for a busy database instead of failing at once.
      const userAfterCreate = options.pool?.afterCreate;
      options.pool = {
        ...(options.pool ?? {}),
        afterCreate: (conn: any, done: (err: Error | null, conn: unknown) => void) => {
          conn.run('PRAGMA busy_timeout = 15000', (err: Error | null) => {
            if (err || !userAfterCreate) return done(err, conn);
            userAfterCreate(conn, done);
          });
        },
      };
    }
    let mikroConfig: any;
    try {
      mikroConfig = new Configuration(options as any, false);
    } catch (error) {
      throw new ConnectionError(`cannot use the database settings: ${firstLine(error)}`, undefined, { cause: error });
    }
    const driver = mikroConfig.getDriver();
    // Without entity discovery nobody hands the connection its platform; empty metadata does.
    driver.setMetadata(new MetadataStorage());
    const db = new Database(config, mikroConfig, driver, config.dialect);
    try {
      await driver.connect();
      const rows = await db.query<{ v: string }>(config.dialect === 'sqlite' ? 'select sqlite_version() as v' : 'select version() as v');
      if (config.dialect === 'mysql' && /mariadb/i.test(String(rows[0]?.v ?? ''))) {
        if (config.switchedByUrl) {
          await driver.close(true);
          return Database.connect(await useMariaDbDriver(config));
        }
        db.dialect = 'mariadb';
      }
    } catch (error) {
      await driver.close(true).catch(() => undefined);
      throw connectionError(error, config);
    }
    return db;
  }

  get connection(): any {
    return this.driver.getConnection();
  }

  get knex(): any {
    return this.connection.getKnex();
  }

  /** Runs a query and returns its rows. */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], trx?: Transaction): Promise<T[]> {
    return this.connection.execute(sql, params, 'all', trx);
  }

  /** Runs a statement; returns the number of affected rows where the driver reports it. */
  async run(sql: string | object, params: unknown[] = [], trx?: Transaction): Promise<number> {
    const res = await this.connection.execute(sql, params, 'run', trx);
    return Number(res?.affectedRows ?? 0);
  }

  /** Runs `fn` in one transaction, committed when it resolves and rolled back when it throws. */
  async transaction<T>(fn: (trx: Transaction) => Promise<T>, outer?: Transaction): Promise<T> {
    return this.connection.transactional(fn, outer ? { ctx: outer } : undefined);
  }

  /** Quotes an identifier for this dialect. */
  quote(identifier: string): string {
    return this.dialect === 'postgresql' || this.dialect === 'sqlite'
      ? `"${identifier.replace(/"/g, '""')}"`
      : `\`${identifier.replace(/`/g, '``')}\``;
  }

  async tableExists(table: string): Promise<boolean> {
    const sql = {
      sqlite: `select name from sqlite_master where type = 'table' and name = ?`,
      postgresql: `select table_name from information_schema.tables where table_schema = current_schema() and table_name = ?`,
      mysql: `select table_name from information_schema.tables where table_schema = database() and table_name = ?`,
      mariadb: `select table_name from information_schema.tables where table_schema = database() and table_name = ?`,
    }[this.dialect];
    return (await this.query(sql, [table])).length > 0;
  }

  async close(): Promise<void> {
    await this.driver.close(true);
  }
}

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
  if (code === 'ETIMEDOUT' || e?.name === 'KnexTimeoutError' || /timeout/i.test(message)) {
    return new ConnectionError(`cannot connect to ${where}: timed out`, 'Is the server reachable from here?', opts);
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

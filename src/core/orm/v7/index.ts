import { driverClass, type MikroOptions } from '../../config.js';
import { mikroOrm } from '../../modules.js';
import type { TableProvider } from '../../sqlite-table.js';
import type { Dialect } from '../../url.js';
import { kysely } from './kysely.js';
import { connectionClientOptions, connectTimeoutOption, errorKindBy, unconnectedOptions } from '../shared.js';
import type { OrmPort, PoolOptions, RecordingTarget, SqlDriver, Transaction } from '../port.js';

// MikroORM 7: Kysely under every SQL driver (@mikro-orm/sql), better-sqlite3 for SQLite, mysql2 for MySQL and
// MariaDB. Its packages are ES modules; Node 22 require()s them. MikroORM 7 is not installed beside our own
// MikroORM 6 devDependencies, so its types are written here as far as they are used, and handed through the port's
// (MikroORM 6's) types by cast: callers hold them without looking inside.

/** @mikro-orm/migrations, resolved once, when a command first needs it. */
let migrationsPackage: Record<string, new (...args: unknown[]) => unknown> | undefined;
const migrations = () => (migrationsPackage ??= mikroOrm<Record<string, new (...args: unknown[]) => unknown>>('@mikro-orm/migrations'));

/** A Kysely connection, as `onCreateConnection` is handed one. */
interface KyselyConnection {
  executeQuery(query: unknown): Promise<unknown>;
}

/** A compiled raw statement, by the Kysely that MikroORM's SQL package uses. */
async function rawQuery(sql: string): Promise<unknown> {
  const { CompiledQuery } = await kysely<{ CompiledQuery: { raw(sql: string, parameters: unknown[]): unknown } }>();
  return CompiledQuery.raw(sql, []);
}

/** pg's pool and its clients, as far as dropDeadConnections() uses them. */
interface PgClient {
  release?: (error?: Error) => void;
  once(event: 'end', listener: () => void): void;
}
interface PgPool {
  on(event: 'connect' | 'acquire', listener: (client: PgClient) => void): void;
  on(event: 'release', listener: (error: unknown, client: PgClient) => void): void;
}

/**
 * Gives pg's pool back a connection that died while checked out. Kysely releases a transaction's connection only
 * once its rollback succeeded, which on a dead connection it never does: the pool would count it as in use forever,
 * and every later query (the lock's release, a single-connection session's next statement) would wait for it.
 */
function dropDeadConnections(pool: PgPool): void {
  const out = new Set<PgClient>();
  pool.on('acquire', (client) => out.add(client));
  pool.on('release', (_error, client) => out.delete(client));
  pool.on('connect', (client) =>
    client.once('end', () => {
      if (!out.delete(client)) return;
      const release = client.release;
      // Released here, once: Kysely's own release, if it ever comes, finds nothing to do.
      client.release = () => {};
      try {
        release?.(new Error('connection ended'));
      } catch {
        // Released already.
      }
    }),
  );
}

/** The driver options MikroORM 6 (knex) knew and a v7 client does not: left out, or pg and mysql2 get them. */
const KNEX_ONLY = ['acquireConnectionTimeout', 'log', 'connection', 'pool', 'version', 'useNullAsDefault', 'client'];

/** MikroORM 7's options for one connection pool: the client's own timeout, Kysely's per-connection hook, one connection. */
function poolSettings(settings: MikroOptions, dialect: Dialect, options: PoolOptions): MikroOptions {
  const own = { ...((settings.driverOptions ?? {}) as Record<string, unknown>) };
  // A config written for MikroORM 6 nests the client's options under `connection` (knex's shape).
  const nested = (own.connection ?? {}) as Record<string, unknown>;
  for (const key of KNEX_ONLY) delete own[key];
  const timeout = connectTimeoutOption(dialect, options.connectTimeoutMs);
  const driverOptions: Record<string, unknown> = { ...timeout, ...nested, ...own };
  const pool = { ...((settings.pool ?? {}) as Record<string, unknown>) };
  delete pool.afterCreate;
  if (options.single) Object.assign(pool, { min: 1, max: 1 });
  const userHook = (settings as { onCreateConnection?: (c: unknown) => Promise<void> }).onCreateConnection;
  let opened = 0;
  const onCreateConnection = async (connection: KyselyConnection) => {
    // A session never opens a second connection: its lock lives and dies with the first (PostgreSQL: see verify).
    if (options.single && dialect !== 'postgresql' && opened++ > 0) {
      // Kysely never releases a connection this hook refused, so mysql2's pool would count it as in use and every
      // later query would wait for it: the connection ends itself, and the pool drops it.
      if (dialect === 'mysql' || dialect === 'mariadb') await connection.executeQuery(await rawQuery('kill connection_id()')).catch(() => undefined);
      throw options.lostConnection();
    }
    if (options.onConnect) await connection.executeQuery(await rawQuery(options.onConnect));
    await userHook?.(connection);
  };
  if (options.single && dialect === 'postgresql') {
    // pg's pool asks `verify` about each new connection before handing it out; one it refuses is closed and dropped
    // (refused in onCreateConnection instead, it would stay checked out, and closing the pool would wait for it forever).
    let made = 0;
    const userVerify = own.verify as ((client: unknown, done: (error?: Error) => void) => void) | undefined;
    driverOptions.verify = (client: unknown, done: (error?: Error) => void) => {
      if (made++ > 0) return done(options.lostConnection());
      if (userVerify) userVerify(client, done);
      else done();
    };
  }
  if (dialect === 'postgresql') {
    const userPoolCreated = own.onPoolCreated as ((pool: PgPool) => unknown) | undefined;
    driverOptions.onPoolCreated = (created: PgPool) => {
      dropDeadConnections(created);
      return userPoolCreated?.(created);
    };
  }
  return { ...settings, driverOptions, pool, onCreateConnection } as MikroOptions;
}

/** The options of the `MIKRO_ORM_*` variables (core's loader), the driver of MIKRO_ORM_TYPE as MikroORM 7's CLI adds it. */
function environmentOptions(): Partial<MikroOptions> {
  const core = mikroOrm<{ loadEnvironmentVars(): Record<string, unknown> }>('@mikro-orm/core');
  const options = core.loadEnvironmentVars();
  const type = process.env.MIKRO_ORM_TYPE;
  if (type && options.driver === undefined) {
    const dialect = (type === 'postgresql' || type === 'sqlite' || type === 'mysql' || type === 'mariadb' ? type : undefined) as Dialect | undefined;
    const driver = dialect ? driverClass(dialect) : undefined;
    if (!driver) throw new Error(`MIKRO_ORM_TYPE ${type}: its driver package is not installed`);
    options.driver = driver;
  }
  return options as Partial<MikroOptions>;
}

/** How long closing may wait for a pool that will not close (see close()). */
const CLOSE_WAIT_MS = 1_000;

/**
 * Closes the driver. Kysely releases a transaction's connection only once its rollback succeeded: where the
 * connection died in a transaction (a killed session), pg's pool waits forever for it to come back. Closing gives up
 * waiting after a second then; the dead connection holds no socket.
 */
async function close(driver: SqlDriver): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_WAIT_MS);
  });
  try {
    await Promise.race([driver.close(true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The connection of a driver, as far as v7 is used here. */
interface V7Connection {
  execute(sql: string, params: unknown[], method: 'all' | 'run', ctx?: unknown): Promise<unknown>;
  transactional<T>(cb: (trx: unknown) => Promise<T>, options?: { ctx?: unknown }): Promise<T>;
  logQuery(query: string, context?: unknown): void;
}

const connectionOf = (driver: SqlDriver) => driver.getConnection() as unknown as V7Connection;

/** better-sqlite3's database (what @mikro-orm/sqlite's connection opens), as far as runOnSqliteTransaction() uses it. */
interface SqliteDatabase {
  inTransaction: boolean;
  prepare(sql: string): { run(params: unknown[]): { changes: number | bigint } };
}

/** Kysely's transaction, as MikroORM 7 hands it out: it says when it has ended. */
interface KyselyTransaction {
  isCommitted?: boolean;
  isRolledBack?: boolean;
}

/**
 * Runs a statement of ours in `trx` on better-sqlite3 itself. MikroORM's path (its formatting and logging, Kysely's
 * compile, its connection queue) costs more than the statement does; a revision's records are two of them. A
 * session's SQLite connection is the only one its driver has, so a live transaction of that driver is on it.
 */
async function runOnSqliteTransaction(driver: SqlDriver, trx: Transaction, sql: string, params: unknown[]): Promise<number | undefined> {
  const { database } = connectionOf(driver) as unknown as { database?: Partial<SqliteDatabase> };
  const live = trx as unknown as KyselyTransaction;
  if (live.isCommitted !== false || live.isRolledBack !== false) return undefined;
  if (database?.inTransaction !== true || typeof database.prepare !== 'function') return undefined;
  return Number((database as SqliteDatabase).prepare(sql).run(params).changes);
}

/** Every statement of the driver's connections, a transaction's framing included (MikroORM logs each one it sends). */
function onQuery(driver: SqlDriver, listener: (sql: string) => void): void {
  const connection = connectionOf(driver);
  const log = connection.logQuery.bind(connection);
  connection.logQuery = (query, context) => {
    if (typeof query === 'string') listener(query);
    log(query, context);
  };
}

/** What a database error is, by MikroORM 7's typed exceptions (every converter is in @mikro-orm/sql). */
const errorKind = errorKindBy(
  {
    SqliteExceptionConverter: '@mikro-orm/sql',
    PostgreSqlExceptionConverter: '@mikro-orm/sql',
    MySqlExceptionConverter: '@mikro-orm/sql',
  },
  // pg's pool gives up waiting for a connection with a plain Error.
  (error) => error instanceof Error && /^timeout exceeded when trying to connect/i.test(error.message),
);

/** The target of the connected database: the options the recorder's driver is configured with, SQLite tables. */
function recordingTarget(_driver: SqlDriver, dialect: Dialect, options: MikroOptions, tables?: TableProvider): RecordingTarget {
  return { dialect, client: undefined, options, tables };
}

/** The target of a dialect nobody is connected to; undefined where its driver is not installed. */
function recordingTargetFor(dialect: Dialect, options: MikroOptions, tables?: TableProvider): RecordingTarget | undefined {
  const unconnected = unconnectedOptions(dialect, options);
  return unconnected && { dialect, client: undefined, options: unconnected, tables };
}

export const v7: OrmPort = {
  packages: ['@mikro-orm/core', '@mikro-orm/sql'],
  esModules: true,
  // Its MariaDB driver is built on mysql2, which @mikro-orm/mariadb brings itself.
  // MikroORM 7 reads no `.env` file (its CLI neither).
  registerDotenv() {},
  environmentOptions,
  mariaDbDriverUsable: () => true,
  poolSettings,
  close,
  async query<T>(driver: SqlDriver, sql: string, params: unknown[], trx?: Transaction) {
    return (await connectionOf(driver).execute(sql, params, 'all', trx)) as T[];
  },
  async run(driver, sql, params, trx) {
    const res = (await connectionOf(driver).execute(sql, params, 'run', trx)) as { affectedRows?: number } | undefined;
    return Number(res?.affectedRows ?? 0);
  },
  runOnSqliteTransaction,
  transaction<T>(driver: SqlDriver, fn: (trx: Transaction) => Promise<T>, outer?: Transaction) {
    return connectionOf(driver).transactional(fn as (trx: unknown) => Promise<T>, outer ? { ctx: outer } : undefined);
  },
  // Kysely's clients ask nothing of the server on a new connection.
  serverVersion: () => undefined,
  onQuery,
  readSchema: async (...args) => (await import('./schema.js')).readSchema(...args),
  compareEntities: async (...args) => (await import('./schema.js')).compareEntities(...args),
  recordingTarget,
  recordingTargetFor,
  recordingDriver: async (target) => (await import('./recording-driver.js')).recordingDriver(target, await kysely()),
  migrationRunner: (driver, options, config) => new (migrations().MigrationRunner)(driver, options, config) as never,
  migrationStorage: (driver, options) => new (migrations().MigrationStorage)(driver, options) as never,
  // A v7 migration's execute() and EntityManager already run in the transaction its runner set (`this.ctx`).
  joinTransaction() {},
  queryBuilder() {
    throw new Error('this revision uses knex (getKnex()), which MikroORM 7 no longer has');
  },
  errorKind,
  clientOptions: connectionClientOptions,
};

import type { MikroOptions } from '../../config.js';
import { mikroOrm, resolvableBeside } from '../../modules.js';
import { maskPasswords } from '../../secrets.js';
import type { TableProvider } from '../../sqlite-table.js';
import type { Dialect } from '../../url.js';
import { connectionClientOptions, connectTimeoutOption, errorKindBy, unconnectedOptions } from '../shared.js';
import type { MigrationStorage } from '@mikro-orm/migrations';
import type { OrmPort, PoolOptions, QueryBuilderFactory, RecordingTarget, SqlDriver, Transaction } from '../port.js';

// MikroORM 6: knex under every SQL driver (@mikro-orm/knex). What every command needs is here; the schema comparison
// and the preview's recorder are loaded when first used (./schema.ts, ./recording-driver.ts), never at start.

type Core = typeof import('@mikro-orm/core');

/** @mikro-orm/migrations (umzug and the generators: ~90 ms), resolved once, when a command first needs it. */
let migrationsPackage: typeof import('@mikro-orm/migrations') | undefined;
const migrations = () => (migrationsPackage ??= mikroOrm<typeof import('@mikro-orm/migrations')>('@mikro-orm/migrations'));

/** A query as knex hands it to its client. */
interface QueryObject {
  sql: string;
  bindings?: unknown[];
  method?: string;
}

/** The part of knex's Client that the recorder overrides. */
interface KnexClientLike {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
  query(connection: unknown, obj: string | QueryObject): Promise<unknown>;
  raw(sql: string, bindings: unknown[]): { toQuery(): string };
  initializeDriver?(): void;
}

export type KnexClient = new (config: object) => KnexClientLike;

/** A driver's own connection (pg Client, mysql2 or mariadb Connection, sqlite3 Database). */
interface RawConnection {
  end?: () => unknown;
  destroy?: () => unknown;
  close?: (cb?: () => void) => unknown;
  run?: (sql: string, cb: (err: Error | null) => void) => void;
}

type AfterCreate = (conn: RawConnection, done: (err: Error | null, conn: unknown) => void) => void;

function closeRaw(conn: RawConnection): void {
  try {
    if (conn.destroy) conn.destroy();
    else if (conn.end) Promise.resolve(conn.end()).catch(() => undefined);
    else conn.close?.(() => undefined);
  } catch {
    // Already closed.
  }
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

/** MikroORM 6's driver options (knex's: its pool, its log, its connection) for one connection pool. */
function poolSettings(settings: MikroOptions, dialect: Dialect, options: PoolOptions): MikroOptions {
  const user = (settings.driverOptions ?? {}) as Record<string, unknown>;
  const userConnection = (user.connection ?? {}) as Record<string, unknown>;
  const timeouts = connectTimeoutOption(dialect, options.connectTimeoutMs);
  const pool = { ...(settings.pool ?? {}) } as Record<string, unknown>;
  if (options.single) Object.assign(pool, { min: 1, max: 1 });
  if (options.onConnect) {
    const sql = options.onConnect;
    const userAfterCreate = pool.afterCreate as AfterCreate | undefined;
    pool.afterCreate = ((conn, done) => {
      conn.run!(sql, (err) => {
        if (err || !userAfterCreate) return done(err, conn);
        userAfterCreate(conn, done);
      });
    }) satisfies AfterCreate;
  }
  if (options.single) {
    // A session never opens a second connection: its lock lives and dies with the first, and a query on a fresh
    // connection would run without it. Once the first is gone, every query fails as a lost connection.
    let opened = 0;
    const inner = pool.afterCreate as AfterCreate | undefined;
    pool.afterCreate = ((conn, done) => {
      if (opened++ > 0) {
        // The pool does not close a connection it was refused: close it here, or its socket keeps the process alive.
        closeRaw(conn);
        return done(options.lostConnection(), conn);
      }
      if (inner) inner(conn, done);
      else done(null, conn);
    }) satisfies AfterCreate;
  }
  return {
    ...settings,
    driverOptions: {
      acquireConnectionTimeout: options.connectTimeoutMs + 2_000,
      log: knexLog,
      ...(options.serverVersion ? { version: options.serverVersion } : {}),
      ...user,
      connection: { ...timeouts, ...userConnection },
    },
    pool,
  };
}

/** The server version knex's client found on its first connection (its PostgreSQL client asks once a connection otherwise). */
function serverVersion(driver: SqlDriver): string | undefined {
  return (driver.getConnection().getKnex().client as { version?: string }).version;
}

/** Every statement of the driver's connections, a transaction's included (knex forwards them to its client). */
function onQuery(driver: SqlDriver, listener: (sql: string) => void): void {
  driver
    .getConnection()
    .getKnex()
    .client.on('query', (query: { sql?: unknown }) => {
      if (typeof query?.sql === 'string') listener(query.sql);
    });
}

/** What a database error is, by MikroORM 6's typed exceptions (its converters live in the driver packages). */
const errorKind = errorKindBy(
  {
    SqliteExceptionConverter: '@mikro-orm/sqlite',
    PostgreSqlExceptionConverter: '@mikro-orm/postgresql',
    MySqlExceptionConverter: '@mikro-orm/knex',
  },
  (error) => (error as { name?: unknown } | undefined)?.name === 'KnexTimeoutError',
);

/** The target of the connected database: its own knex client class, options, and SQLite tables read by our own code. */
function recordingTarget(driver: SqlDriver, dialect: Dialect, options: MikroOptions, tables?: TableProvider): RecordingTarget {
  return { dialect, client: driver.getConnection().getKnex().client.constructor, options, tables };
}

const DIALECT_CLIENTS: Record<Dialect, string> = {
  sqlite: 'SqliteKnexDialect',
  postgresql: 'PostgreSqlKnexDialect',
  mysql: 'MySqlKnexDialect',
  mariadb: 'MariaDbKnexDialect',
};

/**
 * The target of a dialect nobody is connected to (authoring's SQL for the other databases); undefined where its
 * driver is not installed. Its knex client never loads its database driver (sqlite3, pg, mysql2): a preview opens
 * no connection, and a project has only its own database's driver installed.
 */
function recordingTargetFor(dialect: Dialect, options: MikroOptions, tables?: TableProvider): RecordingTarget | undefined {
  const unconnected = unconnectedOptions(dialect, options);
  if (!unconnected) return undefined;
  const Client = mikroOrm<Record<string, KnexClient>>('@mikro-orm/knex')[DIALECT_CLIENTS[dialect]];
  class Unconnected extends Client {
    override initializeDriver(): void {}
  }
  return { dialect, client: Unconnected, options: unconnected, tables };
}

/** node-sqlite3's connection, as far as runOnSqliteTransaction() uses it. */
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

export const v6: OrmPort = {
  packages: ['@mikro-orm/core', '@mikro-orm/knex'],
  esModules: false,
  // Its MariaDB dialect (in @mikro-orm/knex) needs the `mariadb` client package beside it.
  registerDotenv(baseDir) {
    mikroOrm<Core>('@mikro-orm/core').ConfigurationLoader.registerDotenv({ baseDir });
  },
  environmentOptions: () => mikroOrm<Core>('@mikro-orm/core').ConfigurationLoader.loadEnvironmentVars() as Partial<MikroOptions>,
  mariaDbDriverUsable: () => resolvableBeside('@mikro-orm/knex', 'mariadb/callback'),
  poolSettings,
  close: (driver) => driver.close(true),
  query<T>(driver: SqlDriver, sql: string, params: unknown[], trx?: Transaction) {
    return driver.getConnection().execute(sql, params as never[], 'all', trx) as Promise<T[]>;
  },
  async run(driver, sql, params, trx) {
    const res = (await driver.getConnection().execute(sql, params as never[], 'run', trx)) as { affectedRows?: number } | undefined;
    return Number(res?.affectedRows ?? 0);
  },
  async runOnSqliteTransaction(_driver, trx, sql, params) {
    const raw = await sqliteConnectionOf(trx);
    if (!raw) return undefined;
    return new Promise<number>((resolve, reject) =>
      raw.run(sql, params, function (this: { changes?: number }, error: Error | null) {
        if (error) reject(error);
        else resolve(Number(this.changes ?? 0));
      }),
    );
  },
  transaction<T>(driver: SqlDriver, fn: (trx: Transaction) => Promise<T>, outer?: Transaction) {
    return driver.getConnection().transactional(fn as never, outer ? { ctx: outer } : undefined) as Promise<T>;
  },
  serverVersion,
  onQuery,
  readSchema: async (...args) => (await import('./schema.js')).readSchema(...args),
  compareEntities: async (...args) => (await import('./schema.js')).compareEntities(...args),
  recordingTarget,
  recordingTargetFor,
  recordingDriver: async (target) => (await import('./recording-driver.js')).recordingDriver(target),
  migrationRunner: (driver, options, config) => new (migrations().MigrationRunner)(driver, options, config),
  migrationStorage: (driver, options) => narrowedTableListing(new (migrations().MigrationStorage)(driver, options)),
  joinTransaction(migration) {
    const own = migration.getKnex.bind(migration);
    migration.getKnex = () => (migration as { ctx?: QueryBuilderFactory }).ctx ?? own();
  },
  queryBuilder: (migration) => migration.getKnex() as QueryBuilderFactory,
  errorKind,
  clientOptions: connectionClientOptions,
};

/**
 * MikroORM 6's storage finds its table (ensureTable) in a listing of every table of every schema, which on PostgreSQL
 * grows with a fleet of tenant schemas: each target's first run paid for all the others' tables. Narrowed to the
 * table's own schema, MikroORM's check and its create table are the same (MikroORM 7 already asks for the one table).
 */
function narrowedTableListing(storage: MigrationStorage): MigrationStorage {
  const inside = storage as unknown as {
    helper?: { getListTablesSQL?: () => string };
    getTableName?: () => { schemaName?: string };
    driver?: { getPlatform?: () => { getDefaultSchemaName?: () => string | undefined } };
  };
  const helper = inside.helper;
  const schema = inside.getTableName?.().schemaName;
  const postgres = inside.driver?.getPlatform?.().getDefaultSchemaName?.() === 'public';
  if (!helper?.getListTablesSQL || !schema || !postgres) return storage;
  const everything = helper.getListTablesSQL.bind(helper);
  const literal = `'${schema.replace(/'/g, "''")}'`;
  inside.helper = Object.create(helper, {
    getListTablesSQL: { value: () => `select * from (${everything()}) listed where listed.schema_name = ${literal}` },
  });
  return storage;
}

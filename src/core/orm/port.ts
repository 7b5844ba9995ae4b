import type { Configuration, MigrationsOptions, MikroORM } from '@mikro-orm/core';
import type { MigrationRunner, MigrationStorage } from '@mikro-orm/migrations';
import type { MikroOptions } from '../config.js';
import type { TableProvider } from '../sqlite-table.js';
import type { Dialect } from '../url.js';
import type * as V6 from './v6/types.js';

// MikroORM's own types for what migrate-ui holds on to, as MikroORM 6's SQL package names them: the repository builds
// against MikroORM 6 only. ./v7 hands MikroORM 7's objects (its @mikro-orm/sql driver, a Kysely transaction, its
// DatabaseSchema) through these same names by cast; callers hold them without looking inside, and what differs
// between the majors goes through the port.
export type MikroConfiguration = Configuration;
export type SqlDriver = V6.SqlDriver;
export type SqlConnection = V6.SqlConnection;
/** An open transaction, as MikroORM's connection hands it out. */
export type Transaction = V6.Transaction;
/** What a migration's `getKnex()` returns on MikroORM 6: the builder authoring's operations compile DDL with. */
export type QueryBuilderFactory = V6.QueryBuilderFactory;
/** Its table builder and schema statement (authoring's operations compile DDL with them). */
export type DdlTableBuilder = V6.TableBuilder;
export type DdlSchemaBuilder = V6.SchemaBuilder;
/** The schema as MikroORM introspects it (DatabaseSchema), its tables, and their parts. */
export type LiveSchema = V6.DatabaseSchema;
export type SchemaTable = V6.DatabaseTable;
export type SchemaColumn = V6.Column;
export type SchemaIndex = V6.IndexDef;
export type SchemaForeignKey = V6.ForeignKey;
export type SchemaCheck = V6.CheckDef;
/** MikroORM's schema comparator's result, as `migration:create` and `schema:update` read it. */
export type SchemaDifference = V6.SchemaDifference;
export type TableDifference = V6.TableDifference;

/** How one connection pool is set up. */
export interface PoolOptions {
  /** One connection for everything; a second one the pool would open fails with `lostConnection()` instead. */
  single?: boolean;
  /** The server's version as an earlier connection found it (so a new one need not ask). */
  serverVersion?: string;
  /** How long a server may take to accept a connection. */
  connectTimeoutMs: number;
  /** Sent once on each new connection (SQLite's busy timeout). */
  onConnect?: string;
  /** The error a single-connection pool fails with once its connection is gone. */
  lostConnection: () => Error;
}

/** The entities' difference from the live schema, by MikroORM's own comparator (what `schema:update` runs). */
export interface EntityComparison {
  /** The live schema, as the comparison reads it. */
  fromSchema: LiveSchema;
  /** The schema the entities describe. */
  toSchema: LiveSchema;
  /** MikroORM's comparison of two schemas; `inverse` is the forward diff when comparing back (for down()). */
  compare(from: LiveSchema, to: LiveSchema, inverse?: SchemaDifference): SchemaDifference;
  /** MikroORM's SQL for a difference (or part of one); with the comparison's options unless given others. */
  toSQL(diff: Partial<SchemaDifference>, options?: object): Promise<string>;
}

/** A MikroORM driver whose every query is written down and answered with an empty result; no connection is opened. */
export interface RecordingDriver {
  driver: SqlDriver;
  mikroConfig: MikroConfiguration;
  /** The statements recorded since the last call, in order; transaction framing left out. */
  take(): string[];
}

/** What a recording driver is made for: a dialect, the project's MikroORM options, and (SQLite) its tables. */
export interface RecordingTarget {
  dialect: Dialect;
  /** The implementation's own client for the dialect (MikroORM 6: its knex client class), which the recorder extends. */
  client: unknown;
  options: MikroOptions;
  /** Answers a SQLite rebuild's question about a table; a preview runs no query to ask it. */
  tables?: TableProvider;
}

/**
 * What a database error is, in MikroORM's exception terms (its exception converter decides); `pool-timeout` is the
 * connection pool giving up waiting for a connection.
 */
export type DatabaseErrorKind = 'unique-violation' | 'lock-wait-timeout' | 'table-not-found' | 'pool-timeout' | 'other';

/**
 * Everything migrate-ui asks of MikroORM beyond `@mikro-orm/core`'s public API and `@mikro-orm/migrations`: one
 * implementation per major version (./v6 on knex, ./v7 on Kysely), chosen in ./index.ts from the installed
 * @mikro-orm/core. Nothing outside them imports a MikroORM SQL package (@mikro-orm/knex, @mikro-orm/sql) or its query builder.
 */
export interface OrmPort {
  /** The packages MikroORM's start-up loads, besides the project's driver: the CLI loads them before tsx hooks in. */
  readonly packages: readonly `@mikro-orm/${string}`[];
  /** Whether MikroORM's packages are ES modules (7), which Node requires itself where it can: tsx must leave them to it. */
  readonly esModules: boolean;
  /** As MikroORM's CLI does before a config loads: the `.env` of `baseDir` into process.env (MikroORM 6; 7 reads none). */
  registerDotenv(baseDir: string): void;
  /** The options the `MIKRO_ORM_*` variables give, as MikroORM's own loader reads them. */
  environmentOptions(): Partial<MikroOptions>;
  /** Whether MikroORM's MariaDB driver can work here (MikroORM 6's needs the `mariadb` client package beside it). */
  mariaDbDriverUsable(): boolean;
  /** `settings` with the driver options for one connection pool (timeouts, per-connection set-up, a single connection). */
  poolSettings(settings: MikroOptions, dialect: Dialect, options: PoolOptions): MikroOptions;
  /** Closes the driver's connections; settles even where the client would wait forever for a connection that died. */
  close(driver: SqlDriver): Promise<void>;
  /** Runs a query on the driver's connection (in `trx` when given) and returns its rows. */
  query<T>(driver: SqlDriver, sql: string, params: unknown[], trx?: Transaction): Promise<T[]>;
  /** Runs a statement; returns the number of affected rows where the driver reports it. */
  run(driver: SqlDriver, sql: string, params: unknown[], trx?: Transaction): Promise<number>;
  /**
   * Runs one statement inside the live SQLite transaction `trx` straight on its connection, without the query
   * builder's promises and formatting around it; undefined (nothing run) when `trx` has ended or holds no SQLite
   * connection. Returns the number of affected rows.
   */
  runOnSqliteTransaction(driver: SqlDriver, trx: Transaction, sql: string, params: unknown[]): Promise<number | undefined>;
  /** Runs `fn` in one transaction (nested in `outer` when given), committed when it resolves, rolled back when it throws. */
  transaction<T>(driver: SqlDriver, fn: (trx: Transaction) => Promise<T>, outer?: Transaction): Promise<T>;
  /** The server version the driver's client found on its first connection. */
  serverVersion(driver: SqlDriver): string | undefined;
  /** Calls `listener` with every statement sent through the driver's connections, a transaction's included. */
  onQuery(driver: SqlDriver, listener: (sql: string) => void): void;
  /** The live schema through MikroORM's own introspection (what its schema diff stands on); `tables`: only those. */
  readSchema(driver: SqlDriver, config: MikroConfiguration, schemaName?: string, tables?: string[]): Promise<LiveSchema>;
  /** The entities of `orm` compared with its database, as `schema:update` compares them; `options` is the SQL options object. */
  compareEntities(orm: MikroORM, options?: object): Promise<EntityComparison>;
  /** The recording target of a connected driver: its own client, the project's options, `tables` for SQLite. */
  recordingTarget(driver: SqlDriver, dialect: Dialect, options: MikroOptions, tables?: TableProvider): RecordingTarget;
  /** The recording target of a dialect nobody is connected to (loads no database client); undefined where its driver is not installed. */
  recordingTargetFor(dialect: Dialect, options: MikroOptions, tables?: TableProvider): RecordingTarget | undefined;
  /** A driver for previews that records what a migration sends and runs nothing; no connection is ever opened. */
  recordingDriver(target: RecordingTarget): Promise<RecordingDriver>;
  /** MikroORM's migration runner on `driver` (from @mikro-orm/migrations, loaded on first use). */
  migrationRunner(driver: SqlDriver, options: MigrationsOptions, config: MikroConfiguration): MigrationRunner;
  /** MikroORM's migration storage (its history table) on `driver`. */
  migrationStorage(driver: SqlDriver, options: MigrationsOptions): MigrationStorage;
  /**
   * Makes the queries a migration builds and awaits itself (`this.getKnex()` on MikroORM 6) join the transaction
   * it runs in, which MikroORM would send on another pooled connection, outside it.
   */
  joinTransaction(migration: { getKnex(): unknown }): void;
  /** The query builder a migration instance on this major hands out (`this.getKnex()` on MikroORM 6). */
  queryBuilder(migration: { getKnex(): unknown }): QueryBuilderFactory;
  /** What a database error is, by the exception converter of the platform it came from. */
  errorKind(error: unknown): DatabaseErrorKind | undefined;
  /** The options the driver's connection hands its database client (host, port, user, database, date and number handling). */
  clientOptions(driver: SqlDriver): Record<string, unknown>;
}

import type { Database } from '../database.js';
import type { Dialect } from '../url.js';
import { mikroOrm } from '../modules.js';
import type { MikroConfiguration, SqlDriver } from '../mikro-types.js';
import { type MikroOptions, driverClass } from '../config.js';
import { PREVIEW_TABLES, readSqliteTable, type TableProvider } from '../sqlite-table.js';

/** A statement a migration sent while it was being previewed: recorded, never run. */
export interface RecordedQuery {
  sql: string;
}

/** A MikroORM driver whose every query is written down and answered with an empty result. */
export interface RecordingDriver {
  driver: SqlDriver;
  mikroConfig: MikroConfiguration;
  /** The statements recorded since the last call, in order; transaction framing left out. */
  take(): string[];
}

interface QueryObject {
  sql: string;
  bindings?: unknown[];
  method?: string;
  response?: unknown;
  context?: unknown;
}

const TRANSACTION_CONTROL = /^\s*(begin|start\s+transaction|commit|rollback|savepoint|release\s+savepoint|set\s+transaction)\b/i;

/** What each dialect's driver answers to a query that matched nothing, in the shape its knex client expects. */
function emptyResponse(dialect: Dialect, method: string | undefined): Pick<QueryObject, 'response' | 'context'> {
  if (dialect === 'postgresql') {
    const command = { select: 'SELECT', first: 'SELECT', pluck: 'SELECT', update: 'UPDATE', del: 'DELETE', insert: 'INSERT' }[method ?? ''] ?? '';
    return { response: { rows: [], rowCount: 0, command } };
  }
  if (dialect === 'sqlite') return { response: [], context: { changes: 0, lastID: 0 } };
  return { response: [[], []] };
}

/** What a recording driver is made for: a dialect, its knex client, the project's MikroORM options, and (SQLite) its tables. */
export interface RecordingTarget {
  dialect: Dialect;
  /** The knex client class of the dialect (MikroORM's own), which the recorder extends. */
  client: new (
    config: object,
  ) => KnexClientLike;
  options: MikroOptions;
  /** Answers a SQLite rebuild's question about a table; a preview runs no query to ask it. */
  tables?: TableProvider;
}

/** The target of the connected database: its own client class, options, and SQLite tables read by our own code. */
export function targetOf(db: Database): RecordingTarget {
  return {
    dialect: db.dialect,
    client: db.knex.client.constructor as RecordingTarget['client'],
    options: db.mikroConfig.getAll() as MikroOptions,
    tables: db.dialect === 'sqlite' ? (table) => readSqliteTable((sql) => db.query(sql), table) : undefined,
  };
}

const DIALECT_CLIENTS: Record<Dialect, string> = {
  sqlite: 'SqliteKnexDialect',
  postgresql: 'PostgreSqlKnexDialect',
  mysql: 'MySqlKnexDialect',
  mariadb: 'MariaDbKnexDialect',
};

/** The target of a dialect nobody is connected to (authoring's SQL for the other databases); undefined where its driver is not installed. */
export function targetFor(dialect: Dialect, options: MikroOptions, tables?: TableProvider): RecordingTarget | undefined {
  const driver = driverClass(dialect);
  if (!driver) return undefined;
  const clients = mikroOrm<Record<string, RecordingTarget['client']>>('@mikro-orm/knex');
  const connection: Record<string, unknown> = {
    driver,
    dbName: 'preview',
    clientUrl: undefined,
    host: undefined,
    port: undefined,
    user: undefined,
    password: undefined,
  };
  return {
    dialect,
    client: clients[DIALECT_CLIENTS[dialect]],
    options: { ...options, ...connection, driverOptions: undefined } as MikroOptions,
    tables,
  };
}

/**
 * Builds a driver for previews. It is handed to migrations in place of the real one, so whatever they send —
 * `addSql`, `execute`, `getKnex()` builders and raw queries, the EntityManager — reaches the knex client below,
 * which records it and answers with nothing. No connection is ever opened.
 */
export function createRecordingDriver(target: RecordingTarget): RecordingDriver {
  const { knex } = mikroOrm<typeof import('@mikro-orm/knex')>('@mikro-orm/knex');
  const { Configuration, MetadataStorage } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  const recorded: string[] = [];
  const { dialect } = target;
  const fakeConnection = { __knexUid: 'migrate-ui-preview' };

  class RecordingClient extends target.client {
    override acquireConnection() {
      return Promise.resolve(fakeConnection);
    }
    override releaseConnection() {
      return Promise.resolve();
    }
    override query(_connection: unknown, input: string | QueryObject) {
      const obj: QueryObject = typeof input === 'string' ? { sql: input } : input;
      const sql = obj.bindings?.length ? this.raw(obj.sql, obj.bindings).toQuery() : obj.sql;
      if (!TRANSACTION_CONTROL.test(sql)) recorded.push(sql);
      return Promise.resolve({ ...obj, ...emptyResponse(dialect, obj.method) });
    }
  }

  const connection = dialect === 'sqlite' ? { filename: ':memory:' } : {};
  const knexOptions = { client: RecordingClient, connection, useNullAsDefault: true, pool: { min: 0, max: 1 }, log: { warn() {}, deprecate() {} } };
  const recordingKnex = knex(knexOptions as never);
  const mikroConfig = new Configuration({ ...target.options, driverOptions: recordingKnex, debug: false } as never, false);
  const driver = mikroConfig.getDriver() as unknown as SqlDriver;
  driver.setMetadata(new MetadataStorage());
  if (target.tables) Object.assign(driver, { [PREVIEW_TABLES]: target.tables });
  return {
    driver,
    mikroConfig: mikroConfig as unknown as MikroConfiguration,
    take() {
      return recorded.splice(0, recorded.length);
    },
  };
}

/** The part of knex's Client that the recorder overrides. */
interface KnexClientLike {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
  query(connection: unknown, obj: string | QueryObject): Promise<unknown>;
  raw(sql: string, bindings: unknown[]): { toQuery(): string };
}

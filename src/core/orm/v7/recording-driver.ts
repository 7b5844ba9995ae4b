import type { Dialect } from '../../url.js';
import { mikroOrm } from '../../modules.js';
import { PREVIEW_TABLES } from '../../sqlite-table.js';
import type { MikroConfiguration, RecordingDriver, RecordingTarget, SqlDriver } from '../port.js';

/** A statement as Kysely hands it to its driver's connection. */
interface Compiled {
  sql: string;
  parameters?: readonly unknown[];
}

type Ctor = new (...args: unknown[]) => unknown;

/** Kysely's parts for each dialect (its query compiler, adapter and introspector), by their names in Kysely. */
const KYSELY_DIALECT: Record<Dialect, string> = { sqlite: 'Sqlite', postgresql: 'Postgres', mysql: 'Mysql', mariadb: 'Mysql' };

const TRANSACTION_CONTROL = /^\s*(begin|start\s+transaction|commit|rollback|savepoint|release\s+savepoint|set\s+transaction)\b/i;

/**
 * Builds a driver for previews on MikroORM 7. MikroORM takes a ready Kysely dialect as `driverOptions`; this one's
 * driver writes down every statement and answers with no rows. Whatever a migration sends — `addSql`, `execute`,
 * the EntityManager — reaches it; no connection is ever opened. `kysely`: the Kysely MikroORM's SQL package runs on.
 */
export function recordingDriver(target: RecordingTarget, kysely: Record<string, unknown>): RecordingDriver {
  const { Configuration, MetadataStorage } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  const recorded: string[] = [];
  const name = KYSELY_DIALECT[target.dialect];
  let format = (sql: string, _params: readonly unknown[]) => sql;
  const connection = {
    async executeQuery(query: Compiled) {
      const sql = query.parameters?.length ? format(query.sql, query.parameters) : query.sql;
      if (!TRANSACTION_CONTROL.test(sql)) recorded.push(sql);
      return { rows: [] };
    },
    async *streamQuery() {},
  };
  const none = async () => {};
  const dialect = {
    createDriver: () => ({
      init: none,
      acquireConnection: async () => connection,
      beginTransaction: none,
      commitTransaction: none,
      rollbackTransaction: none,
      savepoint: none,
      rollbackToSavepoint: none,
      releaseSavepoint: none,
      releaseConnection: none,
      destroy: none,
    }),
    createQueryCompiler: () => new (kysely[`${name}QueryCompiler`] as Ctor)(),
    createAdapter: () => new (kysely[`${name}Adapter`] as Ctor)(),
    createIntrospector: (db: unknown) => new (kysely[`${name}Introspector`] as Ctor)(db),
  };
  const options = { ...target.options, driverOptions: dialect, debug: false, onCreateConnection: undefined };
  const mikroConfig = new Configuration(options as never, false);
  const driver = mikroConfig.getDriver() as unknown as SqlDriver;
  driver.setMetadata(new MetadataStorage());
  const platform = driver.getPlatform() as unknown as { formatQuery(sql: string, params: readonly unknown[]): string };
  format = (sql, params) => platform.formatQuery(sql, params);
  if (target.tables) Object.assign(driver, { [PREVIEW_TABLES]: target.tables });
  return {
    driver,
    mikroConfig: mikroConfig as unknown as MikroConfiguration,
    take() {
      return recorded.splice(0, recorded.length);
    },
  };
}

import type { Dialect } from '../../url.js';
import { mikroOrm } from '../../modules.js';
import { PREVIEW_TABLES } from '../../sqlite-table.js';
import type { MikroConfiguration, RecordingDriver, RecordingTarget, SqlDriver } from '../port.js';
import type { KnexClient } from './index.js';

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

/**
 * Builds a driver for previews. It is handed to migrations in place of the real one, so whatever they send —
 * `addSql`, `execute`, `getKnex()` builders and raw queries, the EntityManager — reaches the knex client below,
 * which records it and answers with nothing. No connection is ever opened.
 */
export function recordingDriver(target: RecordingTarget): RecordingDriver {
  const { knex } = mikroOrm<typeof import('@mikro-orm/knex')>('@mikro-orm/knex');
  const { Configuration, MetadataStorage } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  const recorded: string[] = [];
  const { dialect } = target;
  const fakeConnection = { __knexUid: 'migrate-ui-preview' };

  class RecordingClient extends (target.client as KnexClient) {
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

import { DriverException, LockWaitTimeoutException, TableNotFoundException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { describe, expect, test } from 'vitest';
import { loadProjectConfig } from '../../../src/core/config.js';
import { Database } from '../../../src/core/database.js';
import {
  isBusy,
  isConnectionLoss,
  isDatabaseError,
  isMissingTable,
  isTimeout,
  isUniqueViolation,
  messageLine,
  orm,
} from '../../../src/core/orm/index.js';
import { ROOT } from '../../helpers/cli.js';
import { DIALECTS, type TestDatabase } from '../../helpers/databases.js';
import { useTestDatabase } from '../../helpers/use-database.js';

async function connect(db: TestDatabase): Promise<Database> {
  return Database.connect(await loadProjectConfig({ cwd: ROOT, dbUrl: db.url, env: {} }));
}

/** What `fn` threw (it must throw). */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

// The errors each database really raises, as its client gives them (Database.query) and as MikroORM's driver
// converts them (driver.execute): both are classified the same, by MikroORM's exception converter.
describe.concurrent.each(DIALECTS)('database errors on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  it('a duplicate key is a unique violation, raw and converted', async (ctx) => {
    const db = await connect(database(ctx));
    try {
      await db.run('create table err_unique (id integer primary key, name varchar(20) not null)');
      await db.run(`insert into err_unique (id, name) values (1, 'a')`);
      const raw = await thrown(() => db.run(`insert into err_unique (id, name) values (1, 'b')`));
      expect(raw).not.toBeInstanceOf(DriverException);
      expect(orm.errorKind(raw)).toBe('unique-violation');
      expect(isUniqueViolation(raw)).toBe(true);
      expect(isDatabaseError(raw)).toBe(true);
      expect(isMissingTable(raw) || isTimeout(raw) || isConnectionLoss(raw)).toBe(false);
      const converted = await thrown(() => db.driver.execute(`insert into err_unique (id, name) values (1, 'c')`));
      expect(converted).toBeInstanceOf(UniqueConstraintViolationException);
      expect(isUniqueViolation(converted)).toBe(true);
      // Another constraint is not a unique violation (SQLite says SQLITE_CONSTRAINT for both).
      const notNull = await thrown(() => db.run('insert into err_unique (id, name) values (2, null)'));
      expect(isUniqueViolation(notNull)).toBe(false);
      expect(isDatabaseError(notNull)).toBe(true);
      // The message is left as the client gave it: converting never appends the database's detail to it.
      expect(messageLine(raw)).toBe((raw as Error).message.split('\n')[0]);
      expect((raw as Error).message).not.toMatch(/ - detail: /);
    } finally {
      await db.close();
    }
  });

  it('a table that is not there is a missing table, raw and converted', async (ctx) => {
    const db = await connect(database(ctx));
    try {
      const raw = await thrown(() => db.query('select * from err_nowhere'));
      expect(orm.errorKind(raw)).toBe('table-not-found');
      expect(isMissingTable(raw)).toBe(true);
      expect(isUniqueViolation(raw) || isTimeout(raw) || isConnectionLoss(raw)).toBe(false);
      const converted = await thrown(() => db.driver.execute('select * from err_nowhere'));
      expect(converted).toBeInstanceOf(TableNotFoundException);
      expect(isMissingTable(converted)).toBe(true);
      // A syntax error is the database refusing, and nothing more specific.
      const syntax = await thrown(() => db.query('selec 1'));
      expect(orm.errorKind(syntax)).toBe('other');
      expect(isDatabaseError(syntax)).toBe(true);
      expect(isMissingTable(syntax) || isUniqueViolation(syntax) || isTimeout(syntax)).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('a lock held by another connection is a timeout (SQLite: the file is busy)', async (ctx) => {
    const target = database(ctx);
    const holder = await connect(target);
    const waiter = await connect(target);
    try {
      await holder.run('create table err_lock (id integer primary key, n integer)');
      await holder.run('insert into err_lock (id, n) values (1, 0)');
      const error = await holder.transaction(async (trx) => {
        await holder.run('update err_lock set n = 1 where id = 1', [], trx);
        if (dialect === 'sqlite') await waiter.run('PRAGMA busy_timeout = 50');
        else if (dialect === 'postgresql') await waiter.run(`set lock_timeout = '100ms'`);
        else await waiter.run('set innodb_lock_wait_timeout = 1');
        return thrown(() => waiter.run('update err_lock set n = 2 where id = 1'));
      });
      expect(isTimeout(error)).toBe(true);
      expect(isBusy(error)).toBe(dialect === 'sqlite');
      expect(isUniqueViolation(error) || isMissingTable(error) || isConnectionLoss(error)).toBe(false);
      // MikroORM's converters know SQLite's busy file and MySQL's lock wait; PostgreSQL's lock_timeout (55P03) is ours to know.
      expect(orm.errorKind(error)).toBe(dialect === 'postgresql' ? 'other' : 'lock-wait-timeout');
      if (dialect !== 'postgresql') {
        const converted = await thrown(() =>
          holder.transaction(async (trx) => {
            await holder.run('update err_lock set n = 3 where id = 1', [], trx);
            return waiter.driver.execute('update err_lock set n = 4 where id = 1');
          }),
        );
        expect(converted).toBeInstanceOf(LockWaitTimeoutException);
        expect(isTimeout(converted)).toBe(true);
      }
    } finally {
      await waiter.close();
      await holder.close();
    }
  });
});

// SQLite has no statement time limit, and nothing can end its connection from outside.
describe.concurrent.each(DIALECTS.filter((d) => d !== 'sqlite'))('server errors on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  it('a statement cut off by its time limit is a timeout', async (ctx) => {
    const db = await connect(database(ctx));
    try {
      const sql =
        dialect === 'postgresql'
          ? 'select pg_sleep(2)'
          : 'SET STATEMENT max_statement_time = 0.05 FOR select sleep(2) from (select 1 as a union select 2) t';
      if (dialect === 'postgresql') await db.run(`set statement_timeout = '50ms'`);
      const error = await thrown(() => db.query(sql));
      expect(isTimeout(error)).toBe(true);
      expect(isConnectionLoss(error) || isMissingTable(error)).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('a killed session is a lost connection, not a refusal', async (ctx) => {
    const target = database(ctx);
    const db = await connect(target);
    const killer = await connect(target);
    try {
      // Inside a transaction, so the next statement goes to the connection that was killed (a pool would hand out a new one).
      let error: unknown;
      await db
        .transaction(async (trx) => {
          const [row] = await db.query<{ id: number | string }>(
            dialect === 'postgresql' ? 'select pg_backend_pid() as id' : 'select connection_id() as id',
            [],
            trx,
          );
          await killer.run(dialect === 'postgresql' ? `select pg_terminate_backend(${Number(row.id)})` : `kill ${Number(row.id)}`);
          error = await thrown(() => db.query('select 1', [], trx));
        })
        .catch(() => undefined);
      expect(isConnectionLoss(error)).toBe(true);
      expect(isTimeout(error) || isMissingTable(error) || isUniqueViolation(error)).toBe(false);
    } finally {
      await killer.close();
      await db.close().catch(() => undefined);
    }
  });
});

describe('messageLine', () => {
  test('is the first line of an error message, or of anything thrown', () => {
    expect(messageLine(new Error('insert into x - duplicate key\nDETAIL: Key (id)=(1) already exists.'))).toBe('insert into x - duplicate key');
    expect(messageLine('plain\nsecond')).toBe('plain');
    expect(messageLine(42)).toBe('42');
  });
});

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from './database.js';
import type { LockHolder } from './events.js';
import { LockTimeoutError } from './errors.js';

export const LOCK_TABLE = 'migrate_ui_lock';
/** A SQLite holder that has not beaten its heart for this long is taken to be dead. */
export const STALE_AFTER_MS = 15_000;
const HEARTBEAT_MS = 2_000;
const POLL_MS = 200;
const ADVISORY_KEY = 74_211_609; // arbitrary, fixed: "migrate-ui" on PostgreSQL

export interface LockOptions {
  timeoutMs: number;
  /** Called once when the lock is busy, and again whenever the holder changes. */
  onWaiting?: (holder: LockHolder | null) => void;
}

/** A held run lock; release() is idempotent. */
export interface HeldLock {
  release(): Promise<void>;
}

/** Who holds the lock right now, if anyone (from the holder row every dialect keeps). */
export async function readLockHolder(db: Database): Promise<LockHolder | null> {
  try {
    const rows = await db.query<{ pid: number; host: string; acquired_at: number | string; heartbeat_at: number | string }>(
      `select pid, host, acquired_at, heartbeat_at from ${LOCK_TABLE} where id = 1`,
    );
    const row = rows[0];
    if (!row) return null;
    if (db.dialect === 'sqlite' && Date.now() - Number(row.heartbeat_at) > STALE_AFTER_MS) return null;
    return { pid: Number(row.pid), host: row.host, since: Number(row.acquired_at) };
  } catch {
    return null;
  }
}

async function ensureLockTable(db: Database): Promise<void> {
  const sql = `create table if not exists ${LOCK_TABLE} (id integer not null primary key, holder varchar(64) not null, pid integer not null, host varchar(255) not null, acquired_at bigint not null, heartbeat_at bigint not null)`;
  try {
    await db.run(sql);
  } catch (error) {
    // Two first runs racing to create it: the loser finds it there.
    if (!(await db.tableExists(LOCK_TABLE))) throw error;
  }
}

/** Takes the run lock: advisory lock on PostgreSQL, GET_LOCK on MySQL, a heartbeat row on SQLite. */
export async function acquireLock(db: Database, options: LockOptions): Promise<HeldLock> {
  await ensureLockTable(db);
  const token = randomUUID();
  const deadline = Date.now() + options.timeoutMs;
  const strategy = db.dialect === 'sqlite' ? sqliteStrategy(db, token) : await sessionLockStrategy(db);
  let lastHolder: string | undefined;
  try {
    while (!(await strategy.tryTake())) {
      const holder = await readLockHolder(db);
      const key = JSON.stringify(holder);
      if (key !== lastHolder) {
        lastHolder = key;
        options.onWaiting?.(holder);
      }
      if (Date.now() >= deadline) {
        const who = holder ? `pid ${holder.pid} on ${holder.host} since ${new Date(holder.since).toISOString()}` : 'another run';
        throw new LockTimeoutError(
          `the migration lock is held by ${who}; gave up after ${Math.round(options.timeoutMs / 1000)} s`,
          'Wait for that run to finish, or raise --lock-timeout.',
        );
      }
      await sleep(POLL_MS);
    }
  } catch (error) {
    await strategy.release().catch(() => undefined);
    throw error;
  }
  if (db.dialect !== 'sqlite') await writeHolderRow(db, token);
  const heartbeat = setInterval(() => {
    db.run(`update ${LOCK_TABLE} set heartbeat_at = ? where holder = ?`, [Date.now(), token]).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      await db.run(`delete from ${LOCK_TABLE} where holder = ?`, [token]).catch(() => undefined);
      await strategy.release();
    },
  };
}

interface LockStrategy {
  tryTake(): Promise<boolean>;
  release(): Promise<void>;
}

async function writeHolderRow(db: Database, token: string): Promise<void> {
  const now = Date.now();
  await db.run(`delete from ${LOCK_TABLE}`);
  await db.run(`insert into ${LOCK_TABLE} (id, holder, pid, host, acquired_at, heartbeat_at) values (1, ?, ?, ?, ?, ?)`, [
    token,
    process.pid,
    hostname(),
    now,
    now,
  ]);
}

function sqliteStrategy(db: Database, token: string): LockStrategy {
  return {
    async tryTake() {
      const now = Date.now();
      const [row] = await db.query<{ pid: number; host: string; heartbeat_at: number | string }>(
        `select pid, host, heartbeat_at from ${LOCK_TABLE} where id = 1`,
      );
      // On this machine a holder is dead when its process is; elsewhere when its heartbeat stopped.
      const stale = row && (row.host === hostname() ? !processAlive(Number(row.pid)) : now - Number(row.heartbeat_at) > STALE_AFTER_MS);
      if (stale) await db.run(`delete from ${LOCK_TABLE} where id = 1 and pid = ? and host = ?`, [row.pid, row.host]);
      await db.run(
        `insert into ${LOCK_TABLE} (id, holder, pid, host, acquired_at, heartbeat_at) values (1, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
        [token, process.pid, hostname(), now, now],
      );
      const [mine] = await db.query(`select 1 as ok from ${LOCK_TABLE} where id = 1 and holder = ?`, [token]);
      return Boolean(mine);
    },
    async release() {
      await db.run(`delete from ${LOCK_TABLE} where holder = ?`, [token]);
    },
  };
}

/** PostgreSQL and MySQL locks belong to a session: hold one pooled connection for the whole run. */
async function sessionLockStrategy(db: Database): Promise<LockStrategy> {
  const knex = db.knex;
  const connection = await knex.client.acquireConnection();
  const raw = (sql: string, params: unknown[]) => knex.raw(sql, params).connection(connection);
  const pg = db.dialect === 'postgresql';
  const name = `migrate_ui:${String(db.mikroConfig.get('dbName') ?? '')}`.slice(0, 64);
  let held = false;
  return {
    async tryTake() {
      const res = pg
        ? await raw('select pg_try_advisory_lock(?) as ok', [ADVISORY_KEY])
        : await raw('select get_lock(?, 0) as ok', [name]);
      const row = pg ? res.rows[0] : res[0][0];
      held = row.ok === true || Number(row.ok) === 1;
      return held;
    },
    async release() {
      try {
        if (held) await (pg ? raw('select pg_advisory_unlock(?)', [ADVISORY_KEY]) : raw('select release_lock(?)', [name]));
      } finally {
        await knex.client.releaseConnection(connection);
      }
    },
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

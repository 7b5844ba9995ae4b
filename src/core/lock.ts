import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database, Transaction } from './database.js';
import type { LockHolder } from './events.js';
import type { DatabaseReader } from './reader.js';
import { LockLostError, LockTimeoutError, StoppedError } from './errors.js';
import { isBusy, isMissingTable } from './orm/index.js';
import { sleep } from './sleep.js';

export const LOCK_TABLE = 'migrate_ui_lock';
/** A SQLite holder that has not beaten its heart for this long is taken to be dead. */
export const STALE_AFTER_MS = 15_000;
const HEARTBEAT_MS = 2_000;
const POLL_MS = 200;
/** While waiting, a busy SQLite file answers within this long, so the wait can say who holds it and keep its deadline. */
const SQLITE_WAIT_MS = 500;
const ADVISORY_KEY = 74_211_609; // arbitrary, fixed: "migrate-ui" on PostgreSQL

export interface LockOptions {
  timeoutMs: number;
  /** Called once when the lock is busy, and again whenever the holder changes. */
  onWaiting?: (holder: LockHolder | null) => void;
  /** Gives up waiting at once when aborted (ctrl-c, SIGTERM). */
  signal?: AbortSignal;
}

/** The run lock, held by one session (a single connection) of this process. */
export interface HeldLock {
  /** Fails with LockLostError unless this session still holds the lock; the first statement of every revision's transaction. */
  assertHeld(trx?: Transaction): Promise<void>;
  /** Writes the heartbeat (SQLite), inside a revision's transaction so that it commits with it. */
  beat(trx?: Transaction): Promise<void>;
  /**
   * A condition a write can carry so that it happens only while this run holds the lock (SQLite: its row), or
   * undefined where holding the session's connection already proves it. Lets a revision's first write take
   * SQLite's write lock and check the run's lock in one statement.
   */
  guard(): { sql: string; params: unknown[] } | undefined;
  /** Idempotent. */
  release(): Promise<void>;
}

interface HolderRow {
  pid: number | string;
  host: string;
  acquired_at: number | string;
  heartbeat_at: number | string;
}

/** Who holds the lock right now: the holder row, but only while the database says the lock is really held. */
export async function readLockHolder(db: DatabaseReader): Promise<LockHolder | null> {
  let rows: HolderRow[];
  try {
    rows = await db.query<HolderRow>(`select pid, host, acquired_at, heartbeat_at from ${db.table(LOCK_TABLE)} where id = 1`);
  } catch (error) {
    if (isMissingTable(error)) return null;
    throw error;
  }
  const row = rows[0];
  if (!row) return null;
  const held = db.dialect === 'sqlite' ? !isStale(row) : await sessionLockHeld(db);
  return held ? { pid: Number(row.pid), host: row.host, since: Number(row.acquired_at) } : null;
}

/** A SQLite holder is gone when its heartbeat stopped, or, on this machine, when its process is dead. */
function isStale(row: HolderRow): boolean {
  if (Date.now() - Number(row.heartbeat_at) > STALE_AFTER_MS) return true;
  return row.host === hostname() && !processAlive(Number(row.pid));
}

function lockName(db: DatabaseReader): string {
  return `migrate_ui:${db.dbName}`.slice(0, 64);
}

/**
 * PostgreSQL's advisory lock: one key for the database's history, and a pair (ours, the schema's hash) for a history
 * kept in a schema of its own, so that tenants' schemas in one database run side by side, each under its own lock.
 */
function advisoryLock(db: DatabaseReader): { args: string; params: unknown[]; held: string } {
  if (!db.schema) return { args: '?', params: [ADVISORY_KEY], held: 'classid = 0 and objid = ? and objsubid = 1' };
  return { args: '?, hashtext(?)', params: [ADVISORY_KEY, db.schema], held: 'classid = ? and objid = hashtext(?)::oid and objsubid = 2' };
}

/** Whether any session holds the PostgreSQL advisory lock or the MySQL named lock now. */
async function sessionLockHeld(db: DatabaseReader): Promise<boolean> {
  if (db.dialect === 'postgresql') {
    const lock = advisoryLock(db);
    const rows = await db.query(
      `select 1 as held from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database()) and ${lock.held} and granted`,
      lock.params,
    );
    return rows.length > 0;
  }
  const [row] = await db.query<{ used: unknown }>('select is_used_lock(?) as used', [lockName(db)]);
  return row?.used != null;
}

async function ensureLockTable(db: Database): Promise<void> {
  if (await db.tableExists(LOCK_TABLE)) return;
  // Beside MikroORM's table, in its schema, which its storage creates only later, under the lock.
  if (db.schema) await db.run(`create schema if not exists ${db.quote(db.schema)}`);
  const columns =
    'id integer not null primary key, holder varchar(64) not null, pid integer not null, host varchar(255) not null, acquired_at bigint not null, heartbeat_at bigint not null';
  try {
    await db.run(`create table if not exists ${db.table(LOCK_TABLE)} (${columns})`);
  } catch (error) {
    // Two first runs racing to create it: the loser finds it there.
    if (!(await db.tableExists(LOCK_TABLE))) throw error;
  }
}

/** Runs `use`, which needs the lock table; where the table is missing (the first run ever), makes it and runs `use` again. */
async function withLockTable<T>(db: Database, use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } catch (error) {
    // Missing, or in a schema that is missing (PostgreSQL says so in other words).
    if (!isMissingTable(error) && (await db.tableExists(LOCK_TABLE).catch(() => true))) throw error;
    await ensureLockTable(db);
    return use();
  }
}

/**
 * Takes the run lock on `session` (a single-connection Database): advisory lock on PostgreSQL, GET_LOCK on
 * MySQL/MariaDB, a heartbeat row on SQLite. Every dialect also writes the holder row that waiting runs show.
 */
export async function acquireLock(session: Database, options: LockOptions): Promise<HeldLock> {
  const token = randomUUID();
  const deadline = Date.now() + options.timeoutMs;
  const strategy = session.dialect === 'sqlite' ? sqliteStrategy(session, token) : sessionStrategy(session);
  let lastHolder: string | undefined;
  try {
    // The table is looked for only when a statement finds it missing: a run asks the catalogue nothing.
    while (!(await withLockTable(session, () => strategy.tryTake()))) {
      if (options.signal?.aborted) throw new StoppedError('stopped while waiting for the migration lock');
      const holder = await readLockHolder(session).catch(() => null);
      const key = JSON.stringify(holder);
      if (key !== lastHolder) {
        lastHolder = key;
        options.onWaiting?.(holder);
      }
      if (Date.now() >= deadline) {
        const who = holder ? `pid ${holder.pid} on ${holder.host} since ${new Date(holder.since).toISOString()}` : 'another run';
        throw new LockTimeoutError(`the migration lock is held by ${who}; gave up after ${Math.round(options.timeoutMs / 1000)} s`, holder);
      }
      await sleep(POLL_MS, options.signal);
    }
    if (session.dialect !== 'sqlite') await withLockTable(session, () => writeHolderRow(session, token));
  } catch (error) {
    await strategy.release().catch(() => undefined);
    throw error;
  } finally {
    await strategy.settle?.();
  }
  const beat = (trx?: Transaction) =>
    session.run(`update ${session.table(LOCK_TABLE)} set heartbeat_at = ? where holder = ?`, [Date.now(), token], trx).then(() => undefined);
  // Only SQLite's lock goes stale without it; elsewhere the lock dies with its session, and a beat would cost a statement (a commit) every 2 s.
  const heartbeat = session.dialect === 'sqlite' ? setInterval(() => void beat().catch(() => undefined), HEARTBEAT_MS) : undefined;
  heartbeat?.unref();
  let released = false;
  return {
    async assertHeld(trx) {
      if (!(await strategy.holds(trx))) throw new LockLostError('the migration lock was lost: another run may have taken it');
    },
    beat: (trx) => (session.dialect === 'sqlite' ? beat(trx) : Promise.resolve()),
    guard: () =>
      session.dialect === 'sqlite'
        ? { sql: `exists (select 1 from ${session.table(LOCK_TABLE)} where id = 1 and holder = ?)`, params: [token] }
        : undefined,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // SQLite's lock is its row: the strategy deletes it. Elsewhere the row only says who holds the session's lock.
      if (session.dialect !== 'sqlite')
        await session.run(`delete from ${session.table(LOCK_TABLE)} where holder = ?`, [token]).catch(() => undefined);
      await strategy.release();
    },
  };
}

interface LockStrategy {
  tryTake(): Promise<boolean>;
  holds(trx?: Transaction): Promise<boolean>;
  release(): Promise<void>;
  /** Undoes what waiting changed on the session (SQLite's short busy timeout). */
  settle?(): Promise<void>;
}

/** The holder row of a session lock, in one statement: whatever an earlier holder left there is replaced. */
async function writeHolderRow(db: Database, token: string): Promise<void> {
  const now = Date.now();
  const values = [token, process.pid, hostname(), now, now];
  const columns = `${db.table(LOCK_TABLE)} (id, holder, pid, host, acquired_at, heartbeat_at)`;
  if (db.dialect === 'postgresql') {
    const update = ['holder', 'pid', 'host', 'acquired_at', 'heartbeat_at'].map((c) => `${c} = excluded.${c}`).join(', ');
    await db.run(`insert into ${columns} values (1, ?, ?, ?, ?, ?) on conflict (id) do update set ${update}`, values);
  } else await db.run(`replace into ${columns} values (1, ?, ?, ?, ?, ?)`, values);
}

function sqliteStrategy(db: Database, token: string): LockStrategy {
  let shortWait = false;
  return {
    async tryTake() {
      if (!shortWait) {
        await db.run(`PRAGMA busy_timeout = ${SQLITE_WAIT_MS}`);
        shortWait = true;
      }
      try {
        const now = Date.now();
        const [row] = await db.query<HolderRow & { holder: string }>(
          `select holder, pid, host, acquired_at, heartbeat_at from ${db.table(LOCK_TABLE)} where id = 1`,
        );
        // A live holder: waiting writes nothing, so it never competes with the holder for the file.
        if (row && !isStale(row)) return false;
        if (row) await db.run(`delete from ${db.table(LOCK_TABLE)} where id = 1 and holder = ?`, [row.holder]);
        // One row in, ours: taken (each autocommitted write here is a commit that waits for the disk).
        const inserted = await db.run(
          `insert into ${db.table(LOCK_TABLE)} (id, holder, pid, host, acquired_at, heartbeat_at) values (1, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
          [token, process.pid, hostname(), now, now],
        );
        return inserted === 1;
      } catch (error) {
        // The holder is inside a long write: the file is busy, which only means it is still held.
        if (isBusy(error)) return false;
        throw error;
      }
    },
    async holds(trx) {
      // A write, not a read: as the first statement of a revision's transaction it takes SQLite's write lock at
      // once (waiting for it), instead of upgrading later from a read, which SQLite refuses at once when busy.
      return (await db.run(`update ${db.table(LOCK_TABLE)} set heartbeat_at = ? where id = 1 and holder = ?`, [Date.now(), token], trx)) === 1;
    },
    async release() {
      await db.run(`delete from ${db.table(LOCK_TABLE)} where holder = ?`, [token]);
    },
    async settle() {
      if (shortWait) await db.run('PRAGMA busy_timeout = 15000').catch(() => undefined);
    },
  };
}

/** PostgreSQL and MySQL locks belong to a session: the session's one connection holds it for the whole run. */
function sessionStrategy(db: Database): LockStrategy {
  const pg = db.dialect === 'postgresql';
  const name = lockName(db);
  const advisory = advisoryLock(db);
  let held = false;
  return {
    async tryTake() {
      const [row] = await db.query<{ ok: unknown }>(
        pg ? `select pg_try_advisory_lock(${advisory.args}) as ok` : 'select get_lock(?, 0) as ok',
        pg ? advisory.params : [name],
      );
      held = row?.ok === true || Number(row?.ok) === 1;
      return held;
    },
    async holds() {
      // The session has one connection and never opens another (database.ts): while it answers, it is the one
      // that took the lock, and nothing but this session can release it. A dead connection fails the next query.
      return held;
    },
    async release() {
      if (held) await db.query(pg ? `select pg_advisory_unlock(${advisory.args})` : 'select release_lock(?)', pg ? advisory.params : [name]);
      held = false;
    },
  };
}

/** Whether a process with this pid lives on this machine (one we may not signal lives too). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

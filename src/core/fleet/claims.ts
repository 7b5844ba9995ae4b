import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database, Transaction } from '../database.js';
import { ConfigError } from '../errors.js';
import type { Dialect } from '../url.js';
import type { SkipReason, TargetFailure } from './rollout.js';
import type { FleetTarget } from './targets.js';

export const CLAIMS_TABLE = 'migrate_ui_fleet_claims';

/** A claim's life: waiting, run by a worker (whose heartbeat keeps it), then finished for good. */
export type ClaimState = 'pending' | 'running' | 'done' | 'failed';

export interface ClaimBoardOptions {
  /** The shared rollout's name: every worker given it takes its targets from the same rows. */
  rollout: string;
  /** What every target does (direction and revision TARGET); a worker asking for another is refused. */
  plan: string;
  /** A running claim whose heartbeat is older than this is taken to be dead, and taken over. */
  staleAfterMs: number;
  /** Where the rollout runs no target now, its failed targets go back to pending as this worker joins (a retry). */
  retryFailed?: boolean;
}

/** A target this worker now runs; `takenFrom` is the worker whose claim went stale. */
export interface Claim {
  target: string;
  canary: boolean;
  attempt: number;
  takenFrom?: string;
}

/** What the board has for a worker's free slot: a claim, a wait (others still run), or the end and why. */
export type NextClaim = { claim: Claim } | { wait: true } | { over: SkipReason | 'finished' };

/** A target's row as the rollout ends. */
export interface ClaimRow {
  target: string;
  state: ClaimState;
  worker: string | null;
  failure?: TargetFailure;
}

interface Row {
  target: string;
  state: ClaimState;
  canary: number | string | boolean;
  worker: string | null;
  attempts: number | string;
  result: string | null;
}

/** The database's clock in milliseconds: one clock for every worker, whatever machine it runs on. */
const NOW_MS: Record<Dialect, string> = {
  postgresql: '(extract(epoch from clock_timestamp()) * 1000)::bigint',
  mysql: 'cast(unix_timestamp(now(3)) * 1000 as signed)',
  mariadb: 'cast(unix_timestamp(now(3)) * 1000 as signed)',
  sqlite: `cast((julianday('now') - 2440587.5) * 86400000 as integer)`,
};

const COLUMNS = [
  'rollout varchar(191) not null',
  'target varchar(191) not null',
  'position integer not null',
  'canary integer not null',
  'plan varchar(255) not null',
  'state varchar(16) not null',
  'worker varchar(255) null',
  'pid integer null',
  'host varchar(255) null',
  'heartbeat_at bigint null',
  'attempts integer not null default 0',
  'result text null',
  'claimed_at bigint null',
  'primary key (rollout, target)',
].join(', ');

/**
 * The claims of a shared rollout, in a table of the control database: the database is the coordinator. A worker
 * claims the first claimable target with `SELECT … FOR UPDATE SKIP LOCKED` (SQLite: under BEGIN IMMEDIATE), beats
 * its heart while it runs it, and writes the outcome; a claim whose heartbeat stopped is taken over. That is safe
 * because every target's own lock and history already keep a revision from running twice.
 */
export class ClaimBoard {
  /** host:pid:random, as other workers and the rows see this one. */
  readonly worker = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  #queue: Promise<unknown> = Promise.resolve();
  #heartbeat: NodeJS.Timeout | undefined;
  /** Targets another worker listed that this one does not know: left to the others. */
  readonly #unknown = new Set<string>();
  /** How many failed targets this worker put back to pending as it joined (retryFailed). */
  retried = 0;

  private constructor(
    /** A single connection: every statement of the board goes through it, one after another. */
    private readonly db: Database,
    private readonly options: ClaimBoardOptions,
  ) {}

  /** Opens the board on `db` (a single-connection Database, closed with the board), making its table where missing. */
  static async open(db: Database, options: ClaimBoardOptions): Promise<ClaimBoard> {
    const board = new ClaimBoard(db, options);
    try {
      if (db.schema) await db.run(`create schema if not exists ${db.quote(db.schema)}`);
      await db.run(`create table if not exists ${db.table(CLAIMS_TABLE)} (${COLUMNS})`).catch(async (error: unknown) => {
        // Workers starting together race to create it (PostgreSQL's catalogue refuses the loser): the loser finds it there.
        if (!(await db.tableExists(CLAIMS_TABLE))) throw error;
      });
      await addClaimedAt(db);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    return board;
  }

  get dialect(): Dialect {
    return this.db.dialect;
  }

  /**
   * Lists this worker's targets on the board (a row each, where none is there yet: the first worker's order and
   * canaries stand). A rollout that already runs another plan refuses the worker.
   */
  async enlist(targets: FleetTarget[], canary: number): Promise<void> {
    await this.#atomically(async (trx) => {
      const plans = await this.db.query<{ plan: string }>(`select distinct plan from ${this.#table} where rollout = ?`, [this.options.rollout], trx);
      const other = plans.find((p) => p.plan !== this.options.plan);
      if (other)
        throw new ConfigError(
          `fleet rollout "${this.options.rollout}" is a fleet ${other.plan}, not a fleet ${this.options.plan}`,
          'Give this rollout another name, or run the same command as its other workers.',
        );
      if (this.options.retryFailed) await this.#retryFailed(trx);
      const ignore = { postgresql: 'insert', mysql: 'insert ignore', mariadb: 'insert ignore', sqlite: 'insert or ignore' }[this.db.dialect];
      const tail = this.db.dialect === 'postgresql' ? ' on conflict do nothing' : '';
      // In slices: a fleet of thousands stays under every driver's limit of parameters.
      for (let i = 0; i < targets.length; i += 200) {
        const slice = targets.slice(i, i + 200);
        const values = slice.map(() => `(?, ?, ?, ?, ?, 'pending', 0)`).join(', ');
        const params = slice.flatMap((t, j) => [this.options.rollout, t.name, i + j, i + j < canary ? 1 : 0, this.options.plan]);
        await this.db.run(
          `${ignore} into ${this.#table} (rollout, target, position, canary, plan, state, attempts) values ${values}${tail}`,
          params,
          trx,
        );
      }
    });
  }

  /**
   * The failed targets back to pending (their attempts kept, their results gone), unless a target of the rollout runs
   * now: a rollout still running is joined as it is (a failure recorded in it stays until it is over).
   */
  async #retryFailed(trx: Transaction | undefined): Promise<void> {
    const [running] = await this.db.query<{ n: number | string }>(
      `select count(*) as n from ${this.#table} where rollout = ? and state = 'running'`,
      [this.options.rollout],
      trx,
    );
    if (Number(running?.n ?? 0) > 0) return;
    this.retried = await this.db.run(
      `update ${this.#table} set state = 'pending', worker = null, result = null where rollout = ? and state = 'failed'`,
      [this.options.rollout],
      trx,
    );
  }

  /**
   * Claims the next target for a free slot: the first pending one (canaries first, the rest only once every canary
   * is done), or a running one whose worker's heartbeat stopped. None while others still run: wait. Nothing left
   * to run, or `maxFailures` reached, or a canary failed: over, and why.
   */
  async next(maxFailures: number, known: (name: string) => boolean): Promise<NextClaim> {
    for (;;) {
      const next = await this.#atomically((trx) => this.#claim(maxFailures, trx));
      if (!('claim' in next) || known(next.claim.target)) return next;
      // Listed by another worker, not by this one: back to pending, left to the workers that know it.
      this.#unknown.add(next.claim.target);
      await this.finish(next.claim.target, 'pending');
    }
  }

  async #claim(maxFailures: number, trx: Transaction | undefined): Promise<NextClaim> {
    const rollout = this.options.rollout;
    const counts = await this.db.query<{ state: ClaimState; canary: number | string; n: number | string }>(
      `select state, canary, count(*) as n from ${this.#table} where rollout = ? group by state, canary`,
      [rollout],
      trx,
    );
    const count = (state: ClaimState, canary?: boolean) =>
      counts.filter((c) => c.state === state && (canary === undefined || Boolean(Number(c.canary)) === canary)).reduce((s, c) => s + Number(c.n), 0);
    const failed = count('failed');
    const canaryFailed = count('failed', true) > 0;
    const canaryOpen = count('pending', true) + count('running', true) > 0;
    if (failed >= Math.max(1, maxFailures)) return this.#overOrWait(canaryFailed ? 'canary-failed' : 'max-failures', trx);
    const onlyCanaries = canaryOpen || canaryFailed;
    const unknown = [...this.#unknown];
    const stale = `(heartbeat_at is null or heartbeat_at < ${NOW_MS[this.db.dialect]} - ?)`;
    const rows = await this.db.query<Row>(
      `select target, state, canary, worker, attempts from ${this.#table}` +
        ` where rollout = ? and (state = 'pending' or (state = 'running' and ${stale}))` +
        (onlyCanaries ? ' and canary = 1' : '') +
        (unknown.length > 0 ? ` and target not in (${unknown.map(() => '?').join(', ')})` : '') +
        ` order by position limit 1${this.db.dialect === 'sqlite' ? '' : ' for update skip locked'}`,
      [rollout, this.options.staleAfterMs, ...unknown],
      trx,
    );
    const row = rows[0];
    if (!row) return canaryFailed ? this.#overOrWait('canary-failed', trx) : this.#overOrWait(undefined, trx, unknown);
    await this.db.run(
      `update ${this.#table} set state = 'running', worker = ?, pid = ?, host = ?, heartbeat_at = ${NOW_MS[this.db.dialect]},` +
        ` claimed_at = ${NOW_MS[this.db.dialect]}, attempts = attempts + 1 where rollout = ? and target = ?`,
      [this.worker, process.pid, hostname(), rollout, row.target],
      trx,
    );
    return {
      claim: {
        target: row.target,
        canary: Boolean(Number(row.canary)),
        attempt: Number(row.attempts) + 1,
        ...(row.state === 'running' && row.worker ? { takenFrom: row.worker } : {}),
      },
    };
  }

  /**
   * Nothing to claim: wait while another worker still runs a target (it may die, or fail a canary), else the end. With
   * nothing stopping the rollout, a pending target this worker knows is a reason to wait too: SKIP LOCKED passed over
   * it because another worker's claim of it was not committed yet (it is pending in this read until then).
   */
  async #overOrWait(reason: SkipReason | undefined, trx: Transaction | undefined, unknown: string[] = []): Promise<NextClaim> {
    const pending = reason ? '' : ` or (state = 'pending'${unknown.length > 0 ? ` and target not in (${unknown.map(() => '?').join(', ')})` : ''})`;
    const [open] = await this.db.query<{ n: number | string }>(
      `select count(*) as n from ${this.#table} where rollout = ? and (state = 'running'${pending})`,
      [this.options.rollout, ...(reason ? [] : unknown)],
      trx,
    );
    if (Number(open?.n ?? 0) > 0) return { wait: true };
    return { over: reason ?? 'finished' };
  }

  /** Writes a claim's outcome (or gives it back, `pending`); only while this worker still holds it. */
  async finish(target: string, state: ClaimState, outcome?: { failure?: TargetFailure; done?: string[] }): Promise<void> {
    const worker = state === 'pending' ? 'null' : 'worker';
    // Under the rollout's lock, as a claim: a claim after this one commits counts this failure.
    await this.#atomically((trx) =>
      this.db.run(
        `update ${this.#table} set state = ?, worker = ${worker}, heartbeat_at = ${NOW_MS[this.db.dialect]}, result = ?` +
          ' where rollout = ? and target = ? and worker = ?',
        [state, outcome ? JSON.stringify(outcome) : null, this.options.rollout, target, this.worker],
        trx,
      ),
    );
  }

  /** Beats this worker's heart on every claim it runs, every third of the stale time, until stopped. */
  startHeartbeat(): void {
    const every = Math.max(100, Math.floor(this.options.staleAfterMs / 3));
    this.#heartbeat = setInterval(() => {
      void this.#serial(() =>
        this.db.run(`update ${this.#table} set heartbeat_at = ${NOW_MS[this.db.dialect]} where rollout = ? and worker = ? and state = 'running'`, [
          this.options.rollout,
          this.worker,
        ]),
      ).catch(() => undefined);
    }, every);
  }

  /** Every target of the rollout, in its order, with its state and (failed) what failed. */
  async rows(): Promise<ClaimRow[]> {
    const rows = await this.#serial(() =>
      this.db.query<Row>(`select target, state, worker, result from ${this.#table} where rollout = ? order by position`, [this.options.rollout]),
    );
    return rows.map((r) => {
      const result = r.result ? (JSON.parse(r.result) as { failure?: TargetFailure }) : undefined;
      return { target: r.target, state: r.state, worker: r.worker, ...(result?.failure ? { failure: result.failure } : {}) };
    });
  }

  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    await this.#queue.catch(() => undefined);
    await this.db.close();
  }

  get #table(): string {
    return this.db.table(CLAIMS_TABLE);
  }

  /** One statement (or transaction) at a time on the board's single connection. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * `fn` in one transaction under the rollout's lock: claims and outcomes go one at a time over every worker, so a
   * claim counts every failure recorded before it (read first, in the same transaction). PostgreSQL: a transaction's
   * advisory lock; MySQL/MariaDB: a named lock around the transaction; SQLite: BEGIN IMMEDIATE (the file's write lock).
   */
  #atomically<T>(fn: (trx: Transaction | undefined) => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      const key = rolloutLockKey(this.options.rollout);
      if (this.db.dialect === 'postgresql')
        return this.db.transaction(async (trx) => {
          await this.db.query('select pg_advisory_xact_lock(hashtext(?), hashtext(?))', [CLAIMS_TABLE, key], trx);
          return fn(trx);
        });
      if (this.db.dialect !== 'sqlite') {
        const [got] = await this.db.query<{ ok: number | string | null }>('select get_lock(?, ?) as ok', [key, LOCK_WAIT_SECONDS]);
        if (Number(got?.ok) !== 1) throw new Error(`the claims of fleet rollout "${this.options.rollout}" stayed locked for ${LOCK_WAIT_SECONDS} s`);
        try {
          return await this.db.transaction((trx) => fn(trx));
        } finally {
          await this.db.query('select release_lock(?)', [key]).catch(() => undefined);
        }
      }
      await this.db.run('begin immediate');
      try {
        const result = await fn(undefined);
        await this.db.run('commit');
        return result;
      } catch (error) {
        await this.db.run('rollback').catch(() => undefined);
        throw error;
      }
    });
  }
}

/** How long a worker waits for another's claim (a few statements) before it gives up. */
const LOCK_WAIT_SECONDS = 30;

/** The rollout's lock name: MySQL's names stop at 64 characters, a rollout's name may have 191. */
function rolloutLockKey(rollout: string): string {
  return `migrate_ui_fleet:${createHash('sha256').update(rollout).digest('hex').slice(0, 40)}`;
}

/** A claims table made before claims said when they were taken gets the column (once, by whichever worker comes first). */
async function addClaimedAt(db: Database): Promise<void> {
  const has = () =>
    db.query(`select claimed_at from ${db.table(CLAIMS_TABLE)} where 1 = 0`).then(
      () => true,
      () => false,
    );
  if (await has()) return;
  await db.run(`alter table ${db.table(CLAIMS_TABLE)} add column claimed_at bigint null`).catch(async (error: unknown) => {
    if (!(await has())) throw error;
  });
}

/** One target of a shared rollout as its claim stands now. */
export interface ClaimRecord {
  target: string;
  state: ClaimState;
  canary: boolean;
  /** host:pid:id of the worker that holds (or last held) it, with its pid and host. */
  worker: string | null;
  pid: number | null;
  host: string | null;
  /** When it was last claimed, and its last heartbeat (or outcome), in epoch ms of the database's clock. */
  claimedAt: number | null;
  heartbeatAt: number | null;
  attempts: number;
  done?: string[];
  failure?: TargetFailure;
}

/** Every claim of `rollout`, in its order, the database's clock now (epoch ms) and the rollout's plan. Writes nothing. */
export async function readClaims(db: Database, rollout: string): Promise<{ plan: string | null; now: number; claims: ClaimRecord[] }> {
  const table = db.table(CLAIMS_TABLE);
  const [clock] = await db.query<{ now: number | string }>(`select ${NOW_MS[db.dialect]} as now`);
  if (!(await db.tableExists(CLAIMS_TABLE))) return { plan: null, now: Number(clock?.now), claims: [] };
  const rows = await db
    .query<Row & { plan: string; pid: number | string | null; host: string | null; claimed_at: unknown; heartbeat_at: unknown }>(
      `select target, state, canary, plan, worker, pid, host, claimed_at, heartbeat_at, attempts, result from ${table} where rollout = ? order by position`,
      [rollout],
    )
    .catch(async (error: unknown) => {
      // A table of a version before claims said when they were taken: read without it.
      const rows = await db
        .query<Row & { plan: string; pid: number | string | null; host: string | null; heartbeat_at: unknown }>(
          `select target, state, canary, plan, worker, pid, host, heartbeat_at, attempts, result from ${table} where rollout = ? order by position`,
          [rollout],
        )
        .catch(() => Promise.reject(error));
      return rows.map((r) => ({ ...r, claimed_at: null }));
    });
  const ms = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const claims = rows.map((r): ClaimRecord => {
    const result = r.result ? (JSON.parse(r.result) as { failure?: TargetFailure; done?: string[] }) : undefined;
    return {
      target: r.target,
      state: r.state,
      canary: Boolean(Number(r.canary)),
      worker: r.worker,
      pid: r.pid === null ? null : Number(r.pid),
      host: r.host,
      claimedAt: ms(r.claimed_at),
      heartbeatAt: ms(r.heartbeat_at),
      attempts: Number(r.attempts),
      ...(result?.done ? { done: result.done } : {}),
      ...(result?.failure ? { failure: result.failure } : {}),
    };
  });
  return { plan: rows[0]?.plan ?? null, now: Number(clock?.now), claims };
}

import { randomUUID } from 'node:crypto';
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
        ' attempts = attempts + 1 where rollout = ? and target = ?',
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
    await this.#serial(() =>
      this.db.run(
        `update ${this.#table} set state = ?, worker = ${worker}, heartbeat_at = ${NOW_MS[this.db.dialect]}, result = ?` +
          ' where rollout = ? and target = ? and worker = ?',
        [state, outcome ? JSON.stringify(outcome) : null, this.options.rollout, target, this.worker],
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

  /** `fn` in one transaction; SQLite's is BEGIN IMMEDIATE (the file's write lock first), which stands in for SKIP LOCKED. */
  #atomically<T>(fn: (trx: Transaction | undefined) => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      if (this.db.dialect !== 'sqlite') return this.db.transaction((trx) => fn(trx));
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

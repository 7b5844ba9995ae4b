import type { Database, Transaction } from '../database.js';
import type { DataControl } from './control.js';
import type { DatabaseReader } from '../reader.js';
import { isMissingTable } from '../orm/index.js';
import { PROGRESS_TABLE } from './kind.js';
import { COLUMNS, type ProgressRow, parse, type RawRow, type StepStatus } from './progress-row.js';

export type { ProgressRow, StepStatus } from './progress-row.js';

/** Every step row (of one revision when given), by revision and step, through any reader; empty when the table does not exist yet. */
export async function readProgress(db: DatabaseReader, revision?: string, trx?: Transaction): Promise<ProgressRow[]> {
  const filter = revision === undefined ? '' : ' where revision = ?';
  try {
    const rows = await db.query<RawRow>(
      `select ${COLUMNS} from ${db.table(PROGRESS_TABLE)}${filter} order by revision, step`,
      revision === undefined ? [] : [revision],
      trx,
    );
    return rows.map(parse);
  } catch (error) {
    if (isMissingTable(error)) return [];
    throw error;
  }
}

/** The checkpoint table: read by anyone, written by the run that holds a step, its status also by pause/resume/cancel. */
export class ProgressStore {
  constructor(private readonly db: Database) {}

  get #table(): string {
    return this.db.table(PROGRESS_TABLE);
  }

  async ensureTable(): Promise<void> {
    const columns = [
      'revision varchar(255) not null',
      'step integer not null',
      'status varchar(16) not null',
      'rows_done bigint not null',
      'rows_total bigint',
      'last_key text',
      'batch_size integer not null',
      'started_at bigint not null',
      'updated_at bigint not null',
      'holder varchar(255)',
      'primary key (revision, step)',
    ];
    await this.db.run(`create table if not exists ${this.#table} (${columns.join(', ')})`);
  }

  /** Every step row (of one revision when given), by revision and step; empty when the table does not exist yet. */
  async read(revision?: string, trx?: Transaction): Promise<ProgressRow[]> {
    return readProgress(this.db, revision, trx);
  }

  /** Creates a step's row, running and held by `holder`, unless it exists. */
  async create(revision: string, step: number, holder: string, batchSize: number, trx?: Transaction): Promise<void> {
    const now = Date.now();
    const exists = await this.db.query(`select step from ${this.#table} where revision = ? and step = ?`, [revision, step], trx);
    if (exists.length > 0) return;
    await this.db.run(
      `insert into ${this.#table} (${COLUMNS}) values (?, ?, 'running', 0, null, null, ?, ?, ?, ?)`,
      [revision, step, batchSize, now, now, holder],
      trx,
    );
  }

  /** Takes a step over from its previous holder (compare and set); a step that was paused, cancelled or failed runs again. */
  async takeOver(row: ProgressRow, holder: string): Promise<boolean> {
    const sameHolder = row.holder === null ? 'holder is null' : 'holder = ?';
    const params = [holder, Date.now(), row.revision, row.step, ...(row.holder === null ? [] : [row.holder])];
    const changed = await this.db.run(
      `update ${this.#table} set holder = ?, status = 'running', updated_at = ? where revision = ? and step = ? and status <> 'done' and ${sameHolder}`,
      params,
    );
    return changed === 1;
  }

  /**
   * The heartbeat, as the first write of a batch's transaction (on SQLite it takes the write lock at once): only
   * while `holder` still holds the step, and `guard` (the run lock) still holds. False when either is lost.
   */
  async beat(revision: string, step: number, holder: string, trx?: Transaction, guard?: { sql: string; params: unknown[] }): Promise<boolean> {
    const extra = guard ? ` and ${guard.sql}` : '';
    const changed = await this.db.run(
      `update ${this.#table} set updated_at = ? where revision = ? and step = ? and holder = ?${extra}`,
      [Date.now(), revision, step, holder, ...(guard?.params ?? [])],
      trx,
    );
    return changed === 1;
  }

  /**
   * The checkpoint of a batch, in the batch's transaction, written only while `holder` still holds the step and `guard`
   * (the run lock) still holds. Returns the step's status as it stands then (`running`, or what another process set:
   * `paused`, `cancelled`; the checkpoint is written all the same and the status left alone), or undefined when the
   * step or the lock was lost and the batch must not commit. After the step's last batch (`done`) it ends the step.
   */
  async checkpoint(
    trx: Transaction,
    row: { revision: string; step: number; holder: string; rowsDone: number; rowsTotal: number | null; lastKey: unknown[] | null; batchSize: number },
    options: { done?: boolean; guard?: { sql: string; params: unknown[] } } = {},
  ): Promise<StepStatus | undefined> {
    const { done = false, guard } = options;
    const write = (whileRunning: boolean) =>
      this.db.run(
        `update ${this.#table} set ${done ? `status = 'done', ` : ''}rows_done = ?, rows_total = ?, last_key = ?, batch_size = ?, updated_at = ? where revision = ? and step = ? and holder = ?${guard ? ` and ${guard.sql}` : ''}${whileRunning ? ` and status = 'running'` : ''}`,
        [
          row.rowsDone,
          done ? row.rowsDone : row.rowsTotal,
          row.lastKey ? JSON.stringify(row.lastKey) : null,
          row.batchSize,
          Date.now(),
          row.revision,
          row.step,
          row.holder,
          ...(guard?.params ?? []),
        ],
        trx,
      );
    // Written while the step runs (nearly always): that is also its status, with no read between batches.
    if ((await write(true)) === 1) return done ? 'done' : 'running';
    const [now] = await this.db.query<{ status: string; holder: string | null }>(
      `select status, holder from ${this.#table} where revision = ? and step = ?`,
      [row.revision, row.step],
      trx,
    );
    if (now?.holder !== row.holder || (await write(false)) !== 1) return undefined;
    return done ? 'done' : (now.status as StepStatus);
  }

  /** Writes a step's status as its holder (done, failed, or cancelled when the run stopped). */
  async finish(revision: string, step: number, holder: string, status: StepStatus, rowsTotal?: number): Promise<void> {
    const total = rowsTotal === undefined ? '' : ', rows_total = ?';
    await this.db.run(`update ${this.#table} set status = ?, updated_at = ?${total} where revision = ? and step = ? and holder = ?`, [
      status,
      Date.now(),
      ...(rowsTotal === undefined ? [] : [rowsTotal]),
      revision,
      step,
      holder,
    ]);
  }

  /** A step's status as stored now (what another process may have set). */
  async status(revision: string, step: number): Promise<StepStatus | undefined> {
    const [row] = await this.db.query<{ status: string }>(`select status from ${this.#table} where revision = ? and step = ?`, [revision, step]);
    return row?.status as StepStatus | undefined;
  }

  /** Pause, resume or cancel a revision's unfinished steps from any process; returns how many steps changed. */
  async control(revision: string, action: DataControl): Promise<number> {
    const [to, from] = {
      pause: ['paused', ['running']],
      resume: ['running', ['paused']],
      cancel: ['cancelled', ['running', 'paused']],
    }[action] as [StepStatus, StepStatus[]];
    try {
      return await this.db.run(`update ${this.#table} set status = ? where revision = ? and status in (${from.map(() => '?').join(', ')})`, [
        to,
        revision,
        ...from,
      ]);
    } catch (error) {
      if (isMissingTable(error)) return 0;
      throw error;
    }
  }
}

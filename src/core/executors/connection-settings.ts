import type { Database } from '../database.js';
import { orm } from '../orm/index.js';

/** A statement that may change a setting of the connection. */
const CHANGES_SETTING = /(^|;)\s*(set|reset)\b|\bset_config\s*\(/i;

/** What MikroORM's runner sends around a revision's queries: settings for the connection before, their undoing after. */
export interface Frame {
  opening: string[];
  closing: string[];
}

/**
 * MikroORM opens each revision's queries with settings for the connection (`set names …` on PostgreSQL and MySQL).
 * A run holds one connection, where a setting stays until something changes it: an opening that nothing closes is
 * sent with the first revision, and again only after another statement that may change a setting went through the
 * connection, or a revision failed (its rollback may take the setting back). An opening that its closing undoes
 * (disableForeignKeys) is sent every time, as MikroORM sends it.
 */
export class ConnectionSettings {
  /** The opening in effect on the connection, and #changes when it was last sent or confirmed. */
  #kept: { opening: string; at: number } | undefined;
  /** Statements seen on the connection that may change a setting. */
  #changes = 0;
  /** #changes when the current revision started. */
  #started = 0;

  constructor(db: Database) {
    // Every statement of the session passes here, a transaction's included.
    orm.onQuery(db.driver, (sql) => {
      if (CHANGES_SETTING.test(sql)) this.#changes++;
    });
  }

  /** Before a revision's migration runs (its up() or down() may send statements of its own). */
  start(): void {
    this.#started = this.#changes;
  }

  /** How many leading `queries` (the revision's, as MikroORM framed them) need not be sent: the opening, while in effect. */
  leaveOut(frame: Frame, queries: unknown[]): number {
    const { opening, closing } = frame;
    if (opening.length === 0 || closing.length > 0 || this.#kept?.opening !== opening.join('\n') || this.#kept.at !== this.#changes) return 0;
    return opening.every((sql, i) => queries[i] === sql) ? opening.length : 0;
  }

  /** After a revision's queries were sent, `left` of them left out: its opening is in effect unless it changed a setting itself. */
  ran(frame: Frame, left: number): void {
    const sent = left > 0 ? 0 : frame.opening.filter((sql) => CHANGES_SETTING.test(sql)).length;
    const own = this.#changes - this.#started - sent;
    this.#kept = frame.closing.length === 0 && own === 0 ? { opening: frame.opening.join('\n'), at: this.#changes } : undefined;
  }

  /** A revision failed, or ran where its statements were not sent one by one here: the next one sends its opening again. */
  forget(): void {
    this.#kept = undefined;
  }
}

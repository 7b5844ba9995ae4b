import type { Database, Transaction } from './database.js';
import { mikroOrm } from './modules.js';
import type { RevisionKind } from './revisions.js';

/** A revision recorded in MikroORM's table, with our checksum where we applied it. */
export interface AppliedRevision {
  name: string;
  appliedAt: Date | null;
  /** Null when another tool (MikroORM's CLI) applied it. */
  checksum: string | null;
}

export const REVISIONS_TABLE = 'migrate_ui_revisions';

/** Reads and writes what has been applied: MikroORM's own table (shape untouched) plus our checksum side table. */
export class History {
  constructor(private readonly db: Database) {}

  private get table(): { name: string; schema?: string } {
    const [first, second] = this.db.config.migrationsTable.split('.');
    return second ? { schema: first, name: second } : { name: first };
  }

  private qualified(): string {
    const { name, schema } = this.table;
    return schema ? `${this.db.quote(schema)}.${this.db.quote(name)}` : this.db.quote(name);
  }

  /** The applied revisions in the order they were applied; empty when nothing was ever applied. Writes nothing. */
  async readApplied(trx?: Transaction): Promise<AppliedRevision[]> {
    let rows: Array<{ name: string; executed_at: unknown }>;
    try {
      rows = await this.db.query(`select name, executed_at from ${this.qualified()} order by id`, [], trx);
    } catch (error) {
      if (!(await this.db.tableExists(this.table.name))) return [];
      throw error;
    }
    const checksums = new Map<string, string | null>();
    try {
      const sums = await this.db.query<{ name: string; checksum: string | null }>(`select name, checksum from ${REVISIONS_TABLE}`, [], trx);
      for (const row of sums) checksums.set(row.name, row.checksum);
    } catch {
      // No side table yet: every revision was applied by another tool.
    }
    return rows.map((row) => {
      const name = String(row.name).replace(/\.(ts|js)$/, '');
      return { name, appliedAt: parseTimestamp(row.executed_at), checksum: checksums.get(name) ?? null };
    });
  }

  /** Creates MikroORM's table (through its own storage, so the shape is exactly MikroORM's) and our side table. */
  async ensureTables(): Promise<void> {
    const { MigrationStorage } = mikroOrm<typeof import('@mikro-orm/migrations')>('@mikro-orm/migrations');
    const storage = new MigrationStorage(this.db.driver, this.db.mikroConfig.get('migrations'));
    await storage.ensureTable();
    await this.db.run(
      `create table if not exists ${REVISIONS_TABLE} (name varchar(255) not null primary key, checksum varchar(64), kind varchar(16) not null, applied_at bigint not null)`,
    );
  }

  /** Records `name` as applied, in the revision's own transaction where there is one. */
  async record(name: string, checksum: string, kind: RevisionKind, trx?: Transaction): Promise<void> {
    const knex = this.db.knex;
    const { name: table, schema } = this.table;
    const insert = knex.insert({ name }).into(table);
    if (schema) insert.withSchema(schema);
    await this.db.run(insert, [], trx);
    await this.db.run(`delete from ${REVISIONS_TABLE} where name = ?`, [name], trx);
    await this.db.run(`insert into ${REVISIONS_TABLE} (name, checksum, kind, applied_at) values (?, ?, ?, ?)`, [name, checksum, kind, Date.now()], trx);
  }

  /** Removes `name` from both tables (also MikroORM's older names with an extension). */
  async unrecord(name: string, trx?: Transaction): Promise<void> {
    const knex = this.db.knex;
    const { name: table, schema } = this.table;
    const del = knex(table).whereIn('name', [name, `${name}.ts`, `${name}.js`]).delete();
    if (schema) del.withSchema(schema);
    await this.db.run(del, [], trx);
    await this.db.run(`delete from ${REVISIONS_TABLE} where name = ?`, [name], trx);
  }
}

function parseTimestamp(value: unknown): Date | null {
  if (value == null) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  if (/^\d+$/.test(text)) return new Date(Number(text));
  let iso = text.replace(' ', 'T');
  // PostgreSQL's timestamptz text ends in an hour-only zone (+00), which Date does not parse.
  if (/T\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d$/.test(iso)) iso += ':00';
  // SQLite's CURRENT_TIMESTAMP is UTC without a zone.
  else if (!/[zZ]|[+-]\d\d:?\d\d$/.test(iso)) iso += 'Z';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

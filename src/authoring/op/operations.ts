import type { Platform } from '@mikro-orm/core';
import type { ColumnSpec, ReferentialAction } from '../spec.js';
import { columnType, defaultSql, type SqlDialect } from './column-sql.js';
import {
  foreignKeyViolations,
  newViolation,
  PREVIEW_TABLES,
  readSqliteTable,
  rebuildSqliteTable,
  referencedRebuildProblem,
  type SqliteTable,
  type TableProvider,
} from '../../core/sqlite-table.js';
import { splitStatements } from '../../core/sql/tokens.js';
import * as ddl from './ddl.js';

/**
 * What the operations need of a MikroORM migration: the base class's own methods, on MikroORM 6 and 7 alike (and
 * its driver, which is protected: see platformOf).
 */
export interface MigrationLike {
  addSql(sql: string): void;
  execute(sql: string): Promise<unknown>;
}

/**
 * The platform of the migration's driver. MikroORM 6's and 7's Migration both hold the driver as `this.driver`
 * (protected), so it is read here and nowhere else.
 */
function platformOf(migration: MigrationLike): Platform {
  return (migration as unknown as { driver: { getPlatform(): Platform } }).driver.getPlatform();
}

/** The dialect of a platform, from its class or the one it extends (MySqlPlatform, MariaDbPlatform, BetterSqlitePlatform…). */
export function dialectOf(platform: Platform): SqlDialect {
  for (let type = platform.constructor; type && type !== Object; type = Object.getPrototypeOf(type)) {
    if (/sqlite/i.test(type.name)) return 'sqlite';
    if (/postgre/i.test(type.name)) return 'postgresql';
    if (/mysql|mariadb/i.test(type.name)) return 'mysql';
  }
  throw new Error(`migrate-ui's operations run on SQLite, PostgreSQL and MySQL/MariaDB, not on ${platform.constructor.name}`);
}

export interface ForeignKeyOptions {
  name?: string;
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  /**
   * The index MikroORM gives a many-to-one's columns on databases that index foreign keys (SQLite, MySQL; not
   * PostgreSQL), made before the key so the entity and the schema agree. Given only where no index covers them yet.
   */
  index?: string;
  /** The referenced key is a numeric primary key, which MySQL has unsigned: the columns become unsigned to match (MySQL only). */
  unsigned?: boolean;
}

/** A foreign key a new table is created with: its columns, what they reference, and addForeignKey's options. */
export interface ForeignKeyCall extends ForeignKeyOptions {
  columns: string[];
  references: { table: string; columns: string[] };
}

/**
 * The operations of a generated revision, rendered at run time for the connected database through MikroORM's
 * platform (column types, as entities get them) and our own statement writer (./ddl.ts): the same
 * file applies on SQLite, PostgreSQL and MySQL/MariaDB. Each statement runs at once through the migration's
 * execute(), in the revision's transaction, so a later step (a backfill, a SQLite rebuild) sees the earlier ones.
 * Use as `const op = ops(this)` in up() and down().
 */
export class Operations {
  readonly #platform: Platform;
  readonly dialect: SqlDialect;
  /** SQLite tables as this revision has left them so far (a rebuild must see the revision's own earlier changes). */
  readonly #sqliteTables = new Map<string, SqliteTable>();
  /** Changes to SQLite tables not read yet, applied when (if) one is read for a rebuild. */
  readonly #pending = new Map<string, Array<(model: SqliteTable) => void>>();

  constructor(private readonly migration: MigrationLike) {
    this.#platform = platformOf(migration);
    this.dialect = dialectOf(this.#platform);
  }

  async #run(statements: string | string[]): Promise<void> {
    for (const sql of typeof statements === 'string' ? [statements] : statements) await this.migration.execute(sql);
  }

  async #query<T>(sql: string): Promise<T[]> {
    return (await this.migration.execute(sql)) as T[];
  }

  #column(column: ColumnSpec): ddl.ColumnDefinition {
    return { name: column.name, type: columnType(this.#platform, column), nullable: Boolean(column.nullable), default: defaultSql(column.default) };
  }

  /**
   * Creates a table; its primary key is the columns marked `primary`, its unique columns get unique indexes. Its
   * `foreignKeys` are added as addForeignKey adds them, except on SQLite, where they are part of the CREATE TABLE
   * (adding one later rebuilds the table).
   */
  async createTable(table: string, columns: ColumnSpec[], options: { foreignKeys?: ForeignKeyCall[] } = {}): Promise<void> {
    const foreignKeys = options.foreignKeys ?? [];
    const sqlite = this.dialect === 'sqlite';
    await this.#run(
      ddl.createTable(this.dialect, table, {
        // The database numbers it: each database's own form (autoincrement, serial, auto_increment).
        columns: columns.map((c) => (c.autoincrement ? { name: c.name, increments: c.type === 'bigint' ? 'bigint' : 'integer' } : this.#column(c))),
        primary: columns.filter((c) => c.primary && !c.autoincrement).map((c) => c.name),
        unique: columns.filter((c) => c.unique).map((c) => ({ name: `${table}_${c.name}_unique`, columns: [c.name] })),
        foreignKeys: sqlite
          ? foreignKeys.map((k) => ({
              name: k.name ?? `${table}_${k.columns.join('_')}_foreign`,
              columns: k.columns,
              table: k.references.table,
              references: k.references.columns,
              onDelete: k.onDelete,
              onUpdate: k.onUpdate,
            }))
          : undefined,
      }),
    );
    if (!sqlite) {
      for (const { columns: keyColumns, references, ...keyOptions } of foreignKeys)
        await this.addForeignKey(table, keyColumns, references, keyOptions);
      return;
    }
    // A table this revision creates is known whole: a later rebuild of it in the same revision needs no read.
    const toModel = (c: ColumnSpec, i: number) => ({
      name: c.name,
      type: columnType(this.#platform, c),
      notNull: !c.nullable,
      default: defaultSql(c.default) ?? null,
      pk: c.primary ? columns.filter((p) => p.primary).indexOf(c) + 1 || i + 1 : 0,
    });
    const autoincrement = columns.some((c) => c.autoincrement);
    const keys = foreignKeys.map((k) => ({
      columns: k.columns,
      table: k.references.table,
      references: k.references.columns,
      onDelete: (k.onDelete ?? 'no action').toUpperCase(),
      onUpdate: (k.onUpdate ?? 'no action').toUpperCase(),
    }));
    this.#sqliteTables.set(table, { name: table, columns: columns.map(toModel), foreignKeys: keys, indexes: [], autoincrement });
    this.#pending.delete(table);
    // The index MikroORM gives a many-to-one's columns, as addForeignKey makes it.
    for (const k of foreignKeys) if (k.index) await this.createIndex(table, k.columns, { name: k.index });
  }

  async dropTable(table: string): Promise<void> {
    await this.#run(ddl.dropTable(this.dialect, table));
    this.#sqliteTables.delete(table);
    this.#pending.delete(table);
  }

  /**
   * Renames a table. Names MikroORM derives from the table follow it, where the database has them (old name → new):
   * `foreignKeys` (PostgreSQL and MySQL keep constraint names; SQLite has none to keep), and `indexes`, those made
   * for the foreign keys (SQLite and MySQL index foreign keys, PostgreSQL does not).
   */
  async renameTable(
    from: string,
    to: string,
    options: { foreignKeys?: Record<string, string>; indexes?: Record<string, string> } = {},
  ): Promise<void> {
    await this.#run(ddl.renameTable(this.dialect, from, to));
    const model = this.#sqliteTables.get(from);
    if (model) this.#sqliteTables.set(to, { ...model, name: to });
    this.#sqliteTables.delete(from);
    // Changes not applied yet follow the table to its new name; it is read under that name.
    const pending = this.#pending.get(from);
    if (pending) this.#pending.set(to, pending);
    this.#pending.delete(from);
    for (const [old, next] of Object.entries(options.foreignKeys ?? {})) await this.#renameForeignKeyIfPresent(to, old, next);
    for (const [old, next] of Object.entries(options.indexes ?? {})) await this.#renameIndexIfPresent(to, old, next);
  }

  async #renameForeignKeyIfPresent(table: string, from: string, to: string): Promise<void> {
    if (this.dialect === 'sqlite') return;
    if (this.dialect === 'postgresql') {
      const query = ddl.select(this.dialect, {
        columns: ['constraint_name'],
        from: 'information_schema.table_constraints',
        where: [
          'table_schema = current_schema()',
          ['table_name', '=', table],
          ['constraint_name', '=', from],
          ['constraint_type', '=', 'FOREIGN KEY'],
        ],
      });
      if ((await this.#query(query)).length === 0) return;
      await this.#run(ddl.renameConstraint(this.dialect, table, from, to));
      return;
    }
    // MySQL cannot rename a foreign key: it is dropped and added again under the new name, rules and all.
    const query = ddl.select(this.dialect, {
      columns: [
        'k.column_name as column',
        'k.referenced_table_name as target',
        'k.referenced_column_name as referenced',
        'rc.delete_rule as onDelete',
        'rc.update_rule as onUpdate',
      ],
      from: 'information_schema.referential_constraints as rc',
      join: {
        table: 'information_schema.key_column_usage as k',
        on: [
          ['k.constraint_schema', 'rc.constraint_schema'],
          ['k.constraint_name', 'rc.constraint_name'],
          ['k.table_name', 'rc.table_name'],
        ],
      },
      where: ['rc.constraint_schema = database()', ['rc.table_name', '=', table], ['rc.constraint_name', '=', from]],
      orderBy: 'k.ordinal_position',
    });
    const rows = await this.#query<Record<string, string>>(query);
    if (rows.length === 0) return;
    const list = (key: string) => rows.map((r) => this.#quote(r[key])).join(', ');
    await this.#run(ddl.dropForeignKey(this.dialect, table, from));
    await this.migration.execute(
      `alter table ${this.#quote(table)} add constraint ${this.#quote(to)} foreign key (${list('column')}) references ${this.#quote(rows[0].target)} (${list('referenced')}) on delete ${rows[0].onDelete.toLowerCase()} on update ${rows[0].onUpdate.toLowerCase()}`,
    );
  }

  async #renameIndexIfPresent(table: string, from: string, to: string): Promise<void> {
    if (this.dialect === 'sqlite') {
      const query = ddl.select(this.dialect, {
        columns: ['sql'],
        from: 'sqlite_master',
        where: [
          ['type', '=', 'index'],
          ['name', '=', from],
          ['tbl_name', '=', table],
        ],
      });
      const [row] = await this.#query<{ sql: string }>(query);
      if (!row?.sql) return;
      // SQLite cannot rename an index: made again under the new name.
      const statement = row.sql.replace(/^(create (unique )?index )(\S+)/i, `$1${this.#quote(to)}`);
      await this.#run(ddl.dropIndex(this.dialect, table, from));
      await this.migration.execute(statement);
      const cached = this.#sqliteTables.get(table);
      if (cached) cached.indexes = cached.indexes.map((i) => (i === row.sql ? statement : i));
      return;
    }
    if ((await this.#query(this.#indexQuery(table, from))).length === 0) return;
    await this.#run(ddl.renameIndex(this.dialect, table, from, to));
  }

  /** The query that finds an index by name on MySQL or PostgreSQL (no row: none). */
  #indexQuery(table: string, name: string): string {
    if (this.dialect === 'mysql') {
      return ddl.select(this.dialect, {
        columns: ['index_name'],
        from: 'information_schema.statistics',
        where: ['table_schema = database()', ['table_name', '=', table], ['index_name', '=', name]],
      });
    }
    return ddl.select(this.dialect, {
      columns: ['indexname'],
      from: 'pg_indexes',
      where: ['schemaname = current_schema()', ['tablename', '=', table], ['indexname', '=', name]],
    });
  }

  async addColumn(table: string, column: ColumnSpec): Promise<void> {
    await this.#run(ddl.addColumn(this.dialect, table, this.#column(column)));
    if (column.unique) await this.createIndex(table, [column.name], { unique: true, name: `${table}_${column.name}_unique` });
    await this.#sqliteChanged(table, (model) => {
      model.columns.push({
        name: column.name,
        type: columnType(this.#platform, column),
        notNull: !column.nullable,
        default: defaultSql(column.default) ?? null,
        pk: 0,
      });
    });
  }

  /** Sets a column to one value in every row: a NOT NULL column restored by down() is filled before it is NOT NULL again. */
  async fillColumn(table: string, column: string, value: string | number | boolean): Promise<void> {
    await this.#run(ddl.update(this.dialect, table, { [column]: value }));
  }

  async dropColumn(table: string, column: string): Promise<void> {
    // SQLite 3.35+ drops a column itself, as MikroORM does (knex rebuilt the table to do it).
    await this.#run(ddl.dropColumn(this.dialect, table, column));
    await this.#sqliteChanged(table, (model) => {
      model.columns = model.columns.filter((c) => c.name !== column);
    });
  }

  async renameColumn(table: string, from: string, to: string): Promise<void> {
    // Every database here knows RENAME COLUMN (knex asked MySQL for the column's type, for the old CHANGE syntax).
    await this.#run(ddl.renameColumn(this.dialect, table, from, to));
    await this.#sqliteChanged(table, (model) => {
      for (const c of model.columns) if (c.name === from) c.name = to;
    });
  }

  /** Gives a column this whole definition (type, nullability, default). On SQLite the table is rebuilt. */
  async alterColumn(table: string, column: ColumnSpec): Promise<void> {
    if (this.dialect === 'sqlite') {
      return this.#rebuild(table, (model) => {
        const target = model.columns.find((c) => c.name === column.name);
        if (!target) throw new Error(`table ${table} has no column ${column.name}`);
        Object.assign(target, { type: columnType(this.#platform, column), notNull: !column.nullable, default: defaultSql(column.default) ?? null });
      });
    }
    await this.#run(ddl.alterColumn(this.dialect, table, this.#column(column)));
    // PostgreSQL's default stays when none is given (as knex left it); MySQL's MODIFY already dropped it.
    if (this.dialect === 'postgresql' && defaultSql(column.default) === undefined && !column.autoincrement) {
      await this.migration.execute(`alter table ${this.#quote(table)} alter column ${this.#quote(column.name)} drop default`);
    }
  }

  async createIndex(table: string, columns: string[], options: { name: string; unique?: boolean }): Promise<void> {
    await this.#run(ddl.createIndex(this.dialect, table, columns, options));
    await this.#sqliteChanged(table, (model) => {
      model.indexes.push(
        `create ${options.unique ? 'unique ' : ''}index ${this.#quote(options.name)} on ${this.#quote(table)} (${columns.map((c) => this.#quote(c)).join(', ')})`,
      );
    });
  }

  async dropIndex(table: string, name: string, options: { unique?: boolean } = {}): Promise<void> {
    await this.#run(ddl.dropIndex(this.dialect, table, name, options));
    await this.#sqliteChanged(table, (model) => {
      model.indexes = model.indexes.filter((sql) => indexNameOf(sql) !== name);
    });
  }

  /**
   * Renames an index (a unique constraint's too). SQLite cannot rename one: it is made again under the new name from
   * `columns` and `unique`, which the file says for that reason.
   */
  async renameIndex(table: string, from: string, to: string, options: { columns: string[]; unique?: boolean }): Promise<void> {
    if (this.dialect === 'sqlite') {
      await this.dropIndex(table, from);
      return this.createIndex(table, options.columns, { name: to, unique: options.unique });
    }
    await this.#run(ddl.renameIndex(this.dialect, table, from, to));
  }

  /** Adds a named check constraint; on SQLite the table is rebuilt with it. */
  async addCheck(table: string, name: string, expression: string): Promise<void> {
    if (this.dialect === 'sqlite') {
      return this.#rebuild(table, (model) => {
        model.checks = [...(model.checks ?? []), { name, expression }];
      });
    }
    await this.#run(ddl.addCheck(this.dialect, table, name, expression));
  }

  /** Drops a named check constraint; on SQLite the table is rebuilt without it. */
  async dropCheck(table: string, name: string): Promise<void> {
    if (this.dialect === 'sqlite') {
      return this.#rebuild(table, (model) => {
        model.checks = (model.checks ?? []).filter((c) => c.name !== name);
      });
    }
    await this.#run(ddl.dropConstraint(this.dialect, table, name));
  }

  async addForeignKey(
    table: string,
    columns: string[],
    references: { table: string; columns: string[] },
    options: ForeignKeyOptions = {},
  ): Promise<void> {
    const name = options.name ?? `${table}_${columns.join('_')}_foreign`;
    if (options.index && this.#platform.indexForeignKeys()) await this.createIndex(table, columns, { name: options.index });
    if (options.unsigned) await this.#setUnsigned(table, columns, true);
    if (this.dialect === 'sqlite') {
      return this.#rebuild(table, (model) => {
        model.foreignKeys.push({
          columns,
          table: references.table,
          references: references.columns,
          onDelete: (options.onDelete ?? 'no action').toUpperCase(),
          onUpdate: (options.onUpdate ?? 'no action').toUpperCase(),
        });
      });
    }
    await this.#run(
      ddl.addForeignKey(this.dialect, table, {
        name,
        columns,
        table: references.table,
        references: references.columns,
        onDelete: options.onDelete,
        onUpdate: options.onUpdate,
      }),
    );
  }

  async dropForeignKey(table: string, columns: string[], options: { name?: string; index?: string; unsigned?: boolean } = {}): Promise<void> {
    await this.#dropForeignKey(table, columns, options.name ?? `${table}_${columns.join('_')}_foreign`);
    // The index addForeignKey made for the key goes with it, and the columns are signed again.
    if (options.index && this.#platform.indexForeignKeys()) await this.dropIndex(table, options.index);
    if (options.unsigned) await this.#setUnsigned(table, columns, false);
  }

  /** MySQL: the columns' integer type made unsigned (or signed again), nullability and default kept. */
  async #setUnsigned(table: string, columns: string[], unsigned: boolean): Promise<void> {
    if (this.dialect !== 'mysql') return;
    const query = ddl.select(this.dialect, {
      columns: ['column_name as name', 'column_type as type', 'is_nullable as nullable', 'column_default as value'],
      from: 'information_schema.columns',
      where: ['table_schema = database()', ['table_name', '=', table], ['column_name', 'in', columns]],
    });
    const rows = await this.#query<{ name: string; type: string; nullable: string; value: string | null }>(query);
    for (const row of rows) {
      const signed = row.type.replace(/\s+unsigned\b/i, '');
      if (!/int\b/i.test(signed) || /unsigned/i.test(row.type) === unsigned) continue;
      const numeric = row.value !== null && /^-?\d+$/.test(row.value) ? ` default ${row.value}` : '';
      await this.migration.execute(
        `alter table ${this.#quote(table)} modify ${this.#quote(row.name)} ${signed}${unsigned ? ' unsigned' : ''} ${row.nullable === 'YES' ? 'null' : 'not null'}${numeric}`,
      );
    }
  }

  async #dropForeignKey(table: string, columns: string[], name: string): Promise<void> {
    if (this.dialect === 'sqlite') {
      return this.#rebuild(table, (model) => {
        model.foreignKeys = model.foreignKeys.filter((fk) => fk.columns.join() !== columns.join());
      });
    }
    await this.#run(ddl.dropForeignKey(this.dialect, table, name));
    if (this.dialect !== 'mysql') return;
    // MySQL gave the foreign key an index of its own name where none covered its columns; it stays when the key
    // goes, so it goes too: down() leaves the table as it found it.
    if ((await this.#query(this.#indexQuery(table, name))).length > 0) await this.#run(ddl.dropIndex(this.dialect, table, name));
  }

  /**
   * Sets columns to SQL expressions in batches of `batchSize` rows along `key` (never OFFSET), each batch its own
   * statement: in a revision that is not transactional each batch commits, and a run cut short resumes where the
   * `where` still matches.
   */
  async backfill(table: string, set: Record<string, string>, options: { where?: string; key?: string; batchSize?: number } = {}): Promise<void> {
    const key = options.key ?? 'id';
    const values = Object.fromEntries(Object.entries(set).map(([column, sql]) => [column, { sql }]));
    // In parentheses: `a or b` must not bind across the key's condition beside it (knex left it bare).
    const filter: ddl.Condition[] = options.where ? [`(${options.where})`] : [];
    let last: unknown;
    for (;;) {
      const after: ddl.Condition[] = last === undefined ? [] : [[key, '>', last]];
      const page = ddl.select(this.dialect, {
        columns: [key],
        from: table,
        where: [...filter, ...after],
        orderBy: key,
        limit: options.batchSize ?? 1000,
      });
      const rows = await this.#query<Record<string, unknown>>(page);
      if (rows.length === 0) return;
      const range = [rows[0][key], rows[rows.length - 1][key]] as const;
      await this.#run(ddl.update(this.dialect, table, values, [[key, 'between', range], ...filter]));
      last = range[1];
    }
  }

  /** Raw SQL, as written; several statements separated by `;` run one by one (MikroORM 7's SQLite and MySQL take one a call). */
  async sql(statement: string): Promise<void> {
    await this.#run(splitStatements(statement, this.dialect));
  }

  #quote(name: string): string {
    return ddl.quote(this.dialect, name);
  }

  async #model(table: string): Promise<SqliteTable> {
    const provider = (this.migration as unknown as { driver: Record<symbol, TableProvider | undefined> }).driver[PREVIEW_TABLES];
    // A real run has executed this revision's earlier statements: the database shows the table as it is now.
    if (!provider) return readSqliteTable((sql) => this.migration.execute(sql) as Promise<Array<Record<string, unknown>>>, table);
    // A preview executed nothing: replay this revision's earlier changes on what the database shows.
    const known = this.#sqliteTables.get(table);
    if (known) return known;
    const model = await provider(table);
    for (const change of this.#pending.get(table) ?? []) change(model);
    this.#pending.delete(table);
    this.#sqliteTables.set(table, model);
    return model;
  }

  /** Keeps the model of a SQLite table up to date, or remembers the change until the table is read. */
  async #sqliteChanged(table: string, change: (model: SqliteTable) => void): Promise<void> {
    if (this.dialect !== 'sqlite') return;
    const model = this.#sqliteTables.get(table);
    if (model) change(model);
    else this.#pending.set(table, [...(this.#pending.get(table) ?? []), change]);
  }

  async #rebuild(table: string, change: (model: SqliteTable) => void): Promise<void> {
    const from = await this.#model(table);
    const to: SqliteTable = structuredClone(from);
    change(to);
    const read = (sql: string) => this.migration.execute(sql) as Promise<Array<Record<string, unknown>>>;
    // Dropping a referenced table with enforcement on would cascade or orphan: migrate-ui up turns it off before the
    // revision's transaction; anywhere else (MikroORM's migration:up) it is on, and the rebuild refuses.
    const referenced = !this.#previewing() && (from.referencedBy?.length ?? 0) > 0;
    if (referenced && Number((await read('pragma foreign_keys'))[0]?.foreign_keys) !== 0) throw new Error(referencedRebuildProblem(from));
    const before = referenced ? await foreignKeyViolations(read, from.referencedBy) : undefined;
    for (const sql of rebuildSqliteTable(from, to)) await this.migration.execute(sql);
    const violation = before && newViolation(before, await foreignKeyViolations(read, from.referencedBy));
    if (violation) throw new Error(`rebuilding ${table}: ${violation}`);
    this.#sqliteTables.set(table, to);
  }

  #previewing(): boolean {
    return (this.migration as unknown as { driver: Record<symbol, TableProvider | undefined> }).driver[PREVIEW_TABLES] !== undefined;
  }
}

/** The name in a CREATE INDEX statement, unquoted. */
function indexNameOf(sql: string): string | undefined {
  return /index\s+(?:if\s+not\s+exists\s+)?[`"[]?([^`"\]\s]+)/i.exec(sql)?.[1];
}

const opened = new WeakMap<MigrationLike, Operations>();

/**
 * The operations for one migration: `const op = ops(this)` in up() or down(). One per migration, so a
 * DataMigration's afterSteps() knows what its beforeSteps() changed (a preview executes neither).
 */
export function ops(migration: MigrationLike): Operations {
  const op = opened.get(migration) ?? new Operations(migration);
  opened.set(migration, op);
  return op;
}

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
import { type DdlSchemaBuilder, type DdlTableBuilder, orm, type QueryBuilderFactory } from '../../core/orm/index.js';

/** What the operations need of a MikroORM migration (the base class's own methods). */
export interface MigrationLike {
  addSql(sql: string): void;
  execute(sql: string): Promise<unknown>;
  getKnex(): unknown;
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

const DIALECTS: Record<string, SqlDialect> = {
  sqlite3: 'sqlite',
  postgresql: 'postgresql',
  pg: 'postgresql',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mysql',
};

/**
 * The operations of a generated revision, rendered at run time for the connected database through MikroORM's
 * platform (column types, as entities get them) and knex's schema builder (compiled, never run by it): the same
 * file applies on SQLite, PostgreSQL and MySQL/MariaDB. Each statement runs at once through the migration's
 * execute(), in the revision's transaction, so a later step (a backfill, a SQLite rebuild) sees the earlier ones.
 * Use as `const op = ops(this)` in up() and down().
 */
export class Operations {
  readonly #platform: Platform;
  readonly #knex: QueryBuilderFactory;
  readonly dialect: SqlDialect;
  /** SQLite tables as this revision has left them so far (a rebuild must see the revision's own earlier changes). */
  readonly #sqliteTables = new Map<string, SqliteTable>();
  /** Changes to SQLite tables not read yet, applied when (if) one is read for a rebuild. */
  readonly #pending = new Map<string, Array<(model: SqliteTable) => void>>();
  /** Identifiers as the dialect quotes them: asked for the same few names again and again. */
  readonly #quoted = new Map<string, string>();

  constructor(private readonly migration: MigrationLike) {
    this.#knex = orm.queryBuilder(migration);
    this.#platform = (migration as unknown as { driver: { getPlatform(): Platform } }).driver.getPlatform();
    const client = (this.#knex.client as { dialect?: string; config?: { client?: unknown } }).dialect ?? '';
    this.dialect = DIALECTS[client] ?? 'mysql';
  }

  async #run(builder: { toSQL(): Array<{ sql: string }> | { sql: string } }): Promise<void> {
    const compiled = builder.toSQL();
    for (const { sql } of Array.isArray(compiled) ? compiled : [compiled]) await this.migration.execute(sql);
  }

  #column(table: DdlTableBuilder, column: ColumnSpec) {
    const built = table.specificType(column.name, columnType(this.#platform, column));
    if (column.nullable) built.nullable();
    else built.notNullable();
    const value = defaultSql(column.default);
    if (value !== undefined) built.defaultTo(this.#knex.raw(value));
    return built;
  }

  /** Creates a table; its primary key is the columns marked `primary`, its unique columns get unique indexes. */
  async createTable(table: string, columns: ColumnSpec[]): Promise<void> {
    await this.#run(
      this.#knex.schema.createTable(table, (t) => {
        for (const column of columns) {
          // The database numbers it: knex writes each database's own form (autoincrement, serial, auto_increment).
          if (column.autoincrement) (column.type === 'bigint' ? t.bigIncrements(column.name) : t.increments(column.name)).primary();
          else this.#column(t, column);
        }
        const primary = columns.filter((c) => c.primary && !c.autoincrement).map((c) => c.name);
        if (primary.length > 0) t.primary(primary);
        for (const column of columns.filter((c) => c.unique)) t.unique([column.name], { indexName: `${table}_${column.name}_unique` });
      }),
    );
    if (this.dialect !== 'sqlite') return;
    // A table this revision creates is known whole: a later rebuild of it in the same revision needs no read.
    const toModel = (c: ColumnSpec, i: number) => ({
      name: c.name,
      type: columnType(this.#platform, c),
      notNull: !c.nullable,
      default: defaultSql(c.default) ?? null,
      pk: c.primary ? columns.filter((p) => p.primary).indexOf(c) + 1 || i + 1 : 0,
    });
    const autoincrement = columns.some((c) => c.autoincrement);
    this.#sqliteTables.set(table, { name: table, columns: columns.map(toModel), foreignKeys: [], indexes: [], autoincrement });
    this.#pending.delete(table);
  }

  async dropTable(table: string): Promise<void> {
    await this.#run(this.#knex.schema.dropTable(table));
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
    await this.#run(this.#knex.schema.renameTable(from, to) as unknown as DdlSchemaBuilder);
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
      const query = this.#knex('information_schema.table_constraints')
        .select('constraint_name')
        .whereRaw('table_schema = current_schema()')
        .where({ table_name: table, constraint_name: from, constraint_type: 'FOREIGN KEY' });
      if (((await this.migration.execute(query.toQuery())) as unknown[]).length === 0) return;
      await this.migration.execute(`alter table ${this.#quote(table)} rename constraint ${this.#quote(from)} to ${this.#quote(to)}`);
      return;
    }
    // MySQL cannot rename a foreign key: it is dropped and added again under the new name, rules and all.
    const query = this.#knex('information_schema.referential_constraints as rc')
      .join('information_schema.key_column_usage as k', function () {
        this.on('k.constraint_schema', 'rc.constraint_schema')
          .andOn('k.constraint_name', 'rc.constraint_name')
          .andOn('k.table_name', 'rc.table_name');
      })
      .select(
        'k.column_name as column',
        'k.referenced_table_name as target',
        'k.referenced_column_name as referenced',
        'rc.delete_rule as onDelete',
        'rc.update_rule as onUpdate',
      )
      .whereRaw('rc.constraint_schema = database()')
      .where({ 'rc.table_name': table, 'rc.constraint_name': from })
      .orderBy('k.ordinal_position');
    const rows = (await this.migration.execute(query.toQuery())) as Array<Record<string, string>>;
    if (rows.length === 0) return;
    const list = (key: string) => rows.map((r) => this.#quote(r[key])).join(', ');
    await this.migration.execute(`alter table ${this.#quote(table)} drop foreign key ${this.#quote(from)}`);
    await this.migration.execute(
      `alter table ${this.#quote(table)} add constraint ${this.#quote(to)} foreign key (${list('column')}) references ${this.#quote(rows[0].target)} (${list('referenced')}) on delete ${rows[0].onDelete.toLowerCase()} on update ${rows[0].onUpdate.toLowerCase()}`,
    );
  }

  async #renameIndexIfPresent(table: string, from: string, to: string): Promise<void> {
    if (this.dialect === 'sqlite') {
      const query = this.#knex('sqlite_master').select('sql').where({ type: 'index', name: from, tbl_name: table }).toQuery();
      const [row] = (await this.migration.execute(query)) as Array<{ sql: string }>;
      if (!row?.sql) return;
      // SQLite cannot rename an index: made again under the new name.
      const statement = row.sql.replace(/^(create (unique )?index )(\S+)/i, `$1${this.#quote(to)}`);
      await this.migration.execute(`drop index ${this.#quote(from)}`);
      await this.migration.execute(statement);
      const cached = this.#sqliteTables.get(table);
      if (cached) cached.indexes = cached.indexes.map((i) => (i === row.sql ? statement : i));
      return;
    }
    const query =
      this.dialect === 'mysql'
        ? this.#knex('information_schema.statistics')
            .select('index_name')
            .whereRaw('table_schema = database()')
            .where({ table_name: table, index_name: from })
        : this.#knex('pg_indexes').select('indexname').whereRaw('schemaname = current_schema()').where({ tablename: table, indexname: from });
    const rows = (await this.migration.execute(query.toQuery())) as unknown[];
    if (rows.length === 0) return;
    await this.migration.execute(
      this.dialect === 'mysql'
        ? `alter table ${this.#quote(table)} rename index ${this.#quote(from)} to ${this.#quote(to)}`
        : `alter index ${this.#quote(from)} rename to ${this.#quote(to)}`,
    );
  }

  async addColumn(table: string, column: ColumnSpec): Promise<void> {
    await this.#run(this.#knex.schema.alterTable(table, (t) => this.#column(t, column)));
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
    await this.migration.execute(
      this.#knex(table)
        .update({ [column]: value })
        .toQuery(),
    );
  }

  async dropColumn(table: string, column: string): Promise<void> {
    // SQLite 3.35+ drops a column itself, as MikroORM does; knex would rebuild the table to do it.
    if (this.dialect === 'sqlite') await this.migration.execute(`alter table ${this.#quote(table)} drop column ${this.#quote(column)}`);
    else await this.#run(this.#knex.schema.alterTable(table, (t) => t.dropColumn(column)));
    await this.#sqliteChanged(table, (model) => {
      model.columns = model.columns.filter((c) => c.name !== column);
    });
  }

  async renameColumn(table: string, from: string, to: string): Promise<void> {
    // knex would ask MySQL for the column's type (the old CHANGE syntax); every database here knows RENAME COLUMN.
    if (this.dialect === 'postgresql') await this.#run(this.#knex.schema.alterTable(table, (t) => t.renameColumn(from, to)));
    else await this.migration.execute(`alter table ${this.#quote(table)} rename column ${this.#quote(from)} to ${this.#quote(to)}`);
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
    await this.#run(this.#knex.schema.alterTable(table, (t) => this.#column(t, column).alter()));
    // knex leaves PostgreSQL's default alone when none is given; MySQL's MODIFY already dropped it.
    if (this.dialect === 'postgresql' && defaultSql(column.default) === undefined && !column.autoincrement) {
      await this.migration.execute(`alter table ${this.#quote(table)} alter column ${this.#quote(column.name)} drop default`);
    }
  }

  async createIndex(table: string, columns: string[], options: { name: string; unique?: boolean }): Promise<void> {
    await this.#run(
      this.#knex.schema.alterTable(table, (t) => (options.unique ? t.unique(columns, { indexName: options.name }) : t.index(columns, options.name))),
    );
    await this.#sqliteChanged(table, (model) => {
      model.indexes.push(
        `create ${options.unique ? 'unique ' : ''}index ${this.#quote(options.name)} on ${this.#quote(table)} (${columns.map((c) => this.#quote(c)).join(', ')})`,
      );
    });
  }

  async dropIndex(table: string, name: string, options: { unique?: boolean } = {}): Promise<void> {
    await this.#run(this.#knex.schema.alterTable(table, (t) => (options.unique ? t.dropUnique([], name) : t.dropIndex([], name))));
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
    await this.migration.execute(
      this.dialect === 'mysql'
        ? `alter table ${this.#quote(table)} rename index ${this.#quote(from)} to ${this.#quote(to)}`
        : `alter index ${this.#quote(from)} rename to ${this.#quote(to)}`,
    );
  }

  /** Adds a named check constraint; on SQLite the table is rebuilt with it. */
  async addCheck(table: string, name: string, expression: string): Promise<void> {
    if (this.dialect === 'sqlite') {
      return this.#rebuild(table, (model) => {
        model.checks = [...(model.checks ?? []), { name, expression }];
      });
    }
    await this.migration.execute(`alter table ${this.#quote(table)} add constraint ${this.#quote(name)} check (${expression})`);
  }

  /** Drops a named check constraint; on SQLite the table is rebuilt without it. */
  async dropCheck(table: string, name: string): Promise<void> {
    if (this.dialect === 'sqlite') {
      return this.#rebuild(table, (model) => {
        model.checks = (model.checks ?? []).filter((c) => c.name !== name);
      });
    }
    await this.migration.execute(`alter table ${this.#quote(table)} drop constraint ${this.#quote(name)}`);
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
      this.#knex.schema.alterTable(table, (t) => {
        const fk = t.foreign(columns, name).references(references.columns).inTable(references.table);
        if (options.onDelete) fk.onDelete(options.onDelete);
        if (options.onUpdate) fk.onUpdate(options.onUpdate);
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
    const query = this.#knex('information_schema.columns')
      .select('column_name as name', 'column_type as type', 'is_nullable as nullable', 'column_default as value')
      .whereRaw('table_schema = database()')
      .where({ table_name: table })
      .whereIn('column_name', columns);
    const rows = (await this.migration.execute(query.toQuery())) as Array<{ name: string; type: string; nullable: string; value: string | null }>;
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
    await this.#run(this.#knex.schema.alterTable(table, (t) => t.dropForeign(columns, name)));
    if (this.dialect !== 'mysql') return;
    // MySQL gave the foreign key an index of its own name where none covered its columns; it stays when the key
    // goes, so it goes too: down() leaves the table as it found it.
    const rows = (await this.migration.execute(
      this.#knex('information_schema.statistics')
        .select('index_name')
        .whereRaw('table_schema = database()')
        .where({ table_name: table, index_name: name })
        .toQuery(),
    )) as unknown[];
    if (rows.length > 0) await this.#run(this.#knex.schema.alterTable(table, (t) => t.dropIndex([], name)));
  }

  /**
   * Sets columns to SQL expressions in batches of `batchSize` rows along `key` (never OFFSET), each batch its own
   * statement: in a revision that is not transactional each batch commits, and a run cut short resumes where the
   * `where` still matches.
   */
  async backfill(table: string, set: Record<string, string>, options: { where?: string; key?: string; batchSize?: number } = {}): Promise<void> {
    const knex = this.#knex;
    const key = options.key ?? 'id';
    const values = Object.fromEntries(Object.entries(set).map(([column, expression]) => [column, knex.raw(expression)]));
    let last: unknown;
    for (;;) {
      const page = knex(table)
        .select(key)
        .orderBy(key)
        .limit(options.batchSize ?? 1000);
      if (options.where) page.whereRaw(options.where);
      if (last !== undefined) page.where(key, '>', last as string);
      const rows = (await this.migration.execute(page.toQuery())) as Array<Record<string, unknown>>;
      if (rows.length === 0) return;
      const range = [rows[0][key], rows[rows.length - 1][key]] as [string, string];
      const update = knex(table).update(values).whereBetween(key, range);
      if (options.where) update.whereRaw(options.where);
      await this.migration.execute(update.toQuery());
      last = range[1];
    }
  }

  /** Raw SQL, as written; several statements may be separated by `;` where the database allows. */
  async sql(statement: string): Promise<void> {
    if (statement.trim()) await this.migration.execute(statement);
  }

  #quote(name: string): string {
    const known = this.#quoted.get(name) ?? this.#knex.raw('??', [name]).toQuery();
    this.#quoted.set(name, known);
    return known;
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

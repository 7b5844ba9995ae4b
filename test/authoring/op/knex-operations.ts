import type { Platform } from '@mikro-orm/core';
import type { Knex } from 'knex';
import { columnType, defaultSql, type SqlDialect } from '../../../src/authoring/op/column-sql.js';
import type { ColumnSpec, ReferentialAction } from '../../../src/authoring/spec.js';

// What Operations ran before it wrote its own SQL: the same methods, each statement built with knex's schema and
// query builders (MikroORM 6's, as a migration's getKnex() handed them out) exactly as it built them then. The
// SQLite rebuilds (alterColumn, foreign keys, checks) never went through knex and are left out.

interface Executor {
  execute(sql: string): Promise<unknown>;
}

export class KnexOperations {
  constructor(
    private readonly migration: Executor,
    private readonly knex: Knex,
    private readonly platform: Platform,
    readonly dialect: SqlDialect,
  ) {}

  async #run(builder: { toSQL(): Array<{ sql: string }> | { sql: string } }): Promise<void> {
    const compiled = builder.toSQL();
    for (const { sql } of Array.isArray(compiled) ? compiled : [compiled]) await this.migration.execute(sql);
  }

  #quote(name: string): string {
    return this.knex.raw('??', [name]).toQuery();
  }

  #column(table: Knex.CreateTableBuilder, column: ColumnSpec) {
    const built = table.specificType(column.name, columnType(this.platform, column));
    if (column.nullable) built.nullable();
    else built.notNullable();
    const value = defaultSql(column.default);
    if (value !== undefined) built.defaultTo(this.knex.raw(value));
    return built;
  }

  async createTable(table: string, columns: ColumnSpec[]): Promise<void> {
    await this.#run(
      this.knex.schema.createTable(table, (t) => {
        for (const column of columns) {
          if (column.autoincrement) (column.type === 'bigint' ? t.bigIncrements(column.name) : t.increments(column.name)).primary();
          else this.#column(t, column);
        }
        const primary = columns.filter((c) => c.primary && !c.autoincrement).map((c) => c.name);
        if (primary.length > 0) t.primary(primary);
        for (const column of columns.filter((c) => c.unique)) t.unique([column.name], { indexName: `${table}_${column.name}_unique` });
      }),
    );
  }

  async dropTable(table: string): Promise<void> {
    await this.#run(this.knex.schema.dropTable(table));
  }

  async renameTable(from: string, to: string, options: { foreignKeys?: Record<string, string>; indexes?: Record<string, string> } = {}) {
    await this.#run(this.knex.schema.renameTable(from, to) as unknown as Knex.SchemaBuilder);
    for (const [old, next] of Object.entries(options.foreignKeys ?? {})) await this.#renameForeignKeyIfPresent(to, old, next);
    for (const [old, next] of Object.entries(options.indexes ?? {})) await this.#renameIndexIfPresent(to, old, next);
  }

  async #renameForeignKeyIfPresent(table: string, from: string, to: string): Promise<void> {
    if (this.dialect === 'sqlite') return;
    if (this.dialect === 'postgresql') {
      const query = this.knex('information_schema.table_constraints')
        .select('constraint_name')
        .whereRaw('table_schema = current_schema()')
        .where({ table_name: table, constraint_name: from, constraint_type: 'FOREIGN KEY' });
      if (((await this.migration.execute(query.toQuery())) as unknown[]).length === 0) return;
      await this.migration.execute(`alter table ${this.#quote(table)} rename constraint ${this.#quote(from)} to ${this.#quote(to)}`);
      return;
    }
    const query = this.knex('information_schema.referential_constraints as rc')
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
      const query = this.knex('sqlite_master').select('sql').where({ type: 'index', name: from, tbl_name: table }).toQuery();
      const [row] = (await this.migration.execute(query)) as Array<{ sql: string }>;
      if (!row?.sql) return;
      const statement = row.sql.replace(/^(create (unique )?index )(\S+)/i, `$1${this.#quote(to)}`);
      await this.migration.execute(`drop index ${this.#quote(from)}`);
      await this.migration.execute(statement);
      return;
    }
    const query =
      this.dialect === 'mysql'
        ? this.knex('information_schema.statistics')
            .select('index_name')
            .whereRaw('table_schema = database()')
            .where({ table_name: table, index_name: from })
        : this.knex('pg_indexes').select('indexname').whereRaw('schemaname = current_schema()').where({ tablename: table, indexname: from });
    const rows = (await this.migration.execute(query.toQuery())) as unknown[];
    if (rows.length === 0) return;
    await this.migration.execute(
      this.dialect === 'mysql'
        ? `alter table ${this.#quote(table)} rename index ${this.#quote(from)} to ${this.#quote(to)}`
        : `alter index ${this.#quote(from)} rename to ${this.#quote(to)}`,
    );
  }

  async addColumn(table: string, column: ColumnSpec): Promise<void> {
    await this.#run(this.knex.schema.alterTable(table, (t) => this.#column(t, column)));
    if (column.unique) await this.createIndex(table, [column.name], { unique: true, name: `${table}_${column.name}_unique` });
  }

  async fillColumn(table: string, column: string, value: string | number | boolean): Promise<void> {
    await this.migration.execute(
      this.knex(table)
        .update({ [column]: value })
        .toQuery(),
    );
  }

  async dropColumn(table: string, column: string): Promise<void> {
    if (this.dialect === 'sqlite') await this.migration.execute(`alter table ${this.#quote(table)} drop column ${this.#quote(column)}`);
    else await this.#run(this.knex.schema.alterTable(table, (t) => t.dropColumn(column)));
  }

  async renameColumn(table: string, from: string, to: string): Promise<void> {
    if (this.dialect === 'postgresql') await this.#run(this.knex.schema.alterTable(table, (t) => t.renameColumn(from, to)));
    else await this.migration.execute(`alter table ${this.#quote(table)} rename column ${this.#quote(from)} to ${this.#quote(to)}`);
  }

  async alterColumn(table: string, column: ColumnSpec): Promise<void> {
    if (this.dialect === 'sqlite') throw new Error('a rebuild: no knex');
    await this.#run(this.knex.schema.alterTable(table, (t) => this.#column(t, column).alter()));
    if (this.dialect === 'postgresql' && defaultSql(column.default) === undefined && !column.autoincrement) {
      await this.migration.execute(`alter table ${this.#quote(table)} alter column ${this.#quote(column.name)} drop default`);
    }
  }

  async createIndex(table: string, columns: string[], options: { name: string; unique?: boolean }): Promise<void> {
    await this.#run(
      this.knex.schema.alterTable(table, (t) => (options.unique ? t.unique(columns, { indexName: options.name }) : t.index(columns, options.name))),
    );
  }

  async dropIndex(table: string, name: string, options: { unique?: boolean } = {}): Promise<void> {
    await this.#run(this.knex.schema.alterTable(table, (t) => (options.unique ? t.dropUnique([], name) : t.dropIndex([], name))));
  }

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

  async addCheck(table: string, name: string, expression: string): Promise<void> {
    if (this.dialect === 'sqlite') throw new Error('a rebuild: no knex');
    await this.migration.execute(`alter table ${this.#quote(table)} add constraint ${this.#quote(name)} check (${expression})`);
  }

  async dropCheck(table: string, name: string): Promise<void> {
    if (this.dialect === 'sqlite') throw new Error('a rebuild: no knex');
    await this.migration.execute(`alter table ${this.#quote(table)} drop constraint ${this.#quote(name)}`);
  }

  async addForeignKey(
    table: string,
    columns: string[],
    references: { table: string; columns: string[] },
    options: { name?: string; onDelete?: ReferentialAction; onUpdate?: ReferentialAction; index?: string; unsigned?: boolean } = {},
  ): Promise<void> {
    if (this.dialect === 'sqlite') throw new Error('a rebuild: no knex');
    const name = options.name ?? `${table}_${columns.join('_')}_foreign`;
    if (options.index && this.platform.indexForeignKeys()) await this.createIndex(table, columns, { name: options.index });
    if (options.unsigned) await this.#setUnsigned(table, columns, true);
    await this.#run(
      this.knex.schema.alterTable(table, (t) => {
        const fk = t.foreign(columns, name).references(references.columns).inTable(references.table);
        if (options.onDelete) fk.onDelete(options.onDelete);
        if (options.onUpdate) fk.onUpdate(options.onUpdate);
      }),
    );
  }

  async dropForeignKey(table: string, columns: string[], options: { name?: string; index?: string; unsigned?: boolean } = {}): Promise<void> {
    if (this.dialect === 'sqlite') throw new Error('a rebuild: no knex');
    const name = options.name ?? `${table}_${columns.join('_')}_foreign`;
    await this.#run(this.knex.schema.alterTable(table, (t) => t.dropForeign(columns, name)));
    if (this.dialect === 'mysql') {
      const rows = (await this.migration.execute(
        this.knex('information_schema.statistics')
          .select('index_name')
          .whereRaw('table_schema = database()')
          .where({ table_name: table, index_name: name })
          .toQuery(),
      )) as unknown[];
      if (rows.length > 0) await this.#run(this.knex.schema.alterTable(table, (t) => t.dropIndex([], name)));
    }
    if (options.index && this.platform.indexForeignKeys()) await this.dropIndex(table, options.index);
    if (options.unsigned) await this.#setUnsigned(table, columns, false);
  }

  async #setUnsigned(table: string, columns: string[], unsigned: boolean): Promise<void> {
    if (this.dialect !== 'mysql') return;
    const query = this.knex('information_schema.columns')
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

  async backfill(table: string, set: Record<string, string>, options: { where?: string; key?: string; batchSize?: number } = {}): Promise<void> {
    const knex = this.knex;
    const key = options.key ?? 'id';
    const values = Object.fromEntries(Object.entries(set).map(([column, expression]) => [column, knex.raw(expression)]));
    let last: unknown;
    for (;;) {
      const page = knex(table)
        .select(key)
        .orderBy(key)
        .limit(options.batchSize ?? 1000);
      // Parenthesised where knex left it bare (`a or b` bound across the key's condition): the one deliberate change.
      if (options.where) page.whereRaw(`(${options.where})`);
      if (last !== undefined) page.where(key, '>', last as string);
      const rows = (await this.migration.execute(page.toQuery())) as Array<Record<string, unknown>>;
      if (rows.length === 0) return;
      const range = [rows[0][key], rows[rows.length - 1][key]] as [string, string];
      const update = knex(table).update(values).whereBetween(key, range);
      if (options.where) update.whereRaw(`(${options.where})`);
      await this.migration.execute(update.toQuery());
      last = range[1];
    }
  }

  async sql(statement: string): Promise<void> {
    if (statement.trim()) await this.migration.execute(statement);
  }
}

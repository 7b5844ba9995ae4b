import { MikroORM, type Platform } from '@mikro-orm/core';
import { MariaDbDriver } from '@mikro-orm/mariadb';
import { MySqlDriver } from '@mikro-orm/mysql';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SqlDialect } from '../../../src/authoring/op/column-sql.js';
import { Operations } from '../../../src/authoring/op/operations.js';
import type { ColumnSpec } from '../../../src/authoring/spec.js';
import { KnexOperations } from './knex-operations.js';

// Every statement Operations runs is the one knex (MikroORM 6's, as a migration's getKnex() gave it) wrote for the
// same call before: a file generated then runs the same SQL now, on MikroORM 6 and 7.

type Row = Record<string, unknown>;

interface Case {
  name: string;
  run(op: Operations): Promise<void>;
  /** What each backfill page query answers, in turn (then nothing). */
  pages?: Row[][];
  /** SQLite rebuilds the table instead: knex never wrote these there. */
  notOnSqlite?: boolean;
}

const col = (name: string, type: ColumnSpec['type'], more: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, type, ...more });

const CASES: Case[] = [
  {
    name: 'createTable: numbered integer key, defaults, nullable and unique columns',
    run: (op) =>
      op.createTable('posts', [
        col('id', 'integer', { primary: true, autoincrement: true }),
        col('title', 'string', { length: 100, default: "it's" }),
        col('slug', 'string', { unique: true }),
        col('body', 'text', { nullable: true }),
        col('score', 'float', { nullable: true, default: 0 }),
        col('published', 'boolean', { default: false }),
        col('email', 'string', { unique: true, nullable: true }),
      ]),
  },
  { name: 'createTable: numbered bigint key', run: (op) => op.createTable('events', [col('id', 'bigint', { primary: true, autoincrement: true })]) },
  {
    name: 'createTable: uuid primary key and every other type',
    run: (op) =>
      op.createTable('things', [
        col('id', 'uuid', { primary: true }),
        col('amount', 'decimal', { precision: 10, scale: 2, default: 0 }),
        col('data', 'json', { nullable: true }),
        col('born', 'date', { nullable: true }),
        col('at', 'datetime', { default: { sql: 'current_timestamp' } }),
        col('count', 'bigint', { default: 5 }),
        col('ratio', 'double', { nullable: true, default: null }),
        col('raw', 'blob', { nullable: true }),
        col('n', 'integer'),
      ]),
  },
  {
    name: 'createTable: composite primary key',
    run: (op) => op.createTable('memberships', [col('user_id', 'integer', { primary: true }), col('team', 'string', { primary: true })]),
  },
  { name: 'createTable: integer primary key not numbered', run: (op) => op.createTable('codes', [col('code', 'integer', { primary: true })]) },
  {
    name: 'createTable: numbered key beside another primary column',
    run: (op) => op.createTable('odd', [col('id', 'integer', { primary: true, autoincrement: true }), col('tenant', 'string', { primary: true })]),
  },
  {
    name: 'createTable: numbered bigint key beside another primary column, and a unique one',
    run: (op) =>
      op.createTable('odd', [
        col('id', 'bigint', { primary: true, autoincrement: true }),
        col('tenant', 'integer', { primary: true }),
        col('code', 'string', { unique: true }),
      ]),
  },
  { name: 'createTable: names to quote', run: (op) => op.createTable('we"ird`name', [col('a b', 'string', { primary: true, unique: true })]) },
  { name: 'dropTable', run: (op) => op.dropTable('posts') },
  { name: 'renameTable', run: (op) => op.renameTable('posts', 'articles') },
  {
    name: 'renameTable with its foreign keys and indexes',
    run: (op) =>
      op.renameTable('posts', 'articles', {
        foreignKeys: { posts_author_id_foreign: 'articles_author_id_foreign' },
        indexes: { posts_author_id_index: 'articles_author_id_index' },
      }),
  },
  { name: 'addColumn: nullable', run: (op) => op.addColumn('posts', col('subtitle', 'string', { nullable: true })) },
  { name: 'addColumn: NOT NULL with a default', run: (op) => op.addColumn('posts', col('views', 'integer', { default: 0 })) },
  { name: 'addColumn: boolean default true', run: (op) => op.addColumn('posts', col('visible', 'boolean', { default: true })) },
  { name: 'addColumn: unique', run: (op) => op.addColumn('posts', col('ref', 'uuid', { unique: true, nullable: true })) },
  { name: 'addColumn: an SQL default', run: (op) => op.addColumn('posts', col('at', 'datetime', { default: { sql: 'current_timestamp' } })) },
  { name: 'addColumn: a string default with a backslash', run: (op) => op.addColumn('posts', col('path', 'string', { default: 'C:\\x' })) },
  { name: 'addColumn: json', run: (op) => op.addColumn('posts', col('meta', 'json', { nullable: true })) },
  { name: 'fillColumn: empty string', run: (op) => op.fillColumn('posts', 'title', '') },
  { name: 'fillColumn: a string to escape', run: (op) => op.fillColumn('posts', 'title', 'it\'s a \\ "b"\n\tc\r\0\b\x1a') },
  {
    name: 'fillColumn: numbers',
    run: async (op) => {
      await op.fillColumn('posts', 'n', 0);
      await op.fillColumn('posts', 'n', 12.5);
    },
  },
  {
    name: 'fillColumn: booleans',
    run: async (op) => {
      await op.fillColumn('posts', 'b', false);
      await op.fillColumn('posts', 'b', true);
    },
  },
  { name: 'fillColumn: a date string', run: (op) => op.fillColumn('posts', 'at', '1970-01-01 00:00:00') },
  { name: 'dropColumn', run: (op) => op.dropColumn('posts', 'subtitle') },
  { name: 'renameColumn', run: (op) => op.renameColumn('posts', 'title', 'headline') },
  {
    name: 'alterColumn: type, NOT NULL, default',
    notOnSqlite: true,
    run: (op) => op.alterColumn('posts', col('title', 'string', { length: 200, default: 'x' })),
  },
  { name: 'alterColumn: nullable, no default', notOnSqlite: true, run: (op) => op.alterColumn('posts', col('body', 'text', { nullable: true })) },
  { name: 'alterColumn: to uuid', notOnSqlite: true, run: (op) => op.alterColumn('posts', col('ref', 'uuid', { nullable: true })) },
  {
    name: 'alterColumn: default null',
    notOnSqlite: true,
    run: (op) => op.alterColumn('posts', col('note', 'string', { nullable: true, default: null })),
  },
  {
    name: 'alterColumn: boolean default true',
    notOnSqlite: true,
    run: (op) => op.alterColumn('posts', col('visible', 'boolean', { default: true })),
  },
  { name: 'alterColumn: decimal', notOnSqlite: true, run: (op) => op.alterColumn('posts', col('price', 'decimal', { precision: 12, scale: 4 })) },
  {
    name: 'alterColumn: json with an SQL default',
    notOnSqlite: true,
    run: (op) => op.alterColumn('posts', col('meta', 'json', { default: { sql: "'{}'" } })),
  },
  { name: 'alterColumn: integer primary key', notOnSqlite: true, run: (op) => op.alterColumn('posts', col('id', 'integer', { primary: true })) },
  { name: 'createIndex', run: (op) => op.createIndex('posts', ['author_id'], { name: 'posts_author_id_index' }) },
  { name: 'createIndex: two columns', run: (op) => op.createIndex('posts', ['author_id', 'created_at'], { name: 'posts_author_created' }) },
  { name: 'createIndex: unique', run: (op) => op.createIndex('posts', ['slug', 'site'], { name: 'posts_slug_site_unique', unique: true }) },
  { name: 'dropIndex', run: (op) => op.dropIndex('posts', 'posts_author_id_index') },
  { name: 'dropIndex: unique', run: (op) => op.dropIndex('posts', 'posts_slug_unique', { unique: true }) },
  { name: 'renameIndex', run: (op) => op.renameIndex('posts', 'posts_a_index', 'posts_b_index', { columns: ['a'] }) },
  { name: 'renameIndex: unique', run: (op) => op.renameIndex('posts', 'posts_a_unique', 'posts_b_unique', { columns: ['a', 'b'], unique: true }) },
  { name: 'addCheck', notOnSqlite: true, run: (op) => op.addCheck('posts', 'posts_views_check', 'views >= 0') },
  { name: 'dropCheck', notOnSqlite: true, run: (op) => op.dropCheck('posts', 'posts_views_check') },
  { name: 'addForeignKey', notOnSqlite: true, run: (op) => op.addForeignKey('posts', ['author_id'], { table: 'authors', columns: ['id'] }) },
  {
    name: 'addForeignKey: named, on delete cascade, on update set null',
    notOnSqlite: true,
    run: (op) =>
      op.addForeignKey(
        'posts',
        ['author_id'],
        { table: 'authors', columns: ['id'] },
        { name: 'fk_author', onDelete: 'cascade', onUpdate: 'set null' },
      ),
  },
  {
    name: 'addForeignKey: two columns, on delete restrict',
    notOnSqlite: true,
    run: (op) => op.addForeignKey('lines', ['order_id', 'shop'], { table: 'orders', columns: ['id', 'shop'] }, { onDelete: 'restrict' }),
  },
  {
    name: 'addForeignKey: with its index and unsigned columns',
    notOnSqlite: true,
    run: (op) =>
      op.addForeignKey(
        'posts',
        ['author_id'],
        { table: 'authors', columns: ['id'] },
        { index: 'posts_author_id_index', unsigned: true, onUpdate: 'cascade', onDelete: 'no action' },
      ),
  },
  { name: 'dropForeignKey', notOnSqlite: true, run: (op) => op.dropForeignKey('posts', ['author_id']) },
  {
    name: 'dropForeignKey: named, with its index and unsigned columns',
    notOnSqlite: true,
    run: (op) => op.dropForeignKey('posts', ['author_id'], { name: 'fk_author', index: 'posts_author_id_index', unsigned: true }),
  },
  {
    name: 'backfill: numeric keys, two pages',
    pages: [[{ id: 1 }, { id: 2 }], [{ id: 7 }]],
    run: (op) => op.backfill('posts', { slug: "lower(title) || '-x'" }),
  },
  {
    name: 'backfill: where, its own key, batch size, string keys to escape',
    pages: [[{ code: "a'b" }, { code: 'c\\d' }], [{ code: 'e\nf' }]],
    run: (op) => op.backfill('posts', { a: 'b + 1', c: "'x'" }, { where: 'a is null', key: 'code', batchSize: 2 }),
  },
  {
    name: 'backfill: date and big-number keys',
    pages: [[{ at: new Date(2020, 0, 2, 3, 4, 5, 6) }, { at: new Date(2021, 11, 31, 23, 59, 59) }], [{ at: '9007199254740993' }]],
    run: (op) => op.backfill('events', { seen: 'true' }, { key: 'at' }),
  },
  { name: 'backfill: nothing to do', run: (op) => op.backfill('posts', { slug: 'title' }, { where: 'slug is null' }) },
  {
    name: 'sql',
    run: async (op) => {
      await op.sql('update posts set n = 1');
      await op.sql('  ');
    },
  },
];

/** What the database answers the operations' look-ups: each thing they look for exists. */
function answer(sql: string, pages: Row[][]): Row[] {
  if (/ order by .* limit \d+$/.test(sql)) return pages.shift() ?? [];
  if (/table_constraints/.test(sql)) return [{ constraint_name: 'posts_author_id_foreign' }];
  if (/referential_constraints/.test(sql))
    return [{ column: 'author_id', target: 'authors', referenced: 'id', onDelete: 'CASCADE', onUpdate: 'NO ACTION' }];
  if (/statistics/.test(sql)) return [{ index_name: 'x' }];
  if (/pg_indexes/.test(sql)) return [{ indexname: 'x' }];
  if (/sqlite_master/.test(sql)) return [{ sql: 'create index `posts_author_id_index` on `posts` (`author_id`)' }];
  if (/information_schema.*columns/.test(sql)) {
    return [
      { name: 'author_id', type: 'int', nullable: 'NO', value: null },
      { name: 'shop', type: 'bigint unsigned', nullable: 'YES', value: '0' },
    ];
  }
  return [];
}

/** A migration that records what it is asked to execute; MikroORM 7's has no knex to give. */
function recorder(platform: Platform, pages: Row[][] = []) {
  const statements: string[] = [];
  const left = structuredClone(pages);
  const migration = {
    driver: { getPlatform: () => platform },
    addSql(sql: string) {
      statements.push(sql);
    },
    async execute(sql: string) {
      statements.push(sql);
      return answer(sql, left);
    },
  };
  return { statements, migration };
}

const DRIVERS = [
  ['sqlite', SqliteDriver, 'sqlite'],
  ['postgresql', PostgreSqlDriver, 'postgresql'],
  ['mysql', MySqlDriver, 'mysql'],
  ['mariadb', MariaDbDriver, 'mysql'],
] as const;

const clients = new Map<string, { orm: MikroORM; knex: Knex; platform: Platform }>();

beforeAll(async () => {
  for (const [name, driver] of DRIVERS) {
    const orm = await MikroORM.init({
      driver: driver as never,
      dbName: name === 'sqlite' ? ':memory:' : 'test',
      connect: false,
      entities: [],
      discovery: { warnWhenNoEntities: false },
    } as never);
    const knex = (orm.em.getConnection() as unknown as { getKnex(): Knex }).getKnex();
    clients.set(name, { orm, knex, platform: orm.em.getPlatform() });
  }
});

afterAll(async () => {
  for (const { orm } of clients.values()) await orm.close();
});

describe.each(DRIVERS)('on %s', (name, _driver, dialect: SqlDialect) => {
  test('the dialect is read from the platform', () => {
    const { platform } = clients.get(name)!;
    expect(new Operations(recorder(platform).migration).dialect).toBe(dialect);
  });

  test.each(CASES.filter((c) => dialect !== 'sqlite' || !c.notOnSqlite))('$name: the SQL knex wrote', async (c) => {
    const { platform, knex } = clients.get(name)!;
    const ours = recorder(platform, c.pages);
    await c.run(new Operations(ours.migration));
    const knexs = recorder(platform, c.pages);
    await c.run(new KnexOperations(knexs.migration, knex, platform, dialect) as unknown as Operations);
    expect(ours.statements).toEqual(knexs.statements);
  });
});

test('the table covers every statement-writing method of Operations', () => {
  const methods = Object.getOwnPropertyNames(Operations.prototype).filter((m) => m !== 'constructor');
  const called = new Set(CASES.map((c) => /^(\w+)/.exec(c.name)?.[1]));
  expect(methods.filter((m) => !called.has(m))).toEqual([]);
});

import { describe, expect, it } from 'vitest';
import { parseStatement, type AlterAction } from '../../../src/core/sql/index.js';
import type { Dialect } from '../../../src/core/url.js';

function actions(sql: string, dialect: Dialect): AlterAction[] {
  const statement = parseStatement(sql, dialect);
  if (statement.kind !== 'alter-table') throw new Error(`not an alter table: ${statement.kind}`);
  return statement.actions;
}

describe('parseStatement: DROP', () => {
  it('reads DROP TABLE with IF EXISTS, several tables, schemas, quoting and CASCADE', () => {
    expect(parseStatement('DROP TABLE IF EXISTS a, "s"."B" CASCADE', 'postgresql')).toEqual({
      kind: 'drop-table',
      tables: [{ name: 'a' }, { name: 'B', schema: 's' }],
      ifExists: true,
      cascade: true,
    });
    expect(parseStatement('drop temporary table `x`', 'mysql')).toEqual({
      kind: 'drop-table',
      tables: [{ name: 'x' }],
      ifExists: false,
      cascade: false,
    });
    expect(parseStatement('drop table "Quoted""Name"', 'sqlite')).toMatchObject({ tables: [{ name: 'Quoted"Name' }] });
  });

  it('reads DROP INDEX on each dialect', () => {
    expect(parseStatement('drop index concurrently if exists s.ix_a', 'postgresql')).toEqual({
      kind: 'drop-index',
      name: 'ix_a',
      schema: 's',
      concurrently: true,
    });
    expect(parseStatement('drop index `ix_a` on `t`', 'mysql')).toEqual({
      kind: 'drop-index',
      name: 'ix_a',
      concurrently: false,
      table: { name: 't' },
    });
    expect(parseStatement('DROP INDEX IF EXISTS ix_a', 'sqlite')).toEqual({ kind: 'drop-index', name: 'ix_a', concurrently: false });
  });

  it('reads DROP SCHEMA, DROP DATABASE and DROP VIEW', () => {
    expect(parseStatement('drop schema if exists app, audit cascade', 'postgresql')).toEqual({
      kind: 'drop-schema',
      names: ['app', 'audit'],
      cascade: true,
    });
    expect(parseStatement('drop database `shop`', 'mysql')).toEqual({ kind: 'drop-database', names: ['shop'], cascade: false });
    expect(parseStatement('drop materialized view if exists v', 'postgresql')).toEqual({
      kind: 'drop-view',
      views: [{ name: 'v' }],
      materialized: true,
    });
    expect(parseStatement('drop view a, b', 'mysql')).toEqual({ kind: 'drop-view', views: [{ name: 'a' }, { name: 'b' }], materialized: false });
  });

  it('reads TRUNCATE with and without TABLE, ONLY, several tables and CASCADE', () => {
    expect(parseStatement('truncate "t" restart identity', 'postgresql')).toEqual({ kind: 'truncate', tables: [{ name: 't' }], cascade: false });
    expect(parseStatement('TRUNCATE TABLE ONLY a, s.b * CASCADE', 'postgresql')).toEqual({
      kind: 'truncate',
      tables: [{ name: 'a' }, { name: 'b', schema: 's' }],
      cascade: true,
    });
  });

  it("reads MySQL's RENAME TABLE a TO b, c TO d", () => {
    expect(parseStatement('rename table `a` to `b`, db.c to db.d', 'mysql')).toEqual({
      kind: 'rename-table',
      renames: [
        { from: { name: 'a' }, to: { name: 'b' } },
        { from: { name: 'c', schema: 'db' }, to: { name: 'd', schema: 'db' } },
      ],
    });
  });
});

describe('parseStatement: ALTER TABLE', () => {
  it('reads the table, with IF EXISTS, ONLY and a schema', () => {
    expect(parseStatement('alter table if exists only s.x drop column if exists y', 'postgresql')).toEqual({
      kind: 'alter-table',
      table: { name: 'x', schema: 's' },
      actions: [{ kind: 'drop-column', column: 'y' }],
    });
  });

  it('reads column drops in every spelling, several to a statement', () => {
    expect(actions('alter table t drop column a, drop b, drop column if exists "C"', 'postgresql')).toEqual([
      { kind: 'drop-column', column: 'a' },
      { kind: 'drop-column', column: 'b' },
      { kind: 'drop-column', column: 'C' },
    ]);
    expect(actions('alter table `t` drop `rank`', 'mysql')).toEqual([{ kind: 'drop-column', column: 'rank' }]);
  });

  it('reads index, key and constraint drops as what they are, not as columns', () => {
    expect(actions('alter table t drop index ix, drop key k, drop primary key, drop foreign key fk', 'mysql')).toEqual([
      { kind: 'drop-index', name: 'ix' },
      { kind: 'drop-index', name: 'k' },
      { kind: 'drop-index', name: 'PRIMARY' },
      { kind: 'drop-index', name: 'fk' },
    ]);
    expect(actions('alter table t drop constraint if exists c, drop check chk', 'postgresql')).toEqual([
      { kind: 'drop-constraint', name: 'c' },
      { kind: 'drop-constraint', name: 'chk' },
    ]);
    expect(actions('alter table t drop partition p1', 'mysql')).toEqual([{ kind: 'other', text: 'drop partition p1' }]);
  });

  it('reads ADD COLUMN with its type, NOT NULL and DEFAULT', () => {
    expect(actions("alter table t add column if not exists slug varchar(255) not null default 'x', add n int", 'postgresql')).toEqual([
      { kind: 'add-column', column: 'slug', type: 'varchar(255)', notNull: true, hasDefault: true },
      { kind: 'add-column', column: 'n', type: 'int', notNull: false, hasDefault: false },
    ]);
    expect(actions('alter table t add column id bigserial', 'postgresql')).toMatchObject([{ hasDefault: true }]);
  });

  it('reads ADD CONSTRAINT and its kind', () => {
    expect(
      actions(
        'alter table t add constraint fk foreign key (a) references u (id), add unique (b), add primary key (id), add constraint c check (a > 0), add index ix (a)',
        'mysql',
      ),
    ).toEqual([
      { kind: 'add-constraint', constraint: 'foreign-key', name: 'fk', columns: ['a'], references: { table: { name: 'u' }, columns: ['id'] } },
      { kind: 'add-constraint', constraint: 'unique', columns: ['b'] },
      { kind: 'add-constraint', constraint: 'primary-key', columns: ['id'] },
      { kind: 'add-constraint', constraint: 'check', name: 'c' },
      { kind: 'add-constraint', constraint: 'index', name: 'ix', columns: ['a'] },
    ]);
  });

  it('reads the name and columns of MySQL keys and indexes as MikroORM and knex write them', () => {
    expect(actions('alter table `users` add unique `users_email_unique`(`email`), add index `ix`(`a`, `b`), add key (c)', 'mysql')).toEqual([
      { kind: 'add-constraint', constraint: 'unique', name: 'users_email_unique', columns: ['email'] },
      { kind: 'add-constraint', constraint: 'index', name: 'ix', columns: ['a', 'b'] },
      { kind: 'add-constraint', constraint: 'index', columns: ['c'] },
    ]);
    expect(
      actions('alter table `p` add constraint `p_user_id_foreign` foreign key (`user_id`) references `users` (`id`) on update cascade', 'mariadb'),
    ).toEqual([
      {
        kind: 'add-constraint',
        constraint: 'foreign-key',
        name: 'p_user_id_foreign',
        columns: ['user_id'],
        references: { table: { name: 'users' }, columns: ['id'] },
      },
    ]);
    expect(actions('alter table t add unique index (lower(a))', 'mysql')).toEqual([{ kind: 'add-constraint', constraint: 'unique' }]);
  });

  it('reads PostgreSQL ALTER COLUMN: type, NOT NULL, DEFAULT', () => {
    expect(
      actions(
        'alter table t alter column a type varchar(100) using (a::varchar(100)), alter b set data type text, alter c set not null, alter c drop not null, alter d set default 1, alter d drop default',
        'postgresql',
      ),
    ).toEqual([
      { kind: 'alter-column-type', column: 'a', type: 'varchar(100)' },
      { kind: 'alter-column-type', column: 'b', type: 'text' },
      { kind: 'set-not-null', column: 'c' },
      { kind: 'drop-not-null', column: 'c' },
      { kind: 'set-default', column: 'd' },
      { kind: 'drop-default', column: 'd' },
    ]);
  });

  it('reads MySQL MODIFY and CHANGE; CHANGE renames when the names differ', () => {
    expect(actions('alter table t modify `name` text null, modify column n int unsigned not null', 'mysql')).toEqual([
      { kind: 'alter-column-type', column: 'name', type: 'text' },
      { kind: 'alter-column-type', column: 'n', type: 'int unsigned' },
    ]);
    expect(actions('alter table t change `old2` `slug` varchar(255) null, change column a A int', 'mariadb')).toEqual([
      { kind: 'rename-column', from: 'old2', to: 'slug' },
      { kind: 'alter-column-type', column: 'slug', type: 'varchar(255)' },
      { kind: 'alter-column-type', column: 'A', type: 'int' },
    ]);
  });

  it('reads column and table renames in every spelling', () => {
    expect(actions('alter table t rename column a to b', 'postgresql')).toEqual([{ kind: 'rename-column', from: 'a', to: 'b' }]);
    expect(actions('alter table `t` rename `c` to `d`', 'sqlite')).toEqual([{ kind: 'rename-column', from: 'c', to: 'd' }]);
    expect(actions('alter table t rename to s.u', 'postgresql')).toEqual([{ kind: 'rename-table', to: { name: 'u', schema: 's' } }]);
    expect(actions('alter table t rename as u', 'mysql')).toEqual([{ kind: 'rename-table', to: { name: 'u' } }]);
    expect(actions('alter table t rename u', 'mysql')).toEqual([{ kind: 'rename-table', to: { name: 'u' } }]);
    expect(actions('alter table t rename index a to b', 'mysql')).toEqual([{ kind: 'other', text: 'rename index a to b' }]);
  });

  it('keeps what it does not know as other, with its text', () => {
    expect(actions('alter table t owner to admin, engine = InnoDB', 'postgresql')).toEqual([
      { kind: 'other', text: 'owner to admin' },
      { kind: 'other', text: 'engine = InnoDB' },
    ]);
  });
});

describe('parseStatement: CREATE', () => {
  it('reads CREATE TABLE columns, types, NOT NULL, defaults and primary keys (inline and as a constraint)', () => {
    const sql =
      "create table if not exists `t` (`id` int unsigned not null auto_increment, `name` varchar(255) not null default 'x', `note` text, primary key (`id`), constraint u unique (name))";
    expect(parseStatement(sql, 'mysql')).toEqual({
      kind: 'create-table',
      table: { name: 't' },
      columns: [
        { name: 'id', type: 'int unsigned', notNull: true, hasDefault: true, primary: true },
        { name: 'name', type: 'varchar(255)', notNull: true, hasDefault: true, primary: false },
        { name: 'note', type: 'text', notNull: false, hasDefault: false, primary: false },
      ],
      asSelect: false,
      temporary: false,
      ifNotExists: true,
    });
    expect(parseStatement('create table t (id serial primary key, n)', 'postgresql')).toMatchObject({
      columns: [
        { name: 'id', type: 'serial', hasDefault: true, primary: true },
        { name: 'n', type: '', hasDefault: false },
      ],
    });
  });

  it('reads temporary tables and CREATE TABLE … AS SELECT', () => {
    expect(parseStatement('create temp table x as select a, b from s.y', 'postgresql')).toEqual({
      kind: 'create-table',
      table: { name: 'x' },
      columns: [],
      asSelect: true,
      select: { from: { name: 'y', schema: 's' }, columns: ['a', 'b'] },
      temporary: true,
      ifNotExists: false,
    });
    expect(parseStatement('create table x as (select * from y)', 'postgresql')).toMatchObject({
      asSelect: true,
      select: { from: { name: 'y' }, columns: '*' },
    });
    expect(parseStatement('create table x (a int) select a from y', 'mysql')).toMatchObject({ asSelect: true, columns: [{ name: 'a' }] });
  });

  it('reads CREATE INDEX: unique, concurrently, name, table and columns', () => {
    expect(parseStatement('create unique index concurrently if not exists ix on only s.t using btree (a desc, lower(b))', 'postgresql')).toEqual({
      kind: 'create-index',
      name: 'ix',
      table: { name: 't', schema: 's' },
      unique: true,
      concurrently: true,
      columns: ['a', 'lower(b)'],
    });
    expect(parseStatement('create index on t (a)', 'postgresql')).toEqual({
      kind: 'create-index',
      table: { name: 't' },
      unique: false,
      concurrently: false,
      columns: ['a'],
    });
    expect(parseStatement('create fulltext index ix using btree on `t` (`body`(100))', 'mysql')).toMatchObject({ name: 'ix', columns: ['body'] });
  });

  it('reads CREATE VIEW', () => {
    expect(parseStatement('create or replace view v as select 1', 'postgresql')).toEqual({
      kind: 'create-view',
      view: { name: 'v' },
      materialized: false,
    });
    expect(parseStatement('create materialized view if not exists s.v as select 1', 'postgresql')).toEqual({
      kind: 'create-view',
      view: { name: 'v', schema: 's' },
      materialized: true,
    });
  });
});

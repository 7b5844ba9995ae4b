import { describe, expect, it } from 'vitest';
import { dataLossOf, describeDataLoss, type SchemaLookup } from '../../../src/core/sql/index.js';
import type { Dialect } from '../../../src/core/url.js';
import { DROP_STATEMENTS, DROPPED } from '../../helpers/data-loss.js';

function lost(statements: string[], dialect: Dialect = 'sqlite', schema?: SchemaLookup): string[] {
  return dataLossOf(statements, dialect, schema).map(describeDataLoss);
}

function liveSchema(tables: Record<string, string[]>): SchemaLookup {
  return { columns: (table) => tables[table] };
}

describe('dataLossOf: what is lost', () => {
  it('finds each dropped table, with the statement that drops it', () => {
    expect(dataLossOf(['drop table features'], 'sqlite')).toEqual([{ kind: 'table', table: 'features', statement: 'drop table features' }]);
    expect(lost(['drop table if exists a, b cascade'], 'postgresql')).toEqual(['table a and its rows', 'table b and its rows']);
    expect(lost(['DROP TABLE "Quoted""Name"'], 'postgresql')).toEqual(['table Quoted"Name and its rows']);
    expect(lost(['drop table `app`.`t`'], 'mysql')).toEqual(['table app.t and its rows']);
  });

  it('finds drops behind comments and after other statements in the same string', () => {
    expect(dataLossOf(['/* cleanup */ drop table dl'], 'sqlite')).toEqual([{ kind: 'table', table: 'dl', statement: '/* cleanup */ drop table dl' }]);
    expect(dataLossOf(['select 1; drop table dl'], 'sqlite')).toEqual([{ kind: 'table', table: 'dl', statement: 'drop table dl' }]);
    expect(lost(['-- down\ndrop table dl;'], 'mysql')).toEqual(['table dl and its rows']);
    expect(lost(['/*!40101 drop table dl */'], 'mysql')).toEqual(['table dl and its rows']);
  });

  it('finds each dropped column, two in one statement giving two losses', () => {
    expect(lost(['alter table only x drop column if exists y'], 'postgresql')).toEqual(['column x.y and its values']);
    expect(lost(['alter table `t` drop `a`, drop column `b`, drop index `ix`'], 'mysql')).toEqual([
      'column t.a and its values',
      'column t.b and its values',
    ]);
    expect(dataLossOf(['alter table s.t drop column c'], 'postgresql')).toEqual([
      { kind: 'column', table: 's.t', column: 'c', statement: 'alter table s.t drop column c' },
    ]);
  });

  it('finds every row of a truncated table, and of a DELETE without WHERE', () => {
    expect(lost(['truncate table a, s.b'], 'postgresql')).toEqual(['every row of a', 'every row of s.b']);
    expect(dataLossOf(['delete from `t`'], 'sqlite')).toEqual([{ kind: 'rows', table: 't', statement: 'delete from `t`' }]);
    expect(lost(['delete from t using (select id from u where a) s'], 'postgresql')).toEqual(['every row of t']);
  });

  // Issue 17: `delete from x where 1=1` in a down() ran without --yes.
  it.each([
    ['delete from t where 1=1', 'sqlite'],
    ['delete from t where true', 'postgresql'],
    ["delete from t where 'a'='a'", 'mysql'],
    ['delete from t where x = x', 'mariadb'],
    ['delete from t where t.id = T.ID', 'sqlite'],
    ['delete from t where 1', 'mysql'],
    ['delete from t where not false', 'postgresql'],
    ['delete from t where 2>1', 'sqlite'],
    ['delete from t where 1=1 or id in (1, 2)', 'postgresql'],
    ['delete from t where id = 3 or (1 = 1)', 'mysql'],
    ['delete from t where ((1 <> 2)) and not (0 > 1)', 'sqlite'],
    ['delete from t where 1 == 1', 'sqlite'],
    ["delete from t where 'b' >= 'a' returning id", 'postgresql'],
    ['delete from `t` where -1 < 0 order by id', 'mariadb'],
  ] as const)('finds every row of a DELETE whose WHERE is always true: %s (%s)', (sql, dialect) => {
    expect(lost([sql], dialect)).toEqual(['every row of t']);
  });

  it.each([
    'delete from t where 1=0',
    'delete from t where id = 1',
    'delete from t where x = y',
    'delete from t where 1=1 and id = 2',
    "delete from t where 'a'='b' or id > 3",
    'delete from t where not true',
    'delete from t where x = x + 1',
    'delete from t where 0',
    'delete from t where x is null or 1 = 2',
  ])('a WHERE that can leave rows loses none: %s', (sql) => {
    expect(lost([sql])).toEqual([]);
  });

  // Issue 17 (round 3): an UPDATE of every row overwrites its columns' values, with or without an always-true WHERE.
  it.each([
    ['update t set x = 1', 'sqlite'],
    ['update t set x = 1 where 1=1', 'sqlite'],
    ['update t set x = 1 where true', 'postgresql'],
    ['update t set x = 1 where 1', 'mysql'],
    ['update t set x = 1 where x = x', 'mariadb'],
    ['update `t` set `x` = lower(`x`) where not false', 'mysql'],
    ['update t as a set a.x = 1 where 1 = 1 returning id', 'postgresql'],
  ] as const)('finds every value of a column an UPDATE of every row sets: %s (%s)', (sql, dialect) => {
    expect(dataLossOf([sql], dialect)).toEqual([{ kind: 'values', table: 't', column: 'x', statement: sql }]);
    expect(lost([sql], dialect)).toEqual(['every value of t.x']);
  });

  it('an UPDATE of every row loses each column it sets, but not one set to itself, nor one the same list added', () => {
    expect(lost(['update t set a = 1, b = b, (c, d) = (2, 3) where 1=1'], 'postgresql')).toEqual([
      'every value of t.a',
      'every value of t.c',
      'every value of t.d',
    ]);
    // down() restoring a NOT NULL column: added nullable, filled, then NOT NULL.
    expect(
      lost(['alter table t add column n varchar(255) null', "update t set n = ''", 'alter table t alter column n set not null'], 'postgresql'),
    ).toEqual([]);
    expect(lost(['create table n (id int, v int)', 'update n set v = 0'])).toEqual([]);
  });

  it('finds dropped schemas and databases', () => {
    expect(dataLossOf(['drop schema app cascade'], 'postgresql')).toEqual([{ kind: 'schema', table: 'app', statement: 'drop schema app cascade' }]);
    expect(lost(['drop database if exists shop'], 'mariadb')).toEqual(['schema shop and every table in it']);
  });

  it('finds what the regular-expression detector in src/core/data-loss.ts found', () => {
    const statements = DROP_STATEMENTS;
    // One list each: within one list, a table dropped earlier has no columns left to lose.
    expect(statements.flatMap((statement) => lost([statement], 'mysql'))).toEqual(DROPPED);
  });

  it('keeps statement order', () => {
    expect(lost(['alter table a drop column x', 'drop table b; truncate c'], 'postgresql')).toEqual([
      'column a.x and its values',
      'table b and its rows',
      'every row of c',
    ]);
  });
});

describe('dataLossOf: what loses nothing', () => {
  const harmless: Array<[string, Dialect]> = [
    ['drop index x', 'sqlite'],
    ['drop index concurrently if exists x', 'postgresql'],
    ['drop index `x` on `t`', 'mysql'],
    ['alter table t drop constraint c', 'postgresql'],
    ['alter table t drop foreign key f', 'mysql'],
    ['alter table t drop primary key', 'mariadb'],
    ['alter table t drop index ix, drop key k, drop check chk', 'mysql'],
    ['alter table t alter column c drop default', 'postgresql'],
    ['alter table t alter column c drop not null', 'postgresql'],
    ['alter table t rename column a to b', 'postgresql'],
    ['delete from t where id = 1', 'sqlite'],
    ['update t set a = 1 where id = 1', 'sqlite'],
    ['update t set a = a', 'postgresql'],
    ['update a join b on a.id = b.id set a.x = 1', 'mysql'],
    ["insert into log (note) values ('drop table x')", 'sqlite'],
    ["select 'drop table x; alter table t drop column c'", 'postgresql'],
    ['-- drop table x', 'sqlite'],
    ['/* drop table x */ select 1', 'postgresql'],
    ['create table drop_table (id int)', 'sqlite'],
    ['drop view v', 'postgresql'],
    ['comment on table t is $$drop table x$$', 'postgresql'],
  ];
  it.each(harmless)('%s (%s)', (sql, dialect) => {
    expect(dataLossOf([sql], dialect)).toEqual([]);
  });

  it('does not count tables the same list created: a helper table dropped again', () => {
    expect(lost(['create table tmp (id int)', 'insert into tmp select id from t', 'drop table tmp', 'truncate tmp'], 'postgresql')).toEqual([]);
    expect(lost(['create temporary table tmp as select * from t; delete from tmp; drop table tmp'])).toEqual([]);
  });

  it('counts a table that was dropped and created again empty', () => {
    expect(lost(['drop table t', 'create table t (id int)'])).toEqual(['table t and its rows']);
  });

  it('does not count a column or rows of a table the list dropped already', () => {
    expect(lost(['drop table t', 'alter table t drop column c', 'delete from t'])).toEqual(['table t and its rows']);
  });
});

describe('dataLossOf: SQLite table rebuilds', () => {
  const schema = liveSchema({ features: ['id', 'name', 'slug', 'rank'] });

  const copyDropRename = [
    'create table features_new (id text not null primary key, name text, rank integer)',
    'insert into features_new (id, name, rank) select id, name, rank from features',
    'drop table features',
    'alter table features_new rename to features',
  ];
  const renameCopyDrop = [
    'alter table features rename to features_old',
    'create table features (id text not null primary key, name text, rank integer)',
    'insert into features select id, name, rank from features_old',
    'drop table features_old',
  ];

  it('does not count the rebuilt table as lost; counts the columns it leaves behind (copy, drop, rename back)', () => {
    expect(lost(copyDropRename, 'sqlite', schema)).toEqual(['column features.slug and its values']);
    expect(dataLossOf(copyDropRename, 'sqlite', schema)[0].statement).toBe('drop table features');
  });

  it('does the same in the reversed naming (rename away, create, copy, drop the old one)', () => {
    expect(lost(renameCopyDrop, 'sqlite', schema)).toEqual(['column features.slug and its values']);
  });

  it('reports nothing without a live schema, and never the table', () => {
    expect(lost(copyDropRename)).toEqual([]);
    expect(lost(renameCopyDrop)).toEqual([]);
  });

  it('loses nothing when the copy carries every column', () => {
    const all = ['create table f2 (a, b)', 'insert into f2 select * from features', 'drop table features', 'alter table f2 rename to features'];
    expect(lost(all, 'sqlite', schema)).toEqual([]);
    expect(lost([all.join(';\n')], 'sqlite', schema)).toEqual([]);
  });

  it('counts a column dropped from the copy before it is renamed back', () => {
    const steps = [
      'create table f2 (a)',
      'insert into f2 select * from features',
      'alter table f2 drop column rank',
      'drop table features',
      'alter table f2 rename to features',
    ];
    expect(lost(steps)).toEqual(['column features.rank and its values']);
  });

  it('counts the table when the copy never comes back under its name', () => {
    const archived = ['create table archive (id, name)', 'insert into archive select id, name from features', 'drop table features'];
    expect(lost(archived, 'sqlite', schema)).toEqual(['table features and its rows']);
    expect(lost(['alter table features rename to features_old', 'drop table features_old'])).toEqual(['table features_old and its rows']);
    expect(lost([...copyDropRename, 'drop table features'], 'sqlite', schema)).toEqual(['table features and its rows']);
  });

  it('follows a copy of a copy', () => {
    const steps = [
      'create table a (id, name)',
      'insert into a select id, name, rank from features',
      'create table b (id, name)',
      'insert into b select id, name from a',
      'drop table features',
      'drop table a',
      'alter table b rename to features',
    ];
    expect(lost(steps, 'sqlite', schema)).toEqual(['column features.slug and its values', 'column features.rank and its values']);
  });
});

import { describe, expect, it } from 'vitest';
import { parseStatement } from '../../../src/core/sql/index.js';

describe('parseStatement: DELETE and UPDATE', () => {
  it('tells a DELETE with a WHERE from one without', () => {
    expect(parseStatement('delete from t where id = 1', 'sqlite')).toEqual({ kind: 'delete', table: { name: 't' }, everyRow: false });
    expect(parseStatement('DELETE FROM "s"."t"', 'postgresql')).toEqual({ kind: 'delete', table: { name: 't', schema: 's' }, everyRow: true });
    expect(parseStatement('delete from only t', 'postgresql')).toEqual({ kind: 'delete', table: { name: 't' }, everyRow: true });
    expect(parseStatement('delete low_priority quick from `t`', 'mysql')).toEqual({ kind: 'delete', table: { name: 't' }, everyRow: true });
  });

  it('counts only a top-level WHERE: one inside a subquery in USING or a join does not restrict the delete', () => {
    expect(parseStatement('delete from t using (select id from u where u.x = 1) s', 'postgresql')).toMatchObject({ everyRow: true });
    expect(parseStatement('delete from t using u where t.id = u.id', 'postgresql')).toMatchObject({ everyRow: false });
    expect(parseStatement('delete t1 from t1 join (select id from t2 where a) x on x.id = t1.id', 'mysql')).toEqual({
      kind: 'delete',
      table: { name: 't1' },
      everyRow: true,
    });
    expect(parseStatement("delete from t where note = 'where'", 'sqlite')).toMatchObject({ everyRow: false });
    expect(parseStatement('delete from t -- where id = 1\n', 'sqlite')).toMatchObject({ everyRow: true });
  });

  it('reads a DELETE after a WITH', () => {
    expect(parseStatement('with old as (select id from t where a < 1) delete from t where id in (select id from old)', 'postgresql')).toEqual({
      kind: 'delete',
      table: { name: 't' },
      everyRow: false,
    });
  });

  it('reads UPDATE and whether it has a WHERE', () => {
    expect(parseStatement("update features set slug = 'x' where slug is null", 'sqlite')).toEqual({
      kind: 'update',
      table: { name: 'features' },
      everyRow: false,
      columns: ['slug'],
    });
    expect(parseStatement('update or ignore only "t" set a = 1', 'sqlite')).toEqual({
      kind: 'update',
      table: { name: 't' },
      everyRow: true,
      columns: ['a'],
    });
    expect(parseStatement('update t x set x.a = 1, b = b, other.c = 2 from other where 1=1', 'postgresql')).toEqual({
      kind: 'update',
      table: { name: 't' },
      everyRow: true,
      columns: ['a'],
    });
  });
});

describe('parseStatement: INSERT', () => {
  it('reads the table, the column list and the SELECT it copies from', () => {
    expect(parseStatement('insert into t (a, b) select a, b from x', 'sqlite')).toEqual({
      kind: 'insert',
      table: { name: 't' },
      columns: ['a', 'b'],
      select: { from: { name: 'x' }, columns: ['a', 'b'] },
    });
    expect(parseStatement('insert into t (a) values (1), (2)', 'postgresql')).toEqual({ kind: 'insert', table: { name: 't' }, columns: ['a'] });
    expect(parseStatement('insert or replace into t default values', 'sqlite')).toEqual({ kind: 'insert', table: { name: 't' } });
    expect(parseStatement('replace into `t` set a = 1', 'mysql')).toEqual({ kind: 'insert', table: { name: 't' } });
  });

  it('reads * and t.* as every column', () => {
    expect(parseStatement('insert into "t2" select * from "t"', 'sqlite')).toMatchObject({ select: { from: { name: 't' }, columns: '*' } });
    expect(parseStatement('insert into t2 select t.* from t', 'sqlite')).toMatchObject({ select: { columns: '*' } });
  });

  it('reads the columns a select list reads, not its aliases, functions, qualifiers, literals or cast types', () => {
    const sql = "insert into n select distinct t.id, upper(name) as name2, cast(rank as text), null as title, 'x' label, coalesce(a, b) c from t";
    expect(parseStatement(sql, 'sqlite')).toMatchObject({ select: { from: { name: 't' }, columns: ['id', 'name', 'rank', 'a', 'b'] } });
    expect(parseStatement('insert into n select case when a then b else c end from only t', 'postgresql')).toMatchObject({
      select: { from: { name: 't' }, columns: ['a', 'b', 'c'] },
    });
    expect(parseStatement('insert into n select "Mixed Case" from t', 'postgresql')).toMatchObject({ select: { columns: ['Mixed Case'] } });
  });

  it('reads a SELECT without FROM', () => {
    expect(parseStatement('insert into t (a) select 1', 'sqlite')).toMatchObject({ select: { from: undefined, columns: [] } });
  });
});

describe('parseStatement: everything else', () => {
  it('reads a plain query as select, but PostgreSQL SELECT … INTO as other', () => {
    expect(parseStatement('select count(*) from t', 'sqlite')).toEqual({ kind: 'select' });
    expect(parseStatement('(select 1) union (select 2)', 'postgresql')).toEqual({ kind: 'select' });
    expect(parseStatement('with x as (select 1) select * from x', 'postgresql')).toEqual({ kind: 'select' });
    expect(parseStatement('select * into backup from t', 'postgresql')).toEqual({ kind: 'other', keyword: 'select' });
    expect(parseStatement('select a into @v from t', 'mysql')).toEqual({ kind: 'select' });
    expect(parseStatement("select 'into' from t", 'postgresql')).toEqual({ kind: 'select' });
  });

  it('reads transaction control', () => {
    const actionOf = (sql: string) => {
      const s = parseStatement(sql, 'postgresql');
      return s.kind === 'transaction' ? s.action : s.kind;
    };
    expect(
      [
        'BEGIN;',
        'begin immediate transaction',
        'start transaction',
        'commit',
        'end',
        'rollback to savepoint a',
        'savepoint a',
        'release a',
        'set transaction isolation level serializable',
      ].map(actionOf),
    ).toEqual(['begin', 'begin', 'begin', 'commit', 'commit', 'rollback', 'savepoint', 'release', 'set']);
  });

  it('reads SQLite pragmas and session settings', () => {
    expect(parseStatement('pragma foreign_keys = off;', 'sqlite')).toEqual({ kind: 'pragma', name: 'foreign_keys', value: 'off' });
    expect(parseStatement('PRAGMA main.table_info(`t`)', 'sqlite')).toEqual({ kind: 'pragma', name: 'table_info', value: 't' });
    expect(parseStatement('pragma foreign_keys', 'sqlite')).toEqual({ kind: 'pragma', name: 'foreign_keys' });
    expect(parseStatement('set foreign_key_checks = 0', 'mysql')).toEqual({ kind: 'set', name: 'foreign_key_checks' });
    expect(parseStatement('set local search_path to app', 'postgresql')).toEqual({ kind: 'set', name: 'search_path' });
  });

  it('names the first keyword of anything else', () => {
    expect(parseStatement('VACUUM', 'sqlite')).toEqual({ kind: 'other', keyword: 'vacuum' });
    expect(parseStatement('comment on table t is $$x$$', 'postgresql')).toEqual({ kind: 'other', keyword: 'comment' });
    expect(parseStatement('create trigger tr after insert on t begin delete from x; end', 'sqlite')).toEqual({ kind: 'other', keyword: 'create' });
    expect(parseStatement('alter sequence s restart', 'postgresql')).toEqual({ kind: 'other', keyword: 'alter' });
    expect(parseStatement('drop table', 'postgresql')).toEqual({ kind: 'other', keyword: 'drop' });
    expect(parseStatement('', 'postgresql')).toEqual({ kind: 'other', keyword: '' });
  });
});

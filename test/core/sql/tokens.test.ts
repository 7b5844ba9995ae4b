import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../../src/core/url.js';
import { splitStatements, tokenize } from '../../../src/core/sql/index.js';

/** Tokens as `kind:value`, short enough to compare in one line. */
function tokens(sql: string, dialect: Dialect): string[] {
  return tokenize(sql, dialect).map((t) => `${t.kind}:${t.value}`);
}

describe('tokenize', () => {
  it('reads words, numbers, punctuation and semicolons, with their positions in the source', () => {
    const sql = 'select a.b, 1.5e3, 0x1F, .5 from t where x <> 2;';
    expect(tokens(sql, 'sqlite')).toEqual([
      'word:select',
      'word:a',
      'punctuation:.',
      'word:b',
      'punctuation:,',
      'number:1.5e3',
      'punctuation:,',
      'number:0x1F',
      'punctuation:,',
      'number:.5',
      'word:from',
      'word:t',
      'word:where',
      'word:x',
      'punctuation:<>',
      'number:2',
      'semicolon:;',
    ]);
    const where = tokenize(sql, 'sqlite').find((t) => t.value === 'where')!;
    expect(sql.slice(where.start, where.end)).toBe('where');
  });

  it('drops -- and /* */ comments', () => {
    expect(tokens('select 1 -- one\n/* two */ + 2', 'postgresql')).toEqual(['word:select', 'number:1', 'punctuation:+', 'number:2']);
  });

  it('nests block comments on PostgreSQL only', () => {
    const sql = 'select /* a /* b */ c */ 1';
    expect(tokens(sql, 'postgresql')).toEqual(['word:select', 'number:1']);
    expect(tokens(sql, 'sqlite')).toEqual(['word:select', 'word:c', 'punctuation:*', 'punctuation:/', 'number:1']);
  });

  it('reads MySQL # comments, and -- only when a blank follows', () => {
    expect(tokens('select 1 # note\n, 2', 'mysql')).toEqual(['word:select', 'number:1', 'punctuation:,', 'number:2']);
    expect(tokens('select 1--1', 'mysql')).toEqual(['word:select', 'number:1', 'punctuation:-', 'punctuation:-', 'number:1']);
    expect(tokens('select 1 --', 'mariadb')).toEqual(['word:select', 'number:1']);
    expect(tokens('select 1 # x', 'postgresql')).toContain('punctuation:#');
  });

  it('reads the inside of MySQL /*! … */ and MariaDB /*M! … */ comments as code', () => {
    expect(tokens('/*!40101 SET x = 1 */', 'mysql')).toEqual(['word:SET', 'word:x', 'punctuation:=', 'number:1']);
    expect(tokens('/*M!100100 drop table t */', 'mariadb')).toEqual(['word:drop', 'word:table', 'word:t']);
    expect(tokens('/*! drop table t */', 'postgresql')).toEqual([]);
  });

  it("reads '' escapes in strings, and backslash escapes on MySQL and MariaDB only", () => {
    expect(tokens("'it''s'", 'sqlite')).toEqual(["string:it's"]);
    expect(tokens(String.raw`'a\'b; c' x`, 'mysql')).toEqual(["string:a'b; c", 'word:x']);
    expect(tokens(String.raw`'a\nb\\'`, 'mariadb')).toEqual(['string:a\nb\\']);
    expect(tokens(String.raw`'a\' x`, 'postgresql')).toEqual(['string:a\\', 'word:x']);
  });

  it("reads PostgreSQL E'…' strings with backslash escapes, and other prefixed strings", () => {
    expect(tokens(String.raw`E'a\'b' e'\\'`, 'postgresql')).toEqual(["string:a'b", 'string:\\']);
    expect(tokens("x'1F' N'n'", 'sqlite')).toEqual(['string:1F', 'string:n']);
  });

  it('reads dollar-quoted bodies, with and without a tag', () => {
    expect(tokens("select $$a; 'b' $$, $fn$ $$ ; $fn$", 'postgresql')).toEqual(['word:select', "string:a; 'b' ", 'punctuation:,', 'string: $$ ; ']);
    expect(tokens('$body$ unterminated; drop table x', 'postgresql')).toEqual(['string: unterminated; drop table x']);
  });

  it('reads double-quoted identifiers with "" escapes', () => {
    expect(tokens('drop table "Quoted""Name"', 'postgresql')).toEqual(['word:drop', 'word:table', 'quoted-identifier:Quoted"Name']);
  });

  it('reads backtick identifiers on MySQL, MariaDB and SQLite, and [bracket] identifiers on SQLite', () => {
    expect(tokens('`a``b`', 'mysql')).toEqual(['quoted-identifier:a`b']);
    expect(tokens('`a b`', 'sqlite')).toEqual(['quoted-identifier:a b']);
    expect(tokens('[my table]', 'sqlite')).toEqual(['quoted-identifier:my table']);
    expect(tokens('a[1]', 'postgresql')).toEqual(['word:a', 'punctuation:[', 'number:1', 'punctuation:]']);
  });

  it('reads ?, ?1, $1, :name, @name parameters; :: stays a cast', () => {
    expect(tokens('? ?1 $1 :name @v a::int $x', 'sqlite')).toEqual([
      'parameter:?',
      'parameter:?1',
      'parameter:$1',
      'parameter::name',
      'parameter:@v',
      'word:a',
      'punctuation:::',
      'word:int',
      'parameter:$x',
    ]);
  });

  it('runs unterminated strings, identifiers and comments to the end instead of throwing', () => {
    expect(tokens("select 'abc", 'sqlite')).toEqual(['word:select', 'string:abc']);
    expect(tokens('select "abc', 'postgresql')).toEqual(['word:select', 'quoted-identifier:abc']);
    expect(tokens('select `abc', 'mysql')).toEqual(['word:select', 'quoted-identifier:abc']);
    expect(tokens('select [abc', 'sqlite')).toEqual(['word:select', 'quoted-identifier:abc']);
    expect(tokens('select 1 /* never closed; drop table x', 'sqlite')).toEqual(['word:select', 'number:1']);
    expect(tokens('select 1 /* a /* b */ still open', 'postgresql')).toEqual(['word:select', 'number:1']);
    expect(tokens("'ends in a backslash\\", 'mysql')).toEqual(['string:ends in a backslash\\']);
  });
});

describe('splitStatements', () => {
  it('cuts at each ;, trims, drops empty statements and trailing comments', () => {
    expect(splitStatements('select 1; drop table dl;', 'sqlite')).toEqual(['select 1', 'drop table dl']);
    expect(splitStatements(' ;; select 1 ;\n -- the end\n', 'postgresql')).toEqual(['select 1']);
    expect(splitStatements('', 'mysql')).toEqual([]);
  });

  it('keeps comments inside the statement text', () => {
    expect(splitStatements('/* cleanup */ drop table dl', 'sqlite')).toEqual(['/* cleanup */ drop table dl']);
  });

  it('does not cut at a ; inside a string, comment, quoted identifier or dollar-quoted body', () => {
    expect(splitStatements("insert into t values ('a;b'); select 2", 'sqlite')).toEqual(["insert into t values ('a;b')", 'select 2']);
    expect(splitStatements('select 1 /* ; */ -- ;\n; select 2', 'sqlite')).toEqual(['select 1 /* ; */ -- ;', 'select 2']);
    expect(splitStatements('select "a;b", `c;d`, [e;f] from t', 'sqlite')).toHaveLength(1);
    expect(splitStatements(String.raw`select 'a\';b'; select 2`, 'mysql')).toEqual([String.raw`select 'a\';b'`, 'select 2']);
    const fn = 'create function f() returns trigger as $fn$ begin delete from x; return null; end $fn$ language plpgsql';
    expect(splitStatements(`${fn}; select 1`, 'postgresql')).toEqual([fn, 'select 1']);
  });

  it('keeps the BEGIN … END body of a SQLite trigger whole', () => {
    const trigger = 'create trigger t_audit after update on t begin insert into log values (case when new.a then 1 else 2 end); delete from x; end';
    expect(splitStatements(`${trigger}; drop table dl`, 'sqlite')).toEqual([trigger, 'drop table dl']);
  });

  it('keeps a MySQL trigger with IF … END IF and nested BEGIN … END whole', () => {
    const trigger = [
      'create definer=`root`@`%` trigger t_bi before insert on t for each row begin',
      '  if new.a is null then set new.a = 1; end if;',
      '  begin set @x = 1; end;',
      '  case new.b when 1 then set @y = 2; else set @y = 3; end case;',
      'end',
    ].join('\n');
    expect(splitStatements(`${trigger};\nselect 1;`, 'mysql')).toEqual([trigger, 'select 1']);
  });

  it('cuts at every ; when a trigger body never ends, rather than hide what follows', () => {
    expect(splitStatements('create trigger tr after insert on t begin select 1; drop table dl;', 'sqlite')).toEqual([
      'create trigger tr after insert on t begin select 1',
      'drop table dl',
    ]);
  });

  it('does not treat a plain BEGIN (a transaction) as a body', () => {
    expect(splitStatements('begin; drop table dl; commit;', 'sqlite')).toEqual(['begin', 'drop table dl', 'commit']);
  });
});

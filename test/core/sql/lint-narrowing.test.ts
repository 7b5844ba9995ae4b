import { describe, expect, it } from 'vitest';
import { narrowingOf } from '../../../src/core/sql/lint-types.js';
import { type LiveSchema, lintRevision } from '../../../src/core/sql/index.js';
import type { Dialect } from '../../../src/core/url.js';

// MikroORM 6.6.16's schema diff for `features` after the entity narrowed five properties (bigint → integer,
// string → string(50), double → float, decimal(10,2) → decimal(8,2), datetime → date), captured on each database.
const PG_UP =
  'alter table "features" alter column "name" type varchar(50) using ("name"::varchar(50));\nalter table "features" alter column "rank" type int using ("rank"::int);\nalter table "features" alter column "score" type real using ("score"::real);\nalter table "features" alter column "amount" type numeric(8,2) using ("amount"::numeric(8,2));\nalter table "features" alter column "created_at" type date using ("created_at"::date);\n\n';
const PG_DOWN =
  'alter table "features" alter column "name" type varchar(255) using ("name"::varchar(255));\nalter table "features" alter column "rank" type int8 using ("rank"::int8);\nalter table "features" alter column "score" type float8 using ("score"::float8);\nalter table "features" alter column "amount" type numeric(10,2) using ("amount"::numeric(10,2));\nalter table "features" alter column "created_at" type timestamptz(6) using ("created_at"::timestamptz(6));\n\n';
const MARIADB_UP =
  'alter table `features` modify `name` varchar(50) not null, modify `rank` int, modify `score` float, modify `amount` numeric(8,2), modify `created_at` date;\n\n';
const MARIADB_DOWN =
  'alter table `features` modify `name` varchar(255) not null, modify `rank` bigint, modify `score` double, modify `amount` decimal(10,2), modify `created_at` datetime;\n\n';

function lint(dialect: Dialect, up: string[], down?: string[], live?: LiveSchema): string[] {
  return lintRevision({ dialect, up, ...(down && { down }), ...(live && { live }) }).map((w) => w.message);
}

function liveTypes(types: Record<string, string>): LiveSchema {
  return { columns: () => undefined, type: (table, column) => types[`${table}.${column}`] };
}

describe('narrowing-type', () => {
  it('fires on each narrowed column of a PostgreSQL diff, judged against down()', () => {
    expect(lint('postgresql', [PG_UP], [PG_DOWN])).toEqual([
      'narrows features.name from varchar(255) to varchar(50): values longer than 50 make it fail, or are cut',
      'narrows features.rank from int8 to int: values outside the new range make it fail',
      'narrows features.score from float8 to real: values lose precision',
      'narrows features.amount from numeric(10,2) to numeric(8,2): values with more digits make it fail, or are rounded',
      'narrows features.created_at from timestamptz(6) to date: the time of day is cut',
    ]);
  });

  it('fires on each narrowed column of a MariaDB MODIFY, judged against down()', () => {
    const found = lintRevision({ dialect: 'mariadb', up: [MARIADB_UP], down: [MARIADB_DOWN] });
    expect(found.map((w) => w.rule)).toEqual(Array(5).fill('narrowing-type'));
    expect(found.map((w) => w.message)).toContain('narrows features.score from double to float: values lose precision');
  });

  it('judges against the live schema when it knows the type, before down()', () => {
    const live = liveTypes({ 'features.rank': 'bigint' });
    expect(lint('postgresql', ['alter table "features" alter column "rank" type integer using ("rank"::integer)'], undefined, live)).toEqual([
      'narrows features.rank from bigint to integer: values outside the new range make it fail',
    ]);
    const renamed = liveTypes({ 'features.slug': 'varchar(255)' });
    expect(lint('mysql', ['alter table `features` change `slug` `handle` varchar(40) null'], undefined, renamed)).toEqual([
      'renames column features.slug to handle: code still using the old name breaks the moment it runs; rename in steps',
      'narrows features.handle from varchar(255) to varchar(40): values longer than 40 make it fail, or are cut',
    ]);
  });

  it('stays quiet on widening, on unknown old types, on new columns and on SQLite', () => {
    expect(
      lint(
        'postgresql',
        ['alter table "features" alter column "name" type text using ("name"::text);\n\n'],
        ['alter table "features" alter column "name" type varchar(255) using ("name"::varchar(255));\n\n'],
      ),
    ).toEqual([]);
    expect(
      lint(
        'mariadb',
        ['alter table `features` modify `name` text not null;\n\n'],
        ['alter table `features` modify `name` varchar(255) not null;\n\n'],
      ),
    ).toEqual([]);
    expect(lint('postgresql', [PG_UP])).toEqual([]);
    expect(lint('postgresql', ['alter table "features" add column "x" bigint null', 'alter table "features" alter column "x" type int'])).toEqual([]);
    expect(lint('sqlite', ['alter table `features` add column `x` text'], undefined, liveTypes({ 'features.rank': 'bigint' }))).toEqual([]);
  });
});

describe('narrowingOf', () => {
  it.each<[string, string, Dialect]>([
    ['bigint', 'int', 'mysql'],
    ['int8', 'integer', 'postgresql'],
    ['int', 'smallint', 'postgresql'],
    ['int unsigned', 'int', 'mysql'],
    ['text', 'varchar(255)', 'postgresql'],
    ['varchar(255)', 'varchar(50)', 'mysql'],
    ['character varying(100)', 'char(10)', 'postgresql'],
    ['longtext', 'text', 'mysql'],
    ['numeric(10,2)', 'numeric(10,1)', 'postgresql'],
    ['decimal(10,2)', 'decimal(9,2)', 'mysql'],
    ['numeric', 'numeric(20,4)', 'postgresql'],
    ['numeric(10,2)', 'integer', 'postgresql'],
    ['double precision', 'real', 'postgresql'],
    ['double', 'float', 'mariadb'],
    ['float8', 'int', 'postgresql'],
    ['timestamp', 'date', 'postgresql'],
    ['datetime(6)', 'datetime', 'mysql'],
    ['timestamp(6) with time zone', 'time', 'postgresql'],
    ['varchar(255)', 'integer', 'postgresql'],
    ['uuid', 'varchar(20)', 'postgresql'],
  ])('%s → %s narrows (%s)', (from, to, dialect) => {
    expect(narrowingOf(from, to, dialect)).toBeTypeOf('string');
  });

  it.each<[string, string, Dialect]>([
    ['int', 'bigint', 'postgresql'],
    ['integer', 'int4', 'postgresql'],
    ['varchar(50)', 'varchar(255)', 'mysql'],
    ['varchar(255)', 'text', 'postgresql'],
    ['varchar(255) character set utf8mb4', 'varchar(255)', 'mysql'],
    ['numeric(8,2)', 'numeric(10,2)', 'postgresql'],
    ['real', 'double precision', 'postgresql'],
    ['real', 'double', 'mysql'],
    ['date', 'timestamp', 'postgresql'],
    ['timestamptz', 'timestamptz(6)', 'postgresql'],
    ['int', 'numeric(12,2)', 'postgresql'],
    ['json', 'jsonb', 'postgresql'],
    ['int[]', 'int', 'postgresql'],
    ['geometry', 'point', 'postgresql'],
  ])('%s → %s does not (%s)', (from, to, dialect) => {
    expect(narrowingOf(from, to, dialect)).toBeUndefined();
  });
});

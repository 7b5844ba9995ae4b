import { describe, expect, it } from 'vitest';
import { dataLossOf, describeDataLoss, parseStatement, splitStatements, type SchemaLookup } from '../../../src/core/sql/index.js';
import type { Dialect } from '../../../src/core/url.js';

// SQL exactly as knex 3.2.10 and MikroORM 6.6.16 (the versions in node_modules) generate it. knex's
// SQLite column changes run a rebuild at execution time: those statements were captured from a live
// in-memory database; MikroORM's rebuild comes from BaseSqliteSchemaHelper.getAlterTable.

function lost(statements: string[], dialect: Dialect, schema?: SchemaLookup): string[] {
  return dataLossOf(statements, dialect, schema).map(describeDataLoss);
}

describe('knex 3', () => {
  it('pg: dropColumn / dropColumns', () => {
    expect(lost(['alter table "t" drop column "c"'], 'postgresql')).toEqual(['column t.c and its values']);
    expect(lost(['alter table "t" drop column "c", drop column "d"'], 'postgresql')).toEqual([
      'column t.c and its values',
      'column t.d and its values',
    ]);
  });

  it('mysql2: dropColumn / dropColumns', () => {
    expect(lost(['alter table `t` drop `c`'], 'mysql')).toEqual(['column t.c and its values']);
    expect(lost(['alter table `t` drop `c`, drop `d`'], 'mysql')).toEqual(['column t.c and its values', 'column t.d and its values']);
  });

  it('every client: dropTable, dropTableIfExists with a schema', () => {
    expect(lost(['drop table `t`'], 'sqlite')).toEqual(['table t and its rows']);
    expect(lost(['drop table "t"'], 'postgresql')).toEqual(['table t and its rows']);
    expect(lost(['drop table if exists "s"."t"'], 'postgresql')).toEqual(['table s.t and its rows']);
    expect(lost(['drop table if exists `s`.`t`'], 'mysql')).toEqual(['table s.t and its rows']);
  });

  it('index, foreign key, primary key and unique drops lose nothing', () => {
    expect(lost(['drop index `ix_c`', 'drop index `uq_c`'], 'sqlite')).toEqual([]);
    expect(
      lost(
        [
          'drop index "ix_c"',
          'alter table "t" drop constraint "fk_c"',
          'alter table "t" drop constraint "t_pkey"',
          'alter table "t" drop constraint "uq_c"',
        ],
        'postgresql',
      ),
    ).toEqual([]);
    expect(
      lost(
        [
          'alter table `t` drop index `ix_c`',
          'alter table `t` drop foreign key `fk_c`',
          'alter table `t` drop primary key',
          'alter table `t` drop index `uq_c`',
        ],
        'mysql',
      ),
    ).toEqual([]);
  });

  it('pg: alter() and renameColumn lose nothing', () => {
    const alter = [
      'alter table "t" alter column "c" drop default',
      'alter table "t" alter column "c" drop not null',
      'alter table "t" alter column "c" type varchar(100) using ("c"::varchar(100))',
      'alter table "t" alter column "c" set not null',
      'alter table "t" rename "c" to "d"',
    ];
    expect(lost(alter, 'postgresql')).toEqual([]);
    expect(parseStatement(alter[2], 'postgresql')).toMatchObject({ actions: [{ kind: 'alter-column-type', column: 'c', type: 'varchar(100)' }] });
    expect(parseStatement(alter[4], 'postgresql')).toMatchObject({ actions: [{ kind: 'rename-column', from: 'c', to: 'd' }] });
  });

  it('mysql2: alter(), renameTable', () => {
    expect(parseStatement('alter table `t` modify `c` varchar(100) not null', 'mysql')).toMatchObject({
      actions: [{ kind: 'alter-column-type', column: 'c', type: 'varchar(100)' }],
    });
    expect(parseStatement('rename table `a` to `b`', 'mysql')).toMatchObject({
      kind: 'rename-table',
      renames: [{ from: { name: 'a' }, to: { name: 'b' } }],
    });
  });

  it('truncate(): pg and mysql truncate, sqlite deletes every row', () => {
    expect(lost(['truncate "t" restart identity'], 'postgresql')).toEqual(['every row of t']);
    expect(lost(['truncate `t`'], 'mysql')).toEqual(['every row of t']);
    expect(lost(['delete from `t`', "delete from sqlite_sequence where name = 't'"], 'sqlite')).toEqual(['every row of t']);
    expect(lost(['delete from "t" where "id" = ?'], 'postgresql')).toEqual([]);
  });

  it('createTable on each client', () => {
    expect(
      parseStatement("create table `t` (`id` integer not null primary key autoincrement, `name` varchar(255) not null default 'x')", 'sqlite'),
    ).toMatchObject({
      columns: [
        { name: 'id', type: 'integer', notNull: true, hasDefault: true, primary: true },
        { name: 'name', type: 'varchar(255)', notNull: true, hasDefault: true, primary: false },
      ],
    });
    expect(parseStatement('create table "t" ("id" serial primary key, "name" varchar(255) not null default \'x\')', 'postgresql')).toMatchObject({
      columns: [{ name: 'id', type: 'serial', hasDefault: true, primary: true }, { name: 'name' }],
    });
    expect(
      parseStatement("create table `t` (`id` int unsigned not null auto_increment primary key, `name` varchar(255) not null default 'x')", 'mysql'),
    ).toMatchObject({
      columns: [{ name: 'id', type: 'int unsigned', hasDefault: true, primary: true }, { name: 'name' }],
    });
  });

  it("sqlite3: dropColumn's rebuild loses only the column (with a live schema), never the table", () => {
    const rebuild = [
      'PRAGMA table_info(`t`)',
      'BEGIN;',
      "SELECT type, sql FROM sqlite_master WHERE (type='table' OR (type='index' AND sql IS NOT NULL)) AND lower(tbl_name)='t'",
      'COMMIT;',
      'PRAGMA foreign_keys',
      'BEGIN;',
      "CREATE TABLE `_knex_temp_alter714` (`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL, `d` integer NOT NULL DEFAULT '0')",
      'INSERT INTO "_knex_temp_alter714" SELECT "id", "d" FROM "t";',
      'DROP TABLE "t"',
      'ALTER TABLE "_knex_temp_alter714" RENAME TO "t"',
      'CREATE INDEX `ix_d` on `t` (`d`)',
      'COMMIT;',
    ];
    expect(lost(rebuild, 'sqlite', { columns: (table) => (table === 't' ? ['id', 'c', 'd'] : undefined) })).toEqual(['column t.c and its values']);
    expect(lost(rebuild, 'sqlite')).toEqual([]);
  });

  it("sqlite3: alter()'s rebuild copies every column and loses nothing", () => {
    const rebuild = [
      'CREATE TABLE `_knex_temp_alter684` (`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL, `d` varchar(50))',
      'INSERT INTO "_knex_temp_alter684" SELECT * FROM "t";',
      'DROP TABLE "t"',
      'ALTER TABLE "_knex_temp_alter684" RENAME TO "t"',
    ];
    expect(lost(rebuild, 'sqlite', { columns: () => ['id', 'd'] })).toEqual([]);
  });
});

describe('MikroORM 6 schema diffs', () => {
  it('sqlite: column drops', () => {
    const up =
      "drop index `ix_features_slug`;\nalter table `features` drop column `slug`;\nalter table `features` drop column `old`;\n\nalter table `features` add column `title` text not null default 'x';\n";
    expect(splitStatements(up, 'sqlite')).toHaveLength(4);
    expect(lost([up], 'sqlite')).toEqual(['column features.slug and its values', 'column features.old and its values']);
  });

  it('sqlite: the table rebuild of getAlterTable, as one string', () => {
    const rebuild = [
      'pragma foreign_keys = off;',
      'create table `features__temp_alter` (`id` text not null, `name` text null, `rank` integer not null, `title` text null, primary key (`id`));',
      'insert into `features__temp_alter` select `id`, `name`, `rank`, null as `title` from `features`;',
      'drop table `features`;',
      'alter table `features__temp_alter` rename to `features`;',
      'create index `ix_features_name` on `features` (`name`);',
      'pragma foreign_keys = on;',
    ].join('\n');
    const schema: SchemaLookup = { columns: (table) => (table === 'features' ? ['id', 'name', 'slug', 'rank'] : undefined) };
    expect(lost([rebuild], 'sqlite', schema)).toEqual(['column features.slug and its values']);
    expect(dataLossOf([rebuild], 'sqlite', schema)[0].statement).toBe('drop table `features`');
  });

  it('postgresql: up and down of a diff', () => {
    const up = [
      'drop index "ix_features_slug";',
      'alter table "features" drop column "slug", drop column "old";',
      '',
      'alter table "features" add column "title" varchar(255) not null default \'x\', add column "old2" varchar(255) null;',
      'alter table "features" alter column "name" type text using ("name"::text);',
      'alter table "features" alter column "rank" set not null;',
    ].join('\n');
    expect(lost([up], 'postgresql')).toEqual(['column features.slug and its values', 'column features.old and its values']);
    const down =
      'alter table "features" drop column "title";\n\nalter table "features" add column "old" varchar(255) null;\nalter table "features" rename column "old2" to "slug";\ncreate index "ix_features_slug" on "features" ("slug");';
    expect(lost([down], 'postgresql')).toEqual(['column features.title and its values']);
    expect(lost(['drop table if exists "features" cascade;'], 'postgresql')).toEqual(['table features and its rows']);
  });

  it('mysql and mariadb: up and down of a diff', () => {
    const up = [
      'alter table `features` drop index `ix_features_slug`;',
      'alter table `features` drop column `slug`, drop column `old`;',
      "alter table `features` add `title` varchar(255) not null default 'x', add `old2` varchar(255) null;",
      'alter table `features` modify `name` text null, modify `rank` int not null;',
    ].join('\n');
    const down = 'alter table `features` change `old2` `slug` varchar(255) null;\nalter table `features` add index `ix_features_slug`(`slug`);';
    for (const dialect of ['mysql', 'mariadb'] as const) {
      expect(lost([up], dialect)).toEqual(['column features.slug and its values', 'column features.old and its values']);
      expect(lost([down], dialect)).toEqual([]);
    }
    expect(parseStatement('alter table `features` change `old2` `slug` varchar(255) null', 'mysql')).toMatchObject({
      actions: [
        { kind: 'rename-column', from: 'old2', to: 'slug' },
        { kind: 'alter-column-type', column: 'slug', type: 'varchar(255)' },
      ],
    });
  });
});

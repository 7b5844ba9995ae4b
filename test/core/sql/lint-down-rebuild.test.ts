import { describe, expect, it } from 'vitest';
import { type LiveSchema, lintRevision } from '../../../src/core/sql/index.js';
import { rebuildSqliteTable, type SqliteTable } from '../../../src/core/sqlite-table.js';

const REBUILT = 'sqlite-rebuild: rebuilds table features: copies every row and holds a write lock meanwhile';

function lint(input: Parameters<typeof lintRevision>[0]): string[] {
  return lintRevision(input).map((w) => `${w.rule}: ${w.message}`);
}

describe('missing-down and empty-down', () => {
  it('fires missing-down for a class without down() of its own (MikroORM writes none on SQLite)', () => {
    expect(lint({ dialect: 'sqlite', up: ['alter table `features` add column `priority` integer null;\n\n'], hasDown: false })).toEqual([
      'missing-down: has no down(): it cannot be reverted',
    ]);
    expect(lint({ dialect: 'sqlite', up: [], hasDown: false })).toEqual(['missing-down: has no down(): it cannot be reverted']);
  });

  it('fires empty-down when up() changes something and down() runs nothing', () => {
    expect(lint({ dialect: 'postgresql', up: ['alter table "features" add column "priority" int null;\n\n'], down: [] })).toEqual([
      'empty-down: down() does nothing: reverting it leaves what up() changed in place',
    ]);
    expect(lint({ dialect: 'mariadb', up: ['update `features` set `slug` = lower(`name`)'], down: ['', '  -- nothing to undo\n'] })).toEqual([
      'data-loss: overwrites every value of features.slug: no WHERE leaves a row out, and down() cannot bring the old values back',
      'empty-down: down() does nothing: reverting it leaves what up() changed in place',
    ]);
  });

  it('stays quiet when down() runs something, when it is not known, and when up() only reads', () => {
    const up = ['alter table "features" add column "priority" int null;\n\n'];
    expect(lint({ dialect: 'postgresql', up, down: ['alter table "features" drop column "priority";\n\n'], hasDown: true })).toEqual([]);
    expect(lint({ dialect: 'postgresql', up })).toEqual([]);
    expect(lint({ dialect: 'postgresql', up: ['select 1', 'set search_path to app'], down: [] })).toEqual([]);
  });
});

describe('sqlite-rebuild', () => {
  const features: SqliteTable = {
    name: 'features',
    columns: [
      { name: 'id', type: 'text', notNull: true, default: null, pk: 1 },
      { name: 'rank', type: 'integer', notNull: false, default: null, pk: 0 },
    ],
    foreignKeys: [],
    indexes: ['create index `ix_features_rank` on `features` (`rank`)'],
    autoincrement: false,
  };
  const live: LiveSchema = { columns: (table) => (table === 'features' ? ['id', 'rank'] : undefined), type: () => undefined };

  it("fires on migrate-ui's own rebuild (rebuildSqliteTable), and not as data loss of the table", () => {
    const retyped = structuredClone(features);
    retyped.columns[1].notNull = true;
    const up = rebuildSqliteTable(features, retyped);
    expect(up[0]).toMatch(/^create table `features__migrate_ui_new`/);
    expect(lint({ dialect: 'sqlite', up, live })).toEqual([REBUILT]);
    expect(lintRevision({ dialect: 'sqlite', up })[0].statement).toBe('drop table `features`');
  });

  it("fires on MikroORM's rebuild (getAlterTable), as one string with its pragmas", () => {
    const up =
      'pragma foreign_keys = off;\ncreate table `features__temp_alter` (`id` text not null, `name` text not null, `rank` integer null, `score` real null, `amount` numeric(8,2) null, `created_at` date null, `slug` text null, primary key (`id`));\ninsert into `features__temp_alter` select `id`, `name`, `rank`, `score`, `amount`, `created_at`, `slug` from `features`;\ndrop table `features`;\nalter table `features__temp_alter` rename to `features`;\npragma foreign_keys = on;';
    expect(lint({ dialect: 'sqlite', up: [up] })).toEqual([REBUILT]);
  });

  it("fires on knex's rebuild, and keeps reporting the column the copy leaves behind as lost", () => {
    const up = [
      "CREATE TABLE `_knex_temp_alter714` (`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL, `d` integer NOT NULL DEFAULT '0')",
      'INSERT INTO "_knex_temp_alter714" SELECT "id", "d" FROM "t";',
      'DROP TABLE "t"',
      'ALTER TABLE "_knex_temp_alter714" RENAME TO "t"',
    ];
    const schema: LiveSchema = { columns: (table) => (table === 't' ? ['id', 'c', 'd'] : undefined), type: () => undefined };
    expect(lint({ dialect: 'sqlite', up, live: schema })).toEqual([
      'data-loss: loses column t.c and its values: down() can restore the structure, never the data',
      'sqlite-rebuild: rebuilds table t: copies every row and holds a write lock meanwhile',
    ]);
  });

  it('fires twice for a table rebuilt twice, and sees the rebuilt table as the one that has rows', () => {
    const once = rebuildSqliteTable(features, features);
    const up = [...once, ...once, 'alter table `features` rename column `rank` to `position`'];
    expect(lintRevision({ dialect: 'sqlite', up }).map((w) => w.rule)).toEqual(['sqlite-rebuild', 'sqlite-rebuild', 'rename']);
  });

  it('stays quiet on a plain drop, on the same statements elsewhere, and on a copy that is not renamed back', () => {
    expect(lintRevision({ dialect: 'sqlite', up: ['drop table `features`'] }).map((w) => w.rule)).toEqual(['data-loss']);
    const onPostgres = rebuildSqliteTable(features, features).map((sql) => sql.replace(/`/g, '"'));
    expect(lintRevision({ dialect: 'postgresql', up: onPostgres }).map((w) => w.rule)).not.toContain('sqlite-rebuild');
    const archived = ['create table `features_archive` as select * from `features`', 'drop table `features`'];
    expect(lintRevision({ dialect: 'sqlite', up: archived }).map((w) => w.rule)).toEqual(['data-loss']);
    expect(lintRevision({ dialect: 'sqlite', up: ['create table `x` (`id` integer)', 'drop table `x`'] })).toEqual([]);
  });
});

describe('order', () => {
  it('reports in statement order, data loss first within a statement, the down() rules last', () => {
    const up = [
      'alter table "features" rename column "name" to "title"',
      'alter table "features" drop column "slug", add column "priority" int not null',
      'create index "ix" on "features" ("title")',
    ];
    expect(lintRevision({ dialect: 'postgresql', up, down: [] }).map((w) => w.rule)).toEqual([
      'rename',
      'data-loss',
      'not-null-without-default',
      'index-not-concurrent',
      'empty-down',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { type LiveSchema, lintRevision } from '../../../src/core/sql/index.js';
import type { Dialect } from '../../../src/core/url.js';

// SQL exactly as MikroORM 6.6.16's schema diff (getUpdateSchemaMigrationSQL) and knex 3.2.10's schema builder
// wrote it, captured against PostgreSQL 15, MariaDB 10.11 and SQLite for a `features` table that has rows.

function lint(dialect: Dialect, up: string[], down?: string[], live?: LiveSchema): string[] {
  return lintRevision({ dialect, up, ...(down && { down }), ...(live && { live }) }).map((w) => `${w.rule}: ${w.message}`);
}

function rules(dialect: Dialect, up: string[], down?: string[]): string[] {
  return lintRevision({ dialect, up, ...(down && { down }) }).map((w) => w.rule);
}

describe('data-loss', () => {
  it('reports what dataLossOf finds, with the statement', () => {
    expect(lint('postgresql', ['alter table "features" drop column "slug";\n\n'])).toEqual([
      'data-loss: loses column features.slug and its values: down() can restore the structure, never the data',
    ]);
    expect(lintRevision({ dialect: 'mariadb', up: ['alter table `features` drop column `slug`;\n\n'] })[0].statement).toBe(
      'alter table `features` drop column `slug`',
    );
    expect(rules('sqlite', ['drop table `features`', 'delete from `users`', 'delete from `channel` where `id` = 1'])).toEqual([
      'data-loss',
      'data-loss',
    ]);
    expect(lint('postgresql', ['truncate "t" restart identity'])).toEqual([
      'data-loss: loses every row of t: down() can restore the structure, never the data',
    ]);
  });

  it('stays quiet on additions and on dropping what the same revision created', () => {
    expect(rules('postgresql', ['alter table "features" add column "priority" int null;\n\n'])).toEqual([]);
    expect(rules('sqlite', ['create table `tmp` (`id` integer)', 'drop table `tmp`'])).toEqual([]);
  });
});

describe('not-null-without-default', () => {
  const message =
    'not-null-without-default: adds features.priority as NOT NULL without a default: fails on a table that has rows, or locks it while it fills';

  it('fires on ADD COLUMN … NOT NULL without a default, on each dialect, from MikroORM and knex', () => {
    expect(lint('postgresql', ['alter table "features" add column "priority" int not null;\n\n'])).toEqual([message]);
    expect(lint('mariadb', ['alter table `features` add `priority` int not null;\n\n'])).toEqual([message]);
    expect(lint('sqlite', ['alter table `features` add column `priority` integer not null;\n\n'])).toEqual([message]);
    expect(lint('postgresql', ['alter table "features" add column "priority" integer not null'])).toEqual([message]);
    expect(lint('mysql', ['alter table `features` add `priority` int not null'])).toEqual([message]);
  });

  it('stays quiet with a default, when nullable, and on a table the revision created', () => {
    expect(rules('postgresql', ['alter table "features" add column "priority" int not null default 0;\n\n'])).toEqual([]);
    expect(rules('mariadb', ["alter table `features` add `priority` int not null default '0'"])).toEqual([]);
    expect(rules('sqlite', ['alter table `features` add column `priority` integer null;\n\n'])).toEqual([]);
    expect(rules('postgresql', ['alter table "features" add column "id2" serial not null'])).toEqual([]);
    const created = 'create table "projects" ("id" varchar(255) not null, constraint "projects_pkey" primary key ("id"));';
    expect(rules('postgresql', [`${created}\nalter table "projects" add column "rank" int not null;`])).toEqual([]);
  });

  it('fires on PostgreSQL SET NOT NULL of an existing column, unless down() or the live schema says it was NOT NULL already', () => {
    const up =
      'alter table "features" alter column "rank" type bigint using ("rank"::bigint);\nalter table "features" alter column "rank" set not null;\n\n';
    const down =
      'alter table "features" alter column "rank" type int8 using ("rank"::int8);\nalter table "features" alter column "rank" drop not null;\n\n';
    const made = 'not-null-without-default: makes features.rank NOT NULL: fails while any row is null, and checks every row under a lock';
    expect(lint('postgresql', [up], [down])).toEqual([made]);
    expect(lint('postgresql', [up])).toEqual([made]);
    expect(rules('postgresql', [up], ['alter table "features" alter column "rank" set not null'])).toEqual([]);
    const live: LiveSchema = { columns: () => undefined, type: () => 'bigint', nullable: () => false };
    expect(lint('postgresql', [up], undefined, live)).toEqual([]);
  });

  it('fires on MySQL MODIFY … NOT NULL only when the column is known to have been nullable', () => {
    const up = 'alter table `features` modify `rank` bigint not null;\n\n';
    expect(rules('mariadb', [up], ['alter table `features` modify `rank` bigint null;\n\n'])).toEqual(['not-null-without-default']);
    // MikroORM restates NOT NULL on every MODIFY: a column that was NOT NULL already is no news.
    expect(
      rules(
        'mariadb',
        ['alter table `features` modify `name` text not null;\n\n'],
        ['alter table `features` modify `name` varchar(255) not null;\n\n'],
      ),
    ).toEqual([]);
    expect(rules('mariadb', [up])).toEqual([]);
    const live: LiveSchema = { columns: () => undefined, type: () => 'bigint', nullable: (_t, c) => c === 'rank' };
    expect(lint('mysql', [up], undefined, live)).toEqual([
      'not-null-without-default: makes features.rank NOT NULL: fails while any row is null, and checks every row under a lock',
    ]);
  });
});

describe('index-not-concurrent', () => {
  it('fires on a PostgreSQL CREATE INDEX without CONCURRENTLY on an existing table, and on a unique constraint', () => {
    expect(lint('postgresql', ['create index "ix_features_slug" on "features" ("slug");\n\n'])).toEqual([
      'index-not-concurrent: builds index ix_features_slug on features without CONCURRENTLY: locks writes to the table while it builds',
    ]);
    expect(rules('postgresql', ['create unique index on features (lower(slug))'])).toEqual(['index-not-concurrent']);
    expect(lint('postgresql', ['alter table "features" add constraint "features_slug_unique" unique ("slug")'])).toEqual([
      'index-not-concurrent: adds unique constraint features_slug_unique on features, building its index without CONCURRENTLY: locks writes to the table while it builds',
    ]);
  });

  it('stays quiet with CONCURRENTLY, on a new table, for a constraint adopting an index, and on MySQL and SQLite', () => {
    expect(rules('postgresql', ['create index concurrently if not exists "ix_features_slug" on "features" ("slug")'])).toEqual([]);
    expect(rules('postgresql', ['alter table "features" add constraint "uq_slug" unique using index "ix_slug"'])).toEqual([]);
    const created =
      'create table "projects" ("id" varchar(255) not null, "rank" int not null, "title" varchar(255) not null, constraint "projects_pkey" primary key ("id"));\ncreate index "ix_projects_rank" on "projects" ("rank");\n\n';
    expect(rules('postgresql', [created])).toEqual([]);
    expect(rules('mariadb', ['alter table `features` add index `ix_features_slug`(`slug`);\n\n'])).toEqual([]);
    expect(rules('sqlite', ['create index `ix_features_slug` on `features` (`slug`);\n\n'])).toEqual([]);
  });
});

describe('rename', () => {
  const column = 'rename: renames column features.slug to handle: code still using the old name breaks the moment it runs; rename in steps';

  it('fires on a column rename, as MikroORM writes it on each dialect and knex on PostgreSQL', () => {
    expect(lint('postgresql', ['alter table "features" rename column "slug" to "handle";\n\n'])).toEqual([column]);
    expect(lint('mariadb', ['alter table `features` change `slug` `handle` varchar(255) null;\n\n'])).toEqual([column]);
    expect(lint('sqlite', ['alter table `features` rename column `slug` to `handle`;\n\n'])).toEqual([column]);
    expect(lint('postgresql', ['alter table "features" rename "slug" to "handle"'])).toEqual([column]);
  });

  it('fires on a table rename, as knex writes it on each dialect', () => {
    const table = 'rename: renames table features to items: code still using the old name breaks the moment it runs; rename in steps';
    expect(lint('postgresql', ['alter table "features" rename to "items"'])).toEqual([table]);
    expect(lint('mysql', ['rename table `features` to `items`'])).toEqual([table]);
    expect(lint('sqlite', ['alter table `features` rename to `items`'])).toEqual([table]);
  });

  it('stays quiet on a MySQL CHANGE that keeps the name, and on renaming what the revision created', () => {
    expect(rules('mariadb', ['alter table `features` change `slug` `slug` varchar(255) null'])).toEqual([]);
    expect(
      rules('postgresql', [
        'create table "tmp" ("id" int)',
        'alter table "tmp" rename to "projects"',
        'alter table "projects" rename column "id" to "key"',
      ]),
    ).toEqual([]);
    expect(rules('postgresql', ['alter table "features" add column "x" int null', 'alter table "features" rename column "x" to "y"'])).toEqual([]);
  });
});

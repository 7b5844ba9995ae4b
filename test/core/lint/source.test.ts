import { readFileSync } from 'node:fs';
import { JSMigrationGenerator, TSMigrationGenerator } from '@mikro-orm/migrations';
import { describe, expect, it } from 'vitest';
import { lintFile as lintSource } from '../../../src/authoring/ops/lint.js';
import type { Dialect } from '../../../src/core/url.js';
import { migration } from '../../helpers/real-project.js';

// MikroORM's own generators write the files MikroORM users have (`migration:create`), template literals and all.
const ts = new TSMigrationGenerator(undefined as never, undefined as never, {} as never);
const js = new JSMigrationGenerator(undefined as never, undefined as never, {} as never);

function rules(source: string, dialect: Dialect = 'postgresql'): string[] {
  return lintSource(source, dialect).map((w) => w.rule);
}

function repositoryMigration(name: string): string {
  return readFileSync(new URL(`../../../migrations/${name}.ts`, import.meta.url), 'utf8');
}

describe('lintSource on hand-written and MikroORM-generated files', () => {
  it("lints the SQL of up() and down() as MikroORM's diff writes it, and names the statement", () => {
    const up = ['alter table "features" alter column "rank" type int using ("rank"::int);', 'alter table "features" drop column "slug";'];
    const down = [
      'alter table "features" add column "slug" varchar(255) null;',
      'alter table "features" alter column "rank" type int8 using ("rank"::int8);',
    ];
    const source = ts.generateMigrationFile('Migration20260301000000', { up, down });
    expect(lintSource(source, 'postgresql')).toEqual([
      {
        rule: 'narrowing-type',
        message: 'narrows features.rank from int8 to int: values outside the new range make it fail',
        statement: 'alter table "features" alter column "rank" type int using ("rank"::int)',
      },
      {
        rule: 'data-loss',
        message: 'loses column features.slug and its values: down() can restore the structure, never the data',
        statement: 'alter table "features" drop column "slug"',
      },
    ]);
  });

  it('reads escaped backticks in MySQL templates, and compiled JavaScript files', () => {
    const up = ['alter table `features` add `priority` int not null;', 'alter table `features` change `slug` `handle` varchar(255) null;'];
    const down = ['alter table `features` change `handle` `slug` varchar(255) null;', 'alter table `features` drop column `priority`;'];
    const file = ts.generateMigrationFile('Migration20260301000000', { up, down });
    expect(file).toContain('\\`features\\`');
    expect(rules(file, 'mariadb')).toEqual(['not-null-without-default', 'rename']);
    expect(rules(js.generateMigrationFile('Migration20260301000000', { up, down }), 'mysql')).toEqual(['not-null-without-default', 'rename']);
  });

  it('reports missing-down for a SQLite diff, where MikroORM writes no down()', () => {
    const up = [
      'pragma foreign_keys = off;',
      'create table `features__temp_alter` (`id` text not null, `rank` integer null, primary key (`id`));',
      'insert into `features__temp_alter` select `id`, `rank` from `features`;',
      'drop table `features`;',
      'alter table `features__temp_alter` rename to `features`;',
      'pragma foreign_keys = on;',
    ];
    expect(rules(ts.generateMigrationFile('Migration20260301000000', { up, down: [] }), 'sqlite')).toEqual(['sqlite-rebuild', 'missing-down']);
  });

  it('stays quiet on a revision that breaks no rule', () => {
    const up = [
      'create table "projects" ("id" varchar(255) not null, "rank" int not null, constraint "projects_pkey" primary key ("id"));',
      'create index "ix_projects_rank" on "projects" ("rank");',
    ];
    expect(rules(ts.generateMigrationFile('Migration20260301000000', { up, down: ['drop table if exists "projects" cascade;'] }))).toEqual([]);
    expect(
      rules(migration('Migration1', ['alter table features add column priority int null'], ['alter table features drop column priority']), 'sqlite'),
    ).toEqual([]);
  });

  it("lints the repository's own migrations: knex builder calls say nothing, an empty down() is reported", () => {
    expect(rules(repositoryMigration('Migration20260101090000_create_users'))).toEqual([]);
    expect(rules(repositoryMigration('Migration20260106090000_add_feature_slug_index'))).toEqual([]);
    expect(rules(repositoryMigration('Migration20260105090000_backfill_feature_slug'))).toEqual(['empty-down']);
  });

  it('ignores strings in comments, templates with substitutions and strings that are not SQL', () => {
    const source = `import { Migration } from '@mikro-orm/migrations';
export class Migration1 extends Migration {
  override async up(): Promise<void> {
    // this.addSql('drop table features');
    /* this.addSql("alter table features drop column slug"); */
    const table = 'features';
    this.addSql(\`drop table \${table}\`);
    await this.getKnex().schema.alterTable('features', (t) => t.string('slug').references('id').onDelete('set null'));
    this.addSql('update features set slug = lower(name) where slug is null');
  }

  override async down(): Promise<void> {
    this.addSql('select 1');
  }
}
`;
    expect(lintSource(source, 'postgresql')).toEqual([]);
  });

  it('tells a down() that does nothing from one it cannot read', () => {
    const withDown = (body: string) =>
      `export class M extends Migration {\n  async up() { this.addSql('alter table a add column b int null'); }\n  async down() {${body}}\n}`;
    expect(rules(withDown(' /* nothing */ '))).toEqual(['empty-down']);
    expect(rules(withDown(" const sql = 'x'; "))).toEqual(['empty-down']);
    expect(rules(withDown(' await this.undo(); '))).toEqual([]);
    expect(rules("export class M extends Migration {\n  async up() { this.addSql('drop table a'); }\n}")).toEqual(['data-loss', 'missing-down']);
    expect(lintSource('export const x = 1;', 'postgresql')).toEqual([]);
  });
});

// A file as migrate-ui's authoring writes it (renderMigrationFile), calling its operations instead of writing SQL.
const GENERATED = `import { Migration } from '@mikro-orm/migrations';
import { ops } from 'migrate-ui';

/**
 * Mixed
 * Written by migrate-ui from the spec below (the form reopens it); down() undoes up() in reverse order.
 * @migrate-ui spec {"operations":[]}
 */
export class Migration20260301000000_mixed extends Migration {
  override async up(): Promise<void> {
    const op = ops(this);
    await op.createTable('projects', [
      { name: 'id', type: 'string', primary: true },
      { name: 'user_id', type: 'string' },
    ]);
    await op.createIndex('projects', ['user_id'], { name: 'projects_user_id_index' });
    await op.addColumn('projects', { name: 'rank', type: 'integer' });
    await op.addColumn('features', { name: 'priority', type: 'integer' });
    await op.addColumn('features', { name: 'weight', type: 'integer', nullable: true, default: 0 });
    await op.addColumn('features', { name: 'level', type: 'integer', default: 1 });
    await op.alterColumn('features', { name: 'rank', type: 'integer', nullable: false });
    await op.renameColumn('features', 'name', 'title');
    await op.dropColumn('features', 'slug');
    await op.createIndex('features', ['title'], { name: 'features_title_index' });
    await op.renameTable('channel', 'channels');
    await op.dropTable('users');
  }

  override async down(): Promise<void> {
    const op = ops(this);
    await op.createTable('users', [{ name: 'id', type: 'string', primary: true }, { name: 'email', type: 'string' }]);
    await op.renameTable('channels', 'channel');
    await op.dropIndex('features', 'features_title_index');
    await op.addColumn('features', { name: 'slug', type: 'string', nullable: true });
    await op.renameColumn('features', 'title', 'name');
    await op.alterColumn('features', { name: 'rank', type: 'bigint', nullable: true });
    await op.dropColumn('features', 'level');
    await op.dropColumn('features', 'weight');
    await op.dropColumn('features', 'priority');
    await op.dropTable('projects');
  }
}
`;

describe('lintSource on files migrate-ui wrote', () => {
  it('lints each operation call on PostgreSQL, naming the call, with the messages SQL gets', () => {
    const found = lintSource(GENERATED, 'postgresql');
    expect(found.map((w) => [w.rule, w.statement])).toEqual([
      ['not-null-without-default', "op.addColumn('features', { name: 'priority', type: 'integer' })"],
      ['narrowing-type', "op.alterColumn('features', { name: 'rank', type: 'integer', nullable: false })"],
      ['not-null-without-default', "op.alterColumn('features', { name: 'rank', type: 'integer', nullable: false })"],
      ['rename', "op.renameColumn('features', 'name', 'title')"],
      ['data-loss', "op.dropColumn('features', 'slug')"],
      ['index-not-concurrent', "op.createIndex('features', ['title'], { name: 'features_title_index' })"],
      ['rename', "op.renameTable('channel', 'channels')"],
      ['data-loss', "op.dropTable('users')"],
    ]);
    expect(found.map((w) => w.message)).toContain(
      'adds features.priority as NOT NULL without a default: fails on a table that has rows, or locks it while it fills',
    );
    expect(found.map((w) => w.message)).toContain('narrows features.rank from bigint to int: values outside the new range make it fail');
  });

  it('knows MySQL builds indexes without the lock, and SQLite rebuilds the table to alter a column', () => {
    expect(rules(GENERATED, 'mysql')).toEqual([
      'not-null-without-default',
      'narrowing-type',
      'not-null-without-default',
      'rename',
      'data-loss',
      'rename',
      'data-loss',
    ]);
    const sqlite = lintSource(GENERATED, 'sqlite');
    expect(sqlite.filter((w) => w.rule === 'sqlite-rebuild')).toEqual([
      {
        rule: 'sqlite-rebuild',
        message: 'rebuilds table features: copies every row and holds a write lock meanwhile',
        statement: "op.alterColumn('features', { name: 'rank', type: 'integer', nullable: false })",
      },
    ]);
    expect(sqlite.map((w) => w.rule)).not.toContain('narrowing-type');
  });

  it('reads op.sql() as SQL, and a SQLite foreign key as a rebuild', () => {
    const file = GENERATED.replace(
      "await op.dropTable('users');",
      "await op.sql('drop table legacy');\n    await op.addForeignKey('features', ['user_id'], { table: 'users', columns: ['id'] }, { name: 'fk' });",
    );
    const found = lintSource(file, 'sqlite');
    expect(found.find((w) => w.statement === 'drop table legacy')?.message).toBe(
      'loses table legacy and its rows: down() can restore the structure, never the data',
    );
    expect(found.filter((w) => w.rule === 'sqlite-rebuild')).toHaveLength(2);
  });

  it('reads the foreign key, index and check operations: SQLite rebuilds for a foreign key or a check, renames an index in place', () => {
    const file = `/**\n * @migrate-ui spec {"operations":[]}\n */
export class Migration1 extends Migration {
  override async up(): Promise<void> {
    const op = ops(this);
    await op.dropForeignKey('features', ['user_id'], { name: 'features_user_id_foreign' });
    await op.renameIndex('features', 'ix_features_slug', 'features_slug_idx', { columns: ['slug'] });
    await op.addCheck('features', 'features_name_check', "name <> ''");
    await op.dropCheck('features', 'features_rank_check');
  }

  override async down(): Promise<void> {
    const op = ops(this);
    await op.addCheck('features', 'features_rank_check', 'rank > 0');
    await op.dropCheck('features', 'features_name_check');
    await op.renameIndex('features', 'features_slug_idx', 'ix_features_slug', { columns: ['slug'] });
    await op.addForeignKey('features', ['user_id'], { table: 'users', columns: ['id'] }, { name: 'features_user_id_foreign' });
  }
}
`;
    expect(rules(file, 'postgresql')).toEqual([]);
    expect(rules(file, 'mariadb')).toEqual([]);
    // up() rebuilds features three times (the foreign key, each check); renaming the index does not.
    expect(rules(file, 'sqlite')).toEqual(['sqlite-rebuild', 'sqlite-rebuild', 'sqlite-rebuild']);
    expect(rules(file.replace(/await op\.(dropForeignKey|addCheck|dropCheck)\(.*\n/g, ''), 'sqlite')).toEqual([]);
  });

  it('stays quiet on a file that only adds: nullable columns and a new table with its index', () => {
    const file = `/**\n * @migrate-ui spec {"operations":[]}\n */
export class Migration1 extends Migration {
  override async up(): Promise<void> {
    const op = ops(this);
    await op.createTable('projects', [{ name: 'id', type: 'string', primary: true }]);
    await op.addColumn('projects', { name: 'rank', type: 'integer' });
    await op.createIndex('projects', ['rank'], { name: 'ix', unique: true });
    await op.addColumn('features', { name: 'weight', type: 'integer', nullable: true });
  }

  override async down(): Promise<void> {
    const op = ops(this);
    await op.dropColumn('features', 'weight');
    await op.dropTable('projects');
  }
}
`;
    for (const dialect of ['postgresql', 'mariadb', 'sqlite'] as const) expect(rules(file, dialect)).toEqual([]);
    expect(
      rules(file.replace(/override async down[\s\S]*?\n {2}\}\n/, 'override async down(): Promise<void> {\n    // Nothing to undo.\n  }\n')),
    ).toEqual(['empty-down']);
  });
  it('reads the schema changes of a generated DataMigration around its steps: beforeSteps() and afterSteps()', () => {
    const file = `/**\n * @migrate-ui spec {"operations":[]}\n */
export class Migration1 extends DataMigration {
  override async beforeSteps(): Promise<void> {
    const op = ops(this);
    await op.addColumn('features', { name: 'weight', type: 'integer', nullable: true });
  }

  override steps(): DataStep[] {
    return [{ table: 'features', set: { weight: '1' } }];
  }

  override async afterSteps(): Promise<void> {
    const op = ops(this);
    await op.dropTable('legacy');
  }

  override async down(): Promise<void> {
    const op = ops(this);
    await op.dropColumn('features', 'weight');
  }
}
`;
    const found = lintSource(file, 'postgresql');
    expect(found.map((w) => [w.rule, w.statement])).toEqual([['data-loss', "op.dropTable('legacy')"]]);
  });
});

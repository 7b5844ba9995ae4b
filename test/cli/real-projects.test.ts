import { MikroORM } from '@mikro-orm/core';
import { Migration, Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { PG_URL } from '../helpers/databases.js';
import { expectOk, expectShortError } from '../helpers/expect-cli.js';
import { migration, realProject } from '../helpers/real-project.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { FIXTURES } from '../authoring/entities/fixtures.js';

// Configurations seen on public MikroORM projects, each handled by MikroORM's own CLI (issue 6, part 4).

const A = 'Migration20250101000000_things';
const B = 'Migration20250102000000_more';

const tablesIn = (url: string, schema: string) =>
  withSql({ dialect: 'postgresql', url, drop: async () => {} }, (sql) =>
    sql.query<{ t: string }>('select table_name as t from information_schema.tables where table_schema = ? order by 1', [schema]),
  ).then((rows) => rows.map((r) => r.t));

describe('schema: app in the config (PostgreSQL)', () => {
  const database = useTestDatabase('postgresql');
  // What MikroORM's migrator applies first: the same revision as the file, given as a class.
  class Things extends Migration {
    override async up(): Promise<void> {
      this.addSql('create table "app"."things" (id int primary key)');
    }
  }
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'schema-app', private: true }),
      'mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/postgresql';
export default defineConfig({
  clientUrl: process.env.APP_DATABASE,
  schema: 'app',
  entities: [],
  discovery: { warnWhenNoEntities: false },
  migrations: { path: __dirname + '/migrations' },
});
`,
      [`migrations/${A}.ts`]: migration(A, ['create table "app"."things" (id int primary key)'], ['drop table "app"."things"']),
      [`migrations/${B}.ts`]: migration(B, ['create table "app"."more" (id int primary key)'], ['drop table "app"."more"']),
    },
  });
  afterAll(() => project.remove());

  test('revisions MikroORM applied show as applied; up records the rest in app.mikro_orm_migrations; our tables sit beside it', async (ctx) => {
    const db = database(ctx);
    const orm = await MikroORM.init({
      driver: PostgreSqlDriver,
      clientUrl: db.url,
      schema: 'app',
      entities: [],
      discovery: { warnWhenNoEntities: false },
      extensions: [Migrator],
      migrations: { migrationsList: [{ name: A, class: Things }], silent: true, snapshot: false },
      debug: false,
    });
    try {
      await orm.getMigrator().up({ to: A });
    } finally {
      await orm.close(true);
    }
    const env = { APP_DATABASE: db.url };
    const status = await runJson(['status'], { cwd: project.dir, env });
    expect(status.revisions.map((r: { name: string; status: string }) => `${r.name} ${r.status}`)).toEqual([`${A} applied`, `${B} pending`]);
    const up = await runJson(['up'], { cwd: project.dir, env });
    expect(up.applied).toEqual([B]);
    expect(await tablesIn(db.url, 'app')).toEqual(['migrate_ui_lock', 'migrate_ui_revisions', 'mikro_orm_migrations', 'more', 'things']);
    expect(await tablesIn(db.url, 'public')).toEqual([]);
    const recorded = await withSql(db, (sql) => sql.query<{ name: string }>('select name from app.mikro_orm_migrations order by id'));
    expect(recorded.map((r) => r.name)).toEqual([A, B]);
  });
});

describe('a URL replaces the connection and nothing else (PostgreSQL)', () => {
  const database = useTestDatabase('postgresql');
  // searchPath puts unqualified tables into app; --db and DATABASE_URL used to drop it, and schema and pool with it.
  const config = (clientUrl: string) => `import { defineConfig } from '@mikro-orm/postgresql';
export default defineConfig({
  ${clientUrl}
  schema: 'app',
  driverOptions: { searchPath: ['app'] },
  pool: { min: 0, max: 3 },
  entities: [],
  discovery: { warnWhenNoEntities: false },
  migrations: { path: __dirname + '/migrations' },
});
`;
  const files = {
    'package.json': JSON.stringify({ name: 'search-path', private: true }),
    [`migrations/${A}.ts`]: migration(A, ['create table things (id int primary key)'], ['drop table things']),
  };
  const withDb = realProject({
    files: { ...files, 'mikro-orm.config.ts': config(`dbName: 'nobody_uses_this', host: '127.0.0.1', user: 'postgres',`) },
  });
  const readsEnv = realProject({ files: { ...files, 'mikro-orm.config.ts': config('clientUrl: process.env.DATABASE_URL,') } });
  afterAll(() => {
    withDb.remove();
    readsEnv.remove();
  });

  test('--db URL: tables land in the config schema, not in public', async (ctx) => {
    const db = database(ctx);
    expectOk(await runCli(['up', '--db', db.url], { cwd: withDb.dir }));
    expect(await tablesIn(db.url, 'app')).toEqual(expect.arrayContaining(['mikro_orm_migrations', 'things']));
    expect(await tablesIn(db.url, 'public')).toEqual([]);
    expectOk(await runCli(['down', '--yes', '--db', db.url], { cwd: withDb.dir }));
  });

  test('a config that reads DATABASE_URL itself keeps its schema and search path', async (ctx) => {
    const db = database(ctx);
    expectOk(await runCli(['up'], { cwd: readsEnv.dir, env: { DATABASE_URL: db.url } }));
    expect(await tablesIn(db.url, 'app')).toEqual(expect.arrayContaining(['mikro_orm_migrations', 'things']));
    expect(await tablesIn(db.url, 'public')).toEqual([]);
  });
});

describe('no migrations.path, with a src folder (MikroORM 6 then uses ./src/migrations)', () => {
  const database = useTestDatabase('sqlite');
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'src-layout', private: true }),
      'src/mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/sqlite';
export default defineConfig({ dbName: process.env.APP_SQLITE, entities: [], discovery: { warnWhenNoEntities: false } });
`,
      [`src/migrations/${A}.ts`]: migration(A, ['create table things (id integer not null primary key)'], ['drop table things']),
    },
  });
  afterAll(() => project.remove());

  test('status lists the revision in src/migrations and up applies it', async (ctx) => {
    const env = { APP_SQLITE: database(ctx).url.replace(/^sqlite:/, '') };
    const status = await runJson(['status'], { cwd: project.dir, env });
    expect(status.revisions.map((r: { name: string }) => r.name)).toEqual([A]);
    expect((await runJson(['up'], { cwd: project.dir, env })).applied).toEqual([A]);
  });
});

describe('mysql:// to a MariaDB server, in a project with @mikro-orm/mysql and no mariadb package', () => {
  const database = useTestDatabase('mariadb');
  const project = realProject({
    ownModules: { mikroOrm: ['core', 'knex', 'mysql', 'migrations'], without: ['mariadb'] },
    files: {
      'package.json': JSON.stringify({ name: 'mysql-only', private: true }),
      'mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/mysql';
export default defineConfig({ dbName: 'unused', entities: [], discovery: { warnWhenNoEntities: false }, migrations: { path: __dirname + '/migrations' } });
`,
      [`migrations/${A}.ts`]: migration(A, ['create table things (id int primary key)'], ['drop table things']),
    },
  });
  afterAll(() => project.remove());

  test('up works through the MySQL driver, and status names the server MariaDB', async (ctx) => {
    const db = database(ctx);
    const up = await runCli(['up', '--json', '--db', db.url], { cwd: project.dir });
    expect(up.stderr).not.toMatch(/npm|Knex: run/);
    expect(JSON.parse(up.stdout).applied).toEqual([A]);
    expect((await runJson(['status', '--db', db.url], { cwd: project.dir })).dialect).toBe('mariadb');
  });
});

describe('decorator entities that need emitted decorator metadata (ReflectMetadataProvider)', () => {
  const database = useTestDatabase('sqlite');
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'decorators', private: true }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2021', module: 'commonjs', experimentalDecorators: true, emitDecoratorMetadata: true, strict: false },
      }),
      // The entity-editor fixtures' Author: every column's type from the metadata.
      'src/entities/author.ts': FIXTURES.decorator.files['src/entities/author.ts'],
      'src/mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/sqlite';
import { Author } from './entities/author';
export default defineConfig({ dbName: process.env.APP_SQLITE, entities: [Author], migrations: { path: __dirname + '/migrations' } });
`,
      [`src/migrations/${A}.ts`]: migration(
        A,
        [
          'create table `authors` (`id` integer not null primary key autoincrement, `name` text not null, `display_name` text null, `is_active` integer not null default true);',
        ],
        ['drop table `authors`'],
      ),
    },
  });
  afterAll(() => project.remove());

  test('up applies and check finds entities and schema in sync', async (ctx) => {
    const env = { APP_SQLITE: database(ctx).url.replace(/^sqlite:/, '') };
    expectOk(await runCli(['up'], { cwd: project.dir, env }));
    const check = await runCli(['check'], { cwd: project.dir, env });
    expect(check.stderr).not.toMatch(/Please provide|error/i);
    expect(check.stdout).toContain('entities and schema are in sync');
    expect(check.code).toBe(0);
  });
});

describe('a config that names no database (PostgreSQL)', () => {
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'no-database', private: true }),
      'mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/postgresql';
const url = new URL(process.env.SERVER_URL!);
export default defineConfig({ host: url.hostname, port: Number(url.port || 5432), user: url.username, entities: [], discovery: { warnWhenNoEntities: false }, migrations: { path: __dirname + '/migrations' } });
`,
      [`migrations/${A}.ts`]: migration(A, ['create table mui_nobody_named_me (id int primary key)'], ['drop table mui_nobody_named_me']),
    },
  });
  afterAll(() => project.remove());
  const database = useTestDatabase('postgresql');

  test('up exits 2 saying so, and applies nothing to the server default database', async (ctx) => {
    database(ctx);
    const server = new URL(PG_URL);
    server.pathname = '/postgres';
    // What the old code left there (it applied everything to `postgres`) must not make this test pass or fail.
    await withSql({ dialect: 'postgresql', url: server.toString(), drop: async () => {} }, (sql) =>
      sql.query('drop table if exists mui_nobody_named_me'),
    );
    const up = await runCli(['up'], { cwd: project.dir, env: { SERVER_URL: PG_URL } });
    const [line] = expectShortError(up, 2);
    expect(line).toMatch(/No database specified/);
    expect(await tablesIn(server.toString(), 'public')).not.toContain('mui_nobody_named_me');
  });
});

describe("MikroORM's own schema diff and migrate-ui's side tables", () => {
  const database = useTestDatabase('sqlite');
  const config = (skip: string) => `import { defineConfig, EntitySchema } from '@mikro-orm/sqlite';
const Thing = new EntitySchema({ name: 'Thing', tableName: 'things', properties: { id: { type: 'integer', primary: true } } });
export default defineConfig({ dbName: process.env.APP_SQLITE, entities: [Thing], ${skip} migrations: { path: __dirname + '/migrations' } });
`;
  const files = {
    'package.json': JSON.stringify({ name: 'side-tables', private: true }),
    [`migrations/${A}.ts`]: migration(A, ['create table `things` (`id` integer not null primary key autoincrement)'], ['drop table `things`']),
  };
  const plain = realProject({ files: { ...files, 'mikro-orm.config.ts': config('') } });
  const advised = realProject({
    files: { ...files, 'mikro-orm.config.ts': config(`schemaGenerator: { skipTables: ['migrate_ui_revisions', 'migrate_ui_lock'] },`) },
  });
  afterAll(() => {
    plain.remove();
    advised.remove();
  });

  const mikroOrmDiff = async (path: string, skipTables: string[]) => {
    const orm = await MikroORM.init({
      driver: SqliteDriver,
      dbName: path,
      entities: [],
      discovery: { warnWhenNoEntities: false },
      schemaGenerator: { skipTables },
      debug: false,
    });
    try {
      return await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    } finally {
      await orm.close(true);
    }
  };

  test('check says what to add to the config; with it, MikroORM no longer proposes dropping our tables', async (ctx) => {
    const path = database(ctx).url.replace(/^sqlite:/, '');
    const env = { APP_SQLITE: path };
    expectOk(await runCli(['up'], { cwd: plain.dir, env }));
    const check = expectOk(await runCli(['check'], { cwd: plain.dir, env }));
    expect(check.stderr).toContain("schemaGenerator: { skipTables: ['migrate_ui_revisions', 'migrate_ui_lock'] }");
    expect(await mikroOrmDiff(path, [])).toMatch(/drop table (if exists )?`migrate_ui_revisions`/);
    expect(await mikroOrmDiff(path, ['migrate_ui_revisions', 'migrate_ui_lock'])).not.toMatch(/migrate_ui/);
    const quiet = await runCli(['check'], { cwd: advised.dir, env });
    expect(quiet.stderr).not.toContain('skipTables');
  });
});

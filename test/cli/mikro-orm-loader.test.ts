import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT, runCli, runJson } from '../helpers/cli.js';
import type { TestDialect } from '../helpers/databases.js';
import { expectOk, expectShortError } from '../helpers/expect-cli.js';
import { INITIAL, mikroOrmEnv, nestProject } from '../helpers/nest-project.js';
import { migration, realProject } from '../helpers/real-project.js';
import { foreignKeys, recordedRevisions, tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { typecheck } from '../authoring/entities/helpers.js';
import { createTable, foreignKey } from '../helpers/spec.js';

// Configuration and entities taken where MikroORM's CLI takes them (issue 18): `.env` and the MIKRO_ORM_* variables,
// `entitiesTs` where it prefers TypeScript, entity files found by glob in CommonJS and ES module projects alike.

/** A table with a foreign key to `campus.id`, the key Campus inherits from its abstract base entity. */
const ROOMS = {
  operations: [
    createTable('room', { name: 'id', type: 'uuid', primary: true }, { name: 'label', type: 'string' }, { name: 'campus_id', type: 'uuid' }),
    foreignKey('room', 'campus_id', 'campus'),
  ],
};

const cases: [TestDialect, 'commonjs' | 'esm'][] = [
  ['postgresql', 'commonjs'],
  ['mariadb', 'commonjs'],
  ['sqlite', 'esm'],
];

describe.concurrent.each(cases)('a Nest-style %s project (%s): dist never built, the connection only in .env', (dialect, module) => {
  const database = useTestDatabase(dialect);
  const project = nestProject(dialect, module);
  afterAll(() => project.remove());
  const it = test.sequential;
  const migrations = join(project.dir, 'src/migrations');

  it('status connects through .env and lists the revision in src/migrations', async (ctx) => {
    const db = database(ctx);
    project.write('.env', mikroOrmEnv(db));
    const status = await runJson(['status'], { cwd: project.dir });
    expect(status.dialect).toBe(dialect);
    expect(status.revisions.map((r: { name: string; status: string }) => `${r.name} ${r.status}`)).toEqual([`${INITIAL} pending`]);
    expect(existsSync(join(project.dir, 'dist'))).toBe(false);
  });

  it('up applies it to the database .env names', async (ctx) => {
    const db = database(ctx);
    expect((await runJson(['up'], { cwd: project.dir })).applied).toEqual([INITIAL]);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['building', 'campus', 'mikro_orm_migrations']));
    expect(await recordedRevisions(db)).toEqual([INITIAL]);
  });

  it('check reads the entities from entitiesTs and finds them in sync', async (ctx) => {
    database(ctx);
    const check = expectOk(await runCli(['check'], { cwd: project.dir }));
    expect(check.stdout).toContain('entities and schema are in sync');
    expect(check.stdout).not.toMatch(/drop table/i);
  });

  it('new --from-entities --print has nothing to do, and writes nothing', async (ctx) => {
    database(ctx);
    const result = expectOk(await runCli(['new', 'x', '--from-entities', '--print'], { cwd: project.dir }));
    expect(result.stdout).toContain('nothing to write: the entities and the database already agree');
    expect(readdirSync(migrations)).toEqual([`${INITIAL}.ts`]);
  });

  it('a spec adding a table with a foreign key to the inherited campus.id: the new entity gets a @ManyToOne to Campus', async (ctx) => {
    database(ctx);
    project.write('spec.json', JSON.stringify(ROOMS));
    // Generated revisions import migrate-ui, as a user's install has it (and tsc must find it).
    mkdirSync(join(project.dir, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, join(project.dir, 'node_modules', 'migrate-ui'));
    const made = expectOk(await runCli(['new', 'add_rooms', '--spec', 'spec.json'], { cwd: project.dir }));
    expect(made.stdout).not.toContain('edit the entity by hand');
    expect(made.stdout).toContain('created src/entities/room.entity.ts');
    const room = readFileSync(join(project.dir, 'src/entities/room.entity.ts'), 'utf8');
    expect(room).toMatch(/@ManyToOne\(\(\) => Campus, \{ fieldName: 'campus_id'[^\n]*\}\)\n {2}campus!: Campus;/);
    expect(room).toContain(`import { Campus } from '${module === 'esm' ? './campus.entity.js' : './campus.entity'}';`);
    expect(room).not.toContain('campusId');
    expect(readdirSync(migrations)).toEqual([`${INITIAL}.ts`, expect.stringMatching(/^Migration\d{14}_add_rooms\.ts$/)]);
  });

  it('tsc passes on the project with its edits', () => {
    expect(typecheck(join(project.dir, 'tsconfig.json'))).toEqual({ code: 0, output: '' });
  });

  it('after up, the table and its foreign key are there, and check finds entities and schema in sync', async (ctx) => {
    const db = database(ctx);
    expect((await runJson(['up'], { cwd: project.dir })).applied).toEqual([expect.stringMatching(/_add_rooms$/)]);
    expect(await foreignKeys(db, 'room')).toEqual(['campus_id → campus.id']);
    const check = await runCli(['check'], { cwd: project.dir });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('entities and schema are in sync');
  });
});

describe('where the MIKRO_ORM_* variables come from (PostgreSQL)', () => {
  const database = useTestDatabase('postgresql');
  const project = nestProject('postgresql', 'commonjs');
  afterAll(() => project.remove());

  test('exported variables win over .env, and MIKRO_ORM_ENV names another file', async (ctx) => {
    const db = database(ctx);
    project.write('.env', mikroOrmEnv(db).replace(/MIKRO_ORM_DB_NAME=.*/, 'MIKRO_ORM_DB_NAME=mui_nobody_has_this'));
    const dbName = new URL(db.url).pathname.slice(1);
    const exported = await runJson(['status'], { cwd: project.dir, env: { MIKRO_ORM_DB_NAME: dbName } });
    expect(exported.revisions.map((r: { name: string }) => r.name)).toEqual([INITIAL]);
    project.write('elsewhere.env', mikroOrmEnv(db));
    const named = await runJson(['up'], { cwd: project.dir, env: { MIKRO_ORM_ENV: join(project.dir, 'elsewhere.env') } });
    expect(named.applied).toEqual([INITIAL]);
    expect(await recordedRevisions(db)).toEqual([INITIAL]);
  });
});

describe('.env names the config file (SQLite)', () => {
  const database = useTestDatabase('sqlite');
  const project = nestProject('sqlite', 'commonjs');
  // The config where the project keeps it, and at the default place one that must not be read.
  project.write('config/orm.config.ts', readFileSync(join(project.dir, 'src/mikro-orm.config.ts'), 'utf8'));
  project.write('src/mikro-orm.config.ts', "throw new Error('the default config was read');\n");
  afterAll(() => project.remove());
  const it = test.sequential;

  it('MIKRO_ORM_CLI_CONFIG in .env: status, up and check read that config and its entities', async (ctx) => {
    const db = database(ctx);
    project.write('.env', `MIKRO_ORM_CLI_CONFIG=./config/orm.config.ts\n${mikroOrmEnv(db)}`);
    const status = await runJson(['status'], { cwd: project.dir });
    expect(status.revisions.map((r: { name: string; status: string }) => `${r.name} ${r.status}`)).toEqual([`${INITIAL} pending`]);
    expect((await runJson(['up'], { cwd: project.dir })).applied).toEqual([INITIAL]);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['building', 'campus']));
    expect(expectOk(await runCli(['check'], { cwd: project.dir })).stdout).toContain('entities and schema are in sync');
  });

  it('an exported MIKRO_ORM_CLI_CONFIG wins over the one in .env; one in .env naming no file says so', async (ctx) => {
    const db = database(ctx);
    project.write('.env', `MIKRO_ORM_CLI_CONFIG=./config/gone.config.ts\n${mikroOrmEnv(db)}`);
    const missing = await runCli(['status'], { cwd: project.dir });
    expect(expectShortError(missing, 2)[0]).toBe('migrate-ui: config file not found: ./config/gone.config.ts (from MIKRO_ORM_CLI_CONFIG in .env)');
    const exported = await runJson(['status'], { cwd: project.dir, env: { MIKRO_ORM_CLI_CONFIG: './config/orm.config.ts' } });
    expect(exported.revisions.map((r: { name: string; status: string }) => `${r.name} ${r.status}`)).toEqual([`${INITIAL} applied`]);
  });
});

describe('useTsNode false, from .env (SQLite)', () => {
  const database = useTestDatabase('sqlite');
  const COMPILED = 'Migration20250301000000_compiled';
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'compiled', private: true }),
      'src/mikro-orm.config.ts': "throw new Error('the TypeScript config was read');\n",
      'dist/mikro-orm.config.js': `const { defineConfig } = require('@mikro-orm/sqlite');
module.exports = defineConfig({ entities: [], discovery: { warnWhenNoEntities: false }, migrations: { path: './dist/migrations', pathTs: './src/migrations' } });
`,
      [`dist/migrations/${COMPILED}.js`]: `const { Migration } = require('@mikro-orm/migrations');
class ${COMPILED} extends Migration {
  async up() { this.addSql('create table things (id integer not null primary key)'); }
  async down() { this.addSql('drop table things'); }
}
exports.${COMPILED} = ${COMPILED};
`,
      [`src/migrations/${INITIAL}.ts`]: "throw new Error('a TypeScript migration was read');\n",
    },
  });
  afterAll(() => project.remove());

  test('MIKRO_ORM_CLI_USE_TS_NODE=false: the compiled config in dist and its compiled migrations, as MikroORM reads them', async (ctx) => {
    const db = database(ctx);
    project.write('.env', `MIKRO_ORM_CLI_USE_TS_NODE=false\n${mikroOrmEnv(db)}`);
    const status = await runJson(['status'], { cwd: project.dir });
    expect(status.revisions.map((r: { name: string }) => r.name)).toEqual([COMPILED]);
    expect((await runJson(['up'], { cwd: project.dir })).applied).toEqual([COMPILED]);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['things']));
  });
});

describe("the tsconfig MikroORM's CLI names (SQLite)", () => {
  const database = useTestDatabase('sqlite');
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'ts-config-path', private: true, 'mikro-orm': { tsConfigPath: './config/tsconfig.app.json' } }),
      'config/tsconfig.app.json': JSON.stringify({ compilerOptions: { baseUrl: '..', paths: { '@app/*': ['src/*'] } } }),
      'src/entities/thing.ts': `import { EntitySchema } from '@mikro-orm/core';
export const Thing = new EntitySchema({ name: 'Thing', tableName: 'things', properties: { id: { type: 'integer', primary: true } } });
`,
      'src/mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/sqlite';
import { Thing } from '@app/entities/thing';
export default defineConfig({ entities: [Thing], migrations: { path: __dirname + '/migrations' } });
`,
      [`src/migrations/${INITIAL}.ts`]: migration(
        INITIAL,
        ['create table `things` (`id` integer not null primary key autoincrement)'],
        ['drop table `things`'],
      ),
    },
  });
  afterAll(() => project.remove());

  test("its paths resolve the config's imports; up and check run", async (ctx) => {
    const db = database(ctx);
    project.write('.env', mikroOrmEnv(db));
    expect((await runJson(['up'], { cwd: project.dir })).applied).toEqual([INITIAL]);
    expect(expectOk(await runCli(['check'], { cwd: project.dir })).stdout).toContain('entities and schema are in sync');
  });
});

describe('a config per context (SQLite)', () => {
  const database = useTestDatabase('sqlite');
  const A = 'Migration20250101000000_default_context';
  const B = 'Migration20250101000000_reports_context';
  const context = (name: string | undefined, folder: string) =>
    `defineConfig({ ${name ? `contextName: '${name}', ` : ''}entities: [], discovery: { warnWhenNoEntities: false }, migrations: { path: __dirname + '/${folder}' } })`;
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'contexts', private: true }),
      'mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/sqlite';
export default [${context('reports', 'reports')}, ${context(undefined, 'migrations')}];
`,
      [`migrations/${A}.ts`]: migration(A, ['create table a (id integer not null primary key)'], ['drop table a']),
      [`reports/${B}.ts`]: migration(B, ['create table b (id integer not null primary key)'], ['drop table b']),
    },
  });
  afterAll(() => project.remove());
  const names = (status: { revisions: { name: string }[] }) => status.revisions.map((r) => r.name);

  test("MIKRO_ORM_CONTEXT_NAME picks the config as MikroORM's CLI does: exported, not from .env; a context no config has is an error", async (ctx) => {
    const db = database(ctx);
    project.write('.env', `${mikroOrmEnv(db)}MIKRO_ORM_CONTEXT_NAME=reports\n`);
    expect(names(await runJson(['status'], { cwd: project.dir }))).toEqual([A]);
    expect(names(await runJson(['status'], { cwd: project.dir, env: { MIKRO_ORM_CONTEXT_NAME: 'reports' } }))).toEqual([B]);
    const unknown = await runCli(['status'], { cwd: project.dir, env: { MIKRO_ORM_CONTEXT_NAME: 'billing' } });
    expect(expectShortError(unknown, 2)[0]).toBe(
      `migrate-ui: config ${join(project.dir, 'mikro-orm.config.ts')} exports no config for the context 'billing'`,
    );
  });
});

describe('entities found nowhere, or a diff that drops every table (SQLite)', () => {
  const database = useTestDatabase('sqlite');
  const project = nestProject('sqlite', 'esm');
  // Entities of another database: found, but none of them is a table this database has.
  project.write(
    'src/archive/legacy.entity.ts',
    `import { Entity, PrimaryKey } from '@mikro-orm/core';

@Entity({ tableName: 'legacy' })
export class Legacy {
  @PrimaryKey()
  id!: number;
}
`,
  );
  afterAll(() => project.remove());
  const it = test.sequential;

  it('check and new --from-entities say in one line that no entity was found, and change nothing', async (ctx) => {
    const db = database(ctx);
    project.write('.env', mikroOrmEnv(db));
    expectOk(await runCli(['up'], { cwd: project.dir }));
    const env = { MIKRO_ORM_ENTITIES_TS: './src/models/*.entity.ts' };
    const check = await runCli(['check'], { cwd: project.dir, env });
    expect(expectShortError(check, 2)).toEqual([
      `migrate-ui: no entities found in the config's entitiesTs (./src/models/*.entity.ts, relative to ${project.dir}); nothing to compare the database with`,
    ]);
    expect(check.stdout).toBe('');
    const fromEntities = await runCli(['new', 'x', '--from-entities'], { cwd: project.dir, env });
    expect(expectShortError(fromEntities, 2)[0]).toMatch(/^migrate-ui: no entities found in the config's entitiesTs/);
    expect(readdirSync(join(project.dir, 'src/migrations'))).toEqual([`${INITIAL}.ts`]);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['building', 'campus']));
  });

  it('a schema diff that would drop every table comes with a warning first', async (ctx) => {
    database(ctx);
    const check = await runCli(['check'], { cwd: project.dir, env: { MIKRO_ORM_ENTITIES_TS: './src/archive/*.entity.ts' } });
    expect(check.code).toBe(4);
    const lines = check.stdout.split('\n');
    expect(lines[0]).toMatch(/^warning: this would drop every table of the database/);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/drop table .*`campus`/), expect.stringMatching(/create table `legacy`/)]));
  });
});

describe('a MikroORM 5 config (type instead of driver)', () => {
  const database = useTestDatabase('postgresql');
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'mikro-orm-5', private: true }),
      'mikro-orm.config.ts': `export default { type: 'postgresql', clientUrl: process.env.APP_DATABASE, entities: ['./dist/entities'], entitiesTs: ['./src/entities'] };
`,
    },
  });
  afterAll(() => project.remove());

  test('up says what MikroORM 6 says, in one line, and touches nothing', async (ctx) => {
    const db = database(ctx);
    const up = await runCli(['up'], { cwd: project.dir, env: { APP_DATABASE: db.url } });
    const [line] = expectShortError(up, 2);
    expect(line).toBe(
      `migrate-ui: config ${join(project.dir, 'mikro-orm.config.ts')} is not usable: The \`type\` option has been removed in v6, please fill in the \`driver\` option instead or use \`defineConfig\` helper`,
    );
    expect(await tableNames(db)).toEqual([]);
  });
});

import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { mikroOrmCli, ROOT, runCli } from '../helpers/cli.js';
import { expectOk, expectShortError } from '../helpers/expect-cli.js';
import { fleetOn } from '../helpers/fleet.js';
import { copyExample, EXAMPLE_REVISIONS, type TempProject } from '../helpers/project.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Issue 24: a fleet given by a query the user writes beside the config. The config file exports `fleet` (a key of
// MikroORM's own config object would not type-check with MikroORM 7's defineConfig); its functions get an
// EntityManager on the configured database, and run again at every command.

const HEAD = EXAMPLE_REVISIONS[EXAMPLE_REVISIONS.length - 1];
const CONFIG = readFileSync(join(ROOT, 'mikro-orm.config.ts'), 'utf8');
/** The part of MikroORM's SQL EntityManager the functions below use. */
const EM = '{ execute(sql: string): Promise<Record<string, string>[]> }';

/** A copy of the example under the repository's .test-tmp. */
function copyExampleInRepo(): TempProject {
  mkdirSync(join(ROOT, '.test-tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.test-tmp', 'fleet-config-'));
  for (const entry of ['entities', 'migrations', 'mikro-orm.config.ts']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  const write = (relPath: string, text: string) => writeFileSync(join(dir, relPath), text);
  return { dir, migrationsDir: join(dir, 'migrations'), write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The example's config with `fleet` exported beside it. */
function exportFleet(project: TempProject, fleet: string): void {
  project.write('mikro-orm.config.ts', `${CONFIG}\nexport const fleet = ${fleet};\n`);
}

describe('a fleet from the config on PostgreSQL: schemas listed by a tenants table', () => {
  const database = useTestDatabase('postgresql');
  const project = copyExample();
  afterAll(() => project.remove());

  test('the schemas the query gives are the fleet; a tenant added to the table is in the next run; fleet.json beside it is not read', async (ctx) => {
    const db = database(ctx);
    const cli = (args: string[]) => runCli([...args, '--db', db.url], { cwd: project.dir, timeoutMs: 120_000 });
    await withSql(db, async (sql) => {
      await sql.query('create table ft_tenants (id integer primary key, schema_name text not null, active boolean not null)');
      await sql.query(`insert into ft_tenants values (1, 'ft_acme', true), (2, 'ft_globex', true), (3, 'ft_gone', false)`);
      await sql.query('create schema ft_gone');
    });
    exportFleet(
      project,
      `{
  schemas: async (em: ${EM}) =>
    (await em.execute('select schema_name from ft_tenants where active order by id')).map((row) => row.schema_name),
}`,
    );
    project.write('fleet.json', JSON.stringify([{ schema: 'ft_from_file' }]));

    const up = expectOk(await cli(['fleet', 'up']));
    expect(up.stderr).toContain(
      `fleet: the fleet exported by ${join(project.dir, 'mikro-orm.config.ts')}; ${join(project.dir, 'fleet.json')} is not read`,
    );
    expect(up.stderr).toContain(`✓ ft_acme  applied ${EXAMPLE_REVISIONS.length}`);
    expect(up.stderr).toContain(`✓ ft_globex  applied ${EXAMPLE_REVISIONS.length}`);
    expect(up.stderr).toContain('fleet: 2 done, 0 failed, 0 not started');
    await withSql(db, async (sql) => {
      for (const schema of ['ft_acme', 'ft_globex']) {
        const history = await sql.query<{ name: string }>(`select name from ${schema}.mikro_orm_migrations order by id`);
        expect(history.map((r) => r.name)).toEqual(EXAMPLE_REVISIONS);
      }
      const untouched = await sql.query(
        `select table_name from information_schema.tables where table_schema in ('ft_gone', 'ft_from_file', 'public') and table_name <> 'ft_tenants'`,
      );
      expect(untouched).toEqual([]);
      await sql.query(`insert into ft_tenants values (4, 'ft_initech', true)`);
    });

    const status = JSON.parse(expectOk(await cli(['fleet', 'status', '--json'])).stdout);
    expect(status.targets.map((t: { target: string; current: string | null; pending: number }) => [t.target, t.current, t.pending])).toEqual([
      ['ft_acme', HEAD, 0],
      ['ft_globex', HEAD, 0],
      ['ft_initech', null, EXAMPLE_REVISIONS.length],
    ]);
    // Named, the file is the fleet.
    const fromFile = JSON.parse(expectOk(await cli(['fleet', 'status', '--json', '--fleet', 'fleet.json'])).stdout);
    expect(fromFile.targets.map((t: { target: string }) => t.target)).toEqual(['ft_from_file']);
  });
});

describe('a fleet from the config on MariaDB: databases listed by a tenants table', () => {
  const database = useTestDatabase('mariadb');
  const project = copyExample();
  afterAll(() => project.remove());

  test('each database the query names is a target on the configured server', async (ctx) => {
    const db = database(ctx);
    const fleet = fleetOn('mariadb', db, project.dir, 'ftcfg');
    const cli = (args: string[]) => runCli([...args, '--db', db.url], { cwd: project.dir, timeoutMs: 120_000 });
    try {
      for (const n of [1, 2, 3]) await fleet.add(n);
      await withSql(db, async (sql) => {
        await sql.query('create table ft_tenants (id integer primary key, db varchar(64) not null)');
        await sql.query('insert into ft_tenants values (1, ?), (2, ?)', [fleet.name(2), fleet.name(1)]);
      });
      exportFleet(project, `{ databases: async (em: ${EM}) => (await em.execute('select db from ft_tenants order by id')).map((row) => row.db) }`);
      const run = await cli(['fleet', 'up', '--concurrency', '1', '--json']);
      expect(run.code, run.stderr).toBe(0);
      const planned = JSON.parse(run.stdout.split('\n')[0]);
      expect(planned.targets).toEqual([fleet.name(2), fleet.name(1)]);
      for (const n of [1, 2]) expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS);
      expect(await fleet.hasTable(3, 'mikro_orm_migrations')).toBe(false);
    } finally {
      await fleet.cleanup();
    }
  });
});

describe('a fleet from the config on SQLite: files', () => {
  // Inside the repository, where MikroORM's own CLI finds tsx.
  const project = copyExampleInRepo();
  afterAll(() => project.remove());
  const cli = (args: string[]) => runCli(args, { cwd: project.dir, timeoutMs: 120_000 });

  test('a static list and a query of the configured database, in the order written, files relative to the config', async () => {
    mkdirSync(join(project.dir, 'tenants'));
    const fleet = fleetOn('sqlite', { dialect: 'sqlite', url: 'sqlite:unused', drop: async () => undefined }, project.dir, 'ft');
    // The configured database (example.sqlite) holds the tenants table.
    await withSql({ dialect: 'sqlite', url: `sqlite:${join(project.dir, 'example.sqlite')}`, drop: async () => undefined }, async (sql) => {
      await sql.query('create table ft_tenants (file text not null)');
      await sql.query(`insert into ft_tenants values ('tenants/ft1.sqlite'), ('tenants/ft2.sqlite')`);
    });
    project.write('mikro-orm.config.ts', `${CONFIG}\n${readFileSync(join(ROOT, 'test/helpers/fleet-export.ts'), 'utf8')}`);
    const run = expectOk(await cli(['fleet', 'up', '--concurrency', '1']));
    expect(run.stderr.split('\n').filter((l) => l.startsWith('✓'))).toEqual([
      expect.stringMatching(/^✓ ft9 {2}applied 6/),
      expect.stringMatching(/^✓ tenants\/ft1\.sqlite {2}applied 6/),
      expect.stringMatching(/^✓ tenants\/ft2\.sqlite {2}applied 6/),
    ]);
    for (const n of [1, 2, 9]) expect(await fleet.history(n)).toEqual(EXAMPLE_REVISIONS);
    // MikroORM's own CLI takes the config with its fleet beside it, and says nothing of it.
    const listed = mikroOrmCli(project.dir, 'migration:pending');
    expect(listed).toContain(EXAMPLE_REVISIONS[0]);
    expect(listed).not.toMatch(/fleet|unknown|warn/i);
  });

  test("the function's EntityManager knows the project's entities: em.find on the configured database", async () => {
    const config = `${CONFIG}\nexport const fleet = { databases: async (em: { find(entity: string, where: object): Promise<{ name: string }[]> }) => (await em.find('User', {})).map((user) => \`tenants/\${user.name}.sqlite\`) };\n`;
    project.write('mikro-orm.config.ts', config);
    expectOk(await cli(['up', 'create_users']));
    await withSql({ dialect: 'sqlite', url: `sqlite:${join(project.dir, 'example.sqlite')}`, drop: async () => undefined }, (sql) =>
      sql.query(`insert into users (id, name, email, created_at) values ('u1', 'ft_user', 'a@example.com', 0)`),
    );
    const status = JSON.parse(expectOk(await cli(['fleet', 'status', '--json'])).stdout);
    expect(status.targets.map((t: { target: string }) => t.target)).toEqual(['tenants/ft_user.sqlite']);
  });

  test('fleet status and --dry-run create no configured SQLite file for the function to read', async () => {
    const fresh = copyExampleInRepo();
    try {
      fresh.write(
        'mikro-orm.config.ts',
        `${CONFIG}\nexport const fleet = { databases: async (em: ${EM}) => [String((await em.execute('select 1 as one'))[0].one) + '.sqlite'] };\n`,
      );
      const status = JSON.parse(expectOk(await runCli(['fleet', 'status', '--json'], { cwd: fresh.dir })).stdout);
      expect(status.targets.map((t: { target: string }) => t.target)).toEqual(['1.sqlite']);
      expectOk(await runCli(['fleet', 'up', '--dry-run'], { cwd: fresh.dir }));
      expect(readdirSync(fresh.dir).filter((f) => f.endsWith('.sqlite'))).toEqual([]);
    } finally {
      fresh.remove();
    }
  });

  test('a function that throws, a result that is not a list, an entry that is not a name: one line naming it, exit 2', async () => {
    const config = join(project.dir, 'mikro-orm.config.ts');
    const cases: [string, string][] = [
      [
        `{ schemas: async () => { throw new Error('relation "tenants" does not exist') } }`,
        `fleet.schemas failed: relation "tenants" does not exist`,
      ],
      [`{ databases: async () => 'tenants/a.sqlite' }`, 'fleet.databases: gave a string, not a list'],
      [`{ databases: ['tenants/a.sqlite', 7] }`, 'fleet.databases, entry 2: not a name (7)'],
      [`{ targets: [{ url: 'sqlite:./a.sqlite', colour: 'red' }] }`, 'fleet.targets, entry 1: unknown field "colour"'],
      [`{ tenants: ['a'] }`, 'fleet: unknown key "tenants"'],
      [`{ databases: [] }`, 'has no targets'],
    ];
    for (const [fleet, message] of cases) {
      exportFleet(project, fleet);
      const [line] = expectShortError(await cli(['fleet', 'status']), 2);
      expect(line).toContain(message);
      expect(line).toMatch(message === 'has no targets' ? `the fleet exported by ${config}` : `config ${config}: `);
    }
    exportFleet(project, `{ schemas: ['tenant_1'] }`);
    const [line] = expectShortError(await cli(['fleet', 'up']), 2);
    expect(line).toBe('migrate-ui: fleet target "tenant_1" is a schema, which needs PostgreSQL; its database is sqlite');
    expect(expectShortError(await cli(['fleet', 'status', '--dry-run']), 2)[0]).toBe('migrate-ui: fleet status does not take --dry-run');
  });
});

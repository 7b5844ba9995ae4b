import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DIALECTS, type TestDialect } from '../helpers/databases.js';
import { migration, migrationCode, realProject } from '../helpers/real-project.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { FIXTURES } from '../authoring/entities/fixtures.js';
import { dump } from './verify-helpers.js';

// verify on the shapes of the real projects the suite carries (test/cli/real-projects.test.ts): their configs, and
// revisions as MikroORM writes them, the missing and the incomplete down() of real histories included.

const THINGS = 'Migration20250101000000_things';
const MORE = 'Migration20250102000000_more';
const NAME = 'Migration20250103000000_things_name';

interface Proof {
  name: string;
  status: string;
  differences: { change: string; kind: string; table: string; name?: string }[];
  dataLost: string[];
}

async function verifyJson(args: string[], options: { cwd: string; env: Record<string, string> }) {
  const result = await runCli(['verify', '--json', ...args], { ...options, timeoutMs: 120_000 });
  const report = JSON.parse(result.stdout) as { proven: boolean; revisions: Proof[]; entities: unknown; entitiesSkipped?: string };
  return { code: result.code, stderr: result.stderr, report, byName: Object.fromEntries(report.revisions.map((r) => [r.name, r])) };
}

const PACKAGE: Record<TestDialect, string> = { sqlite: '@mikro-orm/sqlite', postgresql: '@mikro-orm/postgresql', mariadb: '@mikro-orm/mariadb' };
const Q: Record<TestDialect, (id: string) => string> = { sqlite: (id) => `\`${id}\``, postgresql: (id) => `"${id}"`, mariadb: (id) => `\`${id}\`` };

/** The project's three revisions in the connected dialect: MikroORM's initial one (no down()), a good one, an incomplete down(). */
function historyFor(dialect: TestDialect): Record<string, string> {
  const q = Q[dialect];
  const id = dialect === 'postgresql' ? `${q('id')} serial primary key` : `${q('id')} integer not null primary key`;
  const text = dialect === 'mariadb' ? 'varchar(255)' : 'text';
  // MikroORM 6.6's `migration:create --initial` writes up() only: the class keeps the base's down(), which cannot revert.
  const initial = migrationCode(THINGS, [`this.addSql(${JSON.stringify(`create table ${q('things')} (${id});`)});`], []).replace(
    /\n {2}override async down\(\): Promise<void> \{\n\n {2}\}\n/,
    '\n',
  );
  return {
    [`migrations/${THINGS}.ts`]: initial,
    [`migrations/${MORE}.ts`]: migration(MORE, [`create table ${q('more')} (${id});`], [`drop table ${q('more')};`]),
    // down() drops the index and forgets the column up() added with it.
    [`migrations/${NAME}.ts`]: migration(
      NAME,
      [
        `alter table ${q('things')} add column ${q('name')} ${text} null;`,
        `create index ${q('things_name_index')} on ${q('things')} (${q('name')});`,
      ],
      [dialect === 'mariadb' ? 'drop index `things_name_index` on `things`;' : `drop index ${q('things_name_index')};`],
    ),
  };
}

describe.each(DIALECTS)('verify on real project shapes, %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const connection = dialect === 'sqlite' ? "dbName: process.env.APP_DATABASE!.replace(/^sqlite:/, '')," : 'clientUrl: process.env.APP_DATABASE,';
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: `verify-real-${dialect}`, private: true }),
      'mikro-orm.config.ts': `import { defineConfig } from '${PACKAGE[dialect]}';
export default defineConfig({ ${connection} entities: [], discovery: { warnWhenNoEntities: false }, migrations: { path: __dirname + '/migrations' } });
`,
      ...historyFor(dialect),
    },
  });
  afterAll(() => project.remove());

  test('a revision without down() is reported as such, a good one reversible, an incomplete down() with what it leaves; exit 5', async (ctx) => {
    const db = database(ctx);
    // An empty SQLite file is an empty database: there is a file to compare byte for byte.
    if (dialect === 'sqlite') writeFileSync(db.url.replace(/^sqlite:/, ''), '');
    const before = dump(db);
    const { code, stderr, report, byName } = await verifyJson([], { cwd: project.dir, env: { APP_DATABASE: db.url } });
    expect(code, stderr).toBe(5);
    expect(report.proven).toBe(false);
    expect(report.revisions.map((r) => r.name)).toEqual([THINGS, MORE, NAME]);
    expect(byName[THINGS]).toMatchObject({ status: 'no-down', differences: [] });
    expect(byName[MORE]).toMatchObject({ status: 'reversible', differences: [], dataLost: ['table more and its rows'] });
    // After down(), against before up(): the column is still there (its index went).
    expect(byName[NAME].status).toBe('not-reversible');
    expect(byName[NAME].differences).toEqual([{ change: 'added', kind: 'column', table: 'things', name: 'name' }]);
    expect(report.entitiesSkipped).toMatch(/no entities/);
    expect(dump(db)).toBe(before);

    const text = await runCli(['verify', '--no-color'], { cwd: project.dir, env: { APP_DATABASE: db.url }, timeoutMs: 120_000 });
    expect(text.code).toBe(5);
    expect(text.stdout).toContain(`✗ ${THINGS}  no down()`);
    expect(text.stdout).toContain('it has no down(): write one that undoes up()');
    expect(text.stdout).toContain(`✓ ${MORE}  reversible`);
    expect(text.stdout).toContain(`✗ ${NAME}  not reversible`);
    expect(text.stdout).toContain('+ column things.name');
    expect(text.stdout).toContain(`1 of 3 revision(s) proven on ${dialect}`);
  });
});

describe('verify on a project with its migrations in schema app (PostgreSQL, as in real-projects)', () => {
  const database = useTestDatabase('postgresql');
  const A = 'Migration20250101000000_things';
  const B = 'Migration20250102000000_more';
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

  test('both revisions are proven reversible on the scratch database, in its schema app', async (ctx) => {
    const db = database(ctx);
    const { code, stderr, report } = await verifyJson([], { cwd: project.dir, env: { APP_DATABASE: db.url } });
    expect(code, stderr).toBe(0);
    expect(report.revisions.map((r) => `${r.name} ${r.status}`)).toEqual([`${A} reversible`, `${B} reversible`]);
  });
});

describe('verify on a project of decorator entities (SQLite, as in real-projects)', () => {
  const database = useTestDatabase('sqlite');
  const A = 'Migration20250101000000_things';
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'decorators', private: true }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2021', module: 'commonjs', experimentalDecorators: true, emitDecoratorMetadata: true, strict: false },
      }),
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

  test('its revision is reversible, and at head the entities match the replayed schema', async (ctx) => {
    const env = { APP_SQLITE: database(ctx).url.replace(/^sqlite:/, '') };
    const { code, stderr, report } = await verifyJson([], { cwd: project.dir, env });
    expect(code, stderr).toBe(0);
    expect(report.revisions.map((r) => `${r.name} ${r.status}`)).toEqual([`${A} reversible`]);
    expect(report.entities).toEqual({ inSync: true, schemaDiff: [] });
  });
});

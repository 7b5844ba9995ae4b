import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Result, runClean } from '../helpers/clean-run.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { migration } from '../helpers/real-project.js';
import { tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Issue 7: `npm pack`, then `npm install ./migrate-ui-*.tgz` into a user's PostgreSQL project (outside the
// repository, with its own node_modules) gives a working `npx migrate-ui` and a typed `import … from 'migrate-ui'`,
// on the project's own MikroORM, and no driver it does not use (no sqlite3).

const MIKRO_ORM = '6.6.16';
const repoPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const AUTHORS = 'Migration20250101000000_create_authors';
const BOOKS = 'Migration20250102000000_create_books';

const run = runClean;

function expectExit(result: Result, code = 0): void {
  expect(result.code, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
}

/** What the user's project holds before migrate-ui is installed: MikroORM with PostgreSQL, TypeScript, two revisions. */
const PROJECT_FILES: Record<string, string> = {
  'package.json': `${JSON.stringify(
    {
      name: 'pg-app',
      private: true,
      type: 'module',
      dependencies: {
        '@mikro-orm/core': MIKRO_ORM,
        '@mikro-orm/knex': MIKRO_ORM,
        '@mikro-orm/migrations': MIKRO_ORM,
        '@mikro-orm/postgresql': MIKRO_ORM,
      },
      // A TypeScript project on Node has Node's types; both at the versions this repository uses.
      devDependencies: { '@types/node': repoPackage.devDependencies['@types/node'], typescript: repoPackage.devDependencies.typescript },
    },
    null,
    2,
  )}\n`,
  // Strict and no skipLibCheck: a type in migrate-ui's .d.ts that this project cannot resolve is an error here, not a silent any.
  'tsconfig.json': `${JSON.stringify(
    {
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] },
      include: ['*.ts', 'migrations'],
    },
    null,
    2,
  )}\n`,
  'mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/postgresql';

export default defineConfig({
  clientUrl: process.env.APP_DATABASE_URL,
  entities: [],
  discovery: { warnWhenNoEntities: false },
  migrations: { path: 'migrations' },
});
`,
  [`migrations/${AUTHORS}.ts`]: migration(
    AUTHORS,
    ['create table "authors" ("id" serial primary key, "name" text not null)'],
    ['drop table "authors"'],
  ),
  [`migrations/${BOOKS}.ts`]: migration(
    BOOKS,
    ['create table "books" ("id" serial primary key, "author_id" int not null references "authors" ("id"), "title" text not null)'],
    ['drop table "books"'],
  ),
  // The library as a user embeds it: open, read the timeline, watch it live, preview, run with typed events, catch its errors.
  'use-api.ts': `import { MigrateUiError, Project, type RunEvent, type Timeline } from 'migrate-ui';

const project = await Project.open({ cwd: process.cwd() });
try {
  const timeline: Timeline = await project.timeline();
  const pending: number = timeline.pending;

  const live = project.live({ pollMs: 100 });
  const seen = await new Promise<Timeline>((resolve) => {
    const unsubscribe = live.subscribe((state) => {
      if (!state.timeline) return;
      unsubscribe();
      resolve(state.timeline);
    });
  });

  const last = timeline.revisions[timeline.revisions.length - 1];
  const preview = await project.preview({ revision: last }, 'down');

  const runner = project.runner();
  const events: RunEvent['type'][] = [];
  const reverted: string[] = [];
  runner.events.on('event', (event) => events.push(event.type));
  runner.events.on('revision:done', (event) => reverted.push(\`\${event.name} \${event.direction}\`));
  // @ts-expect-error the events are typed: there is no such event (were they \`any\`, this line would be an error)
  runner.events.on('revision:exploded', () => {});
  const result = await runner.run({ direction: 'down', target: '-1' });

  let refused = '';
  try {
    await project.plan('up', 'no_such_revision');
  } catch (error) {
    if (error instanceof MigrateUiError) refused = \`\${error.name} \${error.exitCode}: \${error.message}\`;
  }

  console.log(
    JSON.stringify({
      pending,
      current: timeline.current,
      liveCurrent: seen.current,
      preview: preview.statements,
      events,
      reverted,
      done: result.done,
      pendingAfter: (await project.timeline()).pending,
      refused,
    }),
  );
} finally {
  await project.close();
}
`,
};

describe('the packed package installed into a PostgreSQL project', () => {
  const database = useTestDatabase('postgresql');
  let work: string;
  let app: string;
  let packed: { filename: string; files: { path: string }[] };
  let install: Result;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'mui-install-'));
    app = join(work, 'pg-app');
    // The global setup has just built dist/ (incrementally); `prepare` would rebuild all of it while other test
    // files run the binary from it, so the scripts are skipped here. A clean clone's `npm pack` builds through `prepare`.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
    expectExit(pack);
    [packed] = JSON.parse(pack.stdout);
    for (const [path, text] of Object.entries(PROJECT_FILES)) {
      mkdirSync(dirname(join(app, path)), { recursive: true });
      writeFileSync(join(app, path), text);
    }
    install = await run('npm', ['install', join(work, packed.filename), '--no-audit', '--no-fund', '--prefer-offline'], app, {}, 170_000);
    expectExit(install);
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds the binary, the built dist/src, the spec JSON Schema, the README and package.json; no tests, no example, no database', () => {
    const paths = packed.files.map((f) => f.path);
    const shipped = ['README.md', 'package.json', 'schema/spec.schema.json'];
    expect(paths).toEqual(
      expect.arrayContaining(['bin/migrate-ui.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', ...shipped]),
    );
    expect(paths.filter((p) => !/^(bin\/|dist\/src\/)/.test(p) && !shipped.includes(p))).toEqual([]);
  });

  test("npm installs it on the project's own MikroORM and no driver the project does not use", () => {
    expect(install.stderr).not.toMatch(/ERESOLVE|peer dep/i);
    const modules = join(app, 'node_modules');
    expect(existsSync(join(modules, 'migrate-ui/bin/migrate-ui.js'))).toBe(true);
    expect(existsSync(join(modules, 'sqlite3'))).toBe(false);
    for (const other of ['@mikro-orm/sqlite', '@mikro-orm/mysql', '@mikro-orm/mariadb', 'better-sqlite3', 'mysql2', 'mariadb'])
      expect(existsSync(join(modules, other)), other).toBe(false);
    // One copy of MikroORM: the project's, not a second one under migrate-ui.
    expect(existsSync(join(modules, 'migrate-ui/node_modules/@mikro-orm'))).toBe(false);
    expect(JSON.parse(readFileSync(join(modules, '@mikro-orm/core/package.json'), 'utf8')).version).toBe(MIKRO_ORM);
  });

  test('npx migrate-ui status lists both revisions pending; up applies them and the database holds the tables', async (ctx) => {
    const db = database(ctx);
    const env = { APP_DATABASE_URL: db.url };
    const status = await run('npx', ['--no', '--', 'migrate-ui', 'status', '--json'], app, env);
    expectExit(status);
    const timeline = JSON.parse(status.stdout);
    expect(timeline.dialect).toBe('postgresql');
    expect(timeline.pending).toBe(2);
    expect(timeline.revisions.map((r: { name: string; status: string }) => `${r.name} ${r.status}`)).toEqual([
      `${AUTHORS} pending`,
      `${BOOKS} pending`,
    ]);

    const up = await run('npx', ['--no', '--', 'migrate-ui', 'up', '--json'], app, env);
    expectExit(up);
    expect(JSON.parse(up.stdout).applied).toEqual([AUTHORS, BOOKS]);
    expect(await tableNames(db)).toEqual(['authors', 'books', 'migrate_ui_lock', 'migrate_ui_revisions', 'mikro_orm_migrations']);
  });

  test("import … from 'migrate-ui' type-checks with the project's own TypeScript (NodeNext, strict)", async () => {
    expectExit(await run('npx', ['--no', '--', 'tsc', '--noEmit', '-p', '.'], app));
  }, 150_000);

  // After the `up` above: both revisions applied; the script reverts the last one through the library.
  test('the typed import works: timeline, live timeline, preview, a run with its events, the errors', async (ctx) => {
    const db = database(ctx);
    const result = await run(process.execPath, ['--import', 'tsx', 'use-api.ts'], app, { APP_DATABASE_URL: db.url });
    expectExit(result);
    expect(JSON.parse(result.stdout)).toEqual({
      pending: 0,
      current: BOOKS,
      liveCurrent: BOOKS,
      preview: ['drop table "books"'],
      events: ['lock:acquired', 'run:planned', 'revision:start', 'revision:done', 'run:done'],
      reverted: [`${BOOKS} down`],
      done: [BOOKS],
      pendingAfter: 1,
      refused: 'UsageError 2: no revision matches "no_such_revision"',
    });
    expect(await tableNames(db)).toEqual(['authors', 'migrate_ui_lock', 'migrate_ui_revisions', 'mikro_orm_migrations']);
  });
});

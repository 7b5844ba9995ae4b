import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';
import { Project } from '../../src/core/project.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { afterAll } from 'vitest';

/** A copy of the bundled example (config, entities, migrations) in a folder of its own, where tests may add revisions. */
export interface ExampleCopy {
  dir: string;
  configPath: string;
  migrationsDir: string;
  /** Writes a migration file into the copy. */
  addRevision(name: string, source: string): string;
  remove(): void;
}

/** Inside the repository, so the copy's imports find @mikro-orm/* in our node_modules. */
export function uiExample(): ExampleCopy {
  mkdirSync(join(ROOT, '.test-tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.test-tmp', 'ui-'));
  for (const entry of ['entities', 'migrations', 'mikro-orm.config.ts']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  const migrationsDir = join(dir, 'migrations');
  return {
    dir,
    configPath: join(dir, 'mikro-orm.config.ts'),
    migrationsDir,
    addRevision(name, source) {
      const path = join(migrationsDir, `${name}.ts`);
      writeFileSync(path, source);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A migration whose up() and down() run the given SQL. */
export function sqlRevision(name: string, up: string, down: string, options: { delayMs?: number } = {}): string {
  const wait = options.delayMs ? `await new Promise((resolve) => setTimeout(resolve, ${options.delayMs}));\n    ` : '';
  return `import { Migration } from '@mikro-orm/migrations';

export class ${name} extends Migration {
  override async up(): Promise<void> {
    ${wait}this.addSql(${JSON.stringify(up)});
  }

  override async down(): Promise<void> {
    this.addSql(${JSON.stringify(down)});
  }
}
`;
}

/** Opens a project at `configPath` on `dbUrl` (a test database). */
export function openProject(configPath: string, dbUrl: string): Promise<Project> {
  return Project.open({ cwd: ROOT, configPath, dbUrl, env: {} });
}

/**
 * The example copied for the enclosing describe block, and `open`, which opens the project on a database once for
 * the block (later calls return the same project). Both are closed and removed after the block.
 */
export function useUiExample(): { example: ExampleCopy; open(dbUrl: string): Promise<Project> } {
  const example = uiExample();
  let project: Project | undefined;
  afterAll(async () => {
    await project?.close();
    example.remove();
  });
  return { example, open: async (dbUrl) => (project ??= await openProject(example.configPath, dbUrl)) };
}

/** The example copied and opened on a fresh SQLite file, moved up to `target` when given. */
export interface SqliteExample {
  example: ExampleCopy;
  db: TestDatabase;
  project: Project;
  close(): Promise<void>;
}

export async function sqliteExample(target?: string): Promise<SqliteExample> {
  const example = uiExample();
  const db = (await createTestDatabase('sqlite'))!;
  const project = await openProject(example.configPath, db.url);
  if (target) await project.runner().run({ direction: 'up', target });
  return {
    example,
    db,
    project,
    async close() {
      await project.close();
      await db.drop();
      example.remove();
    },
  };
}

/** A project with `count` tiny revisions and a config of its own (defineConfig from @mikro-orm/sqlite), for long timelines. */
export function bigProject(count: number): { dir: string; configPath: string; names: string[]; remove(): void } {
  mkdirSync(join(ROOT, '.test-tmp'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.test-tmp', 'big-'));
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  const names: string[] = [];
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < count; i++) {
    const stamp = new Date(start + i * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);
    const name = `Migration${stamp}_step_${String(i + 1).padStart(4, '0')}`;
    names.push(name);
    writeFileSync(
      join(migrations, `${name}.ts`),
      sqlRevision(name, `create table step_${i + 1} (id integer primary key)`, `drop table step_${i + 1}`),
    );
  }
  writeFileSync(
    join(dir, 'mikro-orm.config.ts'),
    `import { fileURLToPath } from 'node:url';
import { defineConfig } from '@mikro-orm/sqlite';

export default defineConfig({
  dbName: fileURLToPath(new URL('./big.sqlite', import.meta.url)),
  entities: [],
  discovery: { warnWhenNoEntities: false },
  migrations: { path: fileURLToPath(new URL('./migrations', import.meta.url)) },
});
`,
  );
  return { dir, configPath: join(dir, 'mikro-orm.config.ts'), names, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './cli.js';

/** A small project written file by file, shaped like one a MikroORM user has. */
export interface RealProject {
  dir: string;
  write(relPath: string, text: string): void;
  remove(): void;
}

export interface RealProjectOptions {
  /** Files by path relative to the project. */
  files: Record<string, string>;
  /**
   * A node_modules of its own, outside the repository: real copies of these @mikro-orm packages, links to
   * every other package of ours except `without`. Without it the project lives inside the repository's
   * .test-tmp and resolves everything from our node_modules.
   */
  ownModules?: { mikroOrm: string[]; without: string[] };
}

/** Writes a project (config, entities, migrations, package.json, tsconfig) to a temp folder. */
export function realProject(options: RealProjectOptions): RealProject {
  let dir: string;
  if (options.ownModules) {
    dir = mkdtempSync(join(tmpdir(), 'mui-real-'));
    const modules = join(dir, 'node_modules');
    mkdirSync(join(modules, '@mikro-orm'), { recursive: true });
    for (const pkg of options.ownModules.mikroOrm)
      cpSync(join(ROOT, 'node_modules/@mikro-orm', pkg), join(modules, '@mikro-orm', pkg), { recursive: true });
    const skip = new Set([...options.ownModules.without, '@mikro-orm', '.bin', '.package-lock.json']);
    for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
      if (!skip.has(entry)) symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
    }
  } else {
    mkdirSync(join(ROOT, '.test-tmp'), { recursive: true });
    dir = mkdtempSync(join(ROOT, '.test-tmp', 'real-'));
  }
  const write = (relPath: string, text: string) => {
    mkdirSync(dirname(join(dir, relPath)), { recursive: true });
    writeFileSync(join(dir, relPath), text);
  };
  for (const [path, text] of Object.entries(options.files)) write(path, text);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The tsconfig.json of a CommonJS project of decorator entities with emitted metadata, type-checking src/. */
export const DECORATOR_TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2021',
    module: 'commonjs',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['src'],
});

/** A decorated User entity (table users: an integer id, a name) that states every type, needing no decorator metadata. */
export const USER_ENTITY = `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'users' })
export class User {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string' })
  name!: string;
}
`;

/** A migration file whose up() and down() run the given lines of code, one statement each. */
export function migrationCode(name: string, up: string[], down: string[]): string {
  const lines = (code: string[]) => code.map((c) => `    ${c}`).join('\n');
  return `import { Migration } from '@mikro-orm/migrations';

export class ${name} extends Migration {
  override async up(): Promise<void> {
${lines(up)}
  }

  override async down(): Promise<void> {
${lines(down)}
  }
}
`;
}

/** A migration file whose up() and down() add the given SQL, one statement each. */
export function migration(name: string, up: string[], down: string[]): string {
  const addSql = (sql: string[]) => sql.map((s) => `this.addSql(${JSON.stringify(s)});`);
  return migrationCode(name, addSql(up), addSql(down));
}

/** A migration whose up() waits `ms` (inside its transaction, holding the lock) and then adds the given SQL. */
export function slowMigration(name: string, ms: number, up: string[], down: string[]): string {
  return migration(name, up, down).replace(
    'override async up(): Promise<void> {\n',
    `override async up(): Promise<void> {\n    await new Promise((resolve) => setTimeout(resolve, ${ms}));\n`,
  );
}

/**
 * A copy of the bundled example inside the repository's .test-tmp (so its imports find our node_modules), with
 * `migrate-ui` linked into its node_modules as a user's install would have it: generated revisions import it.
 */
export function authoringProject(): RealProject & { migrationsDir: string } {
  const project = realProject({ files: { 'package.json': JSON.stringify({ name: 'authoring-project', private: true, type: 'module' }) } });
  for (const entry of ['entities', 'migrations', 'mikro-orm.config.ts']) cpSync(join(ROOT, entry), join(project.dir, entry), { recursive: true });
  mkdirSync(join(project.dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(project.dir, 'node_modules', 'migrate-ui'));
  return { ...project, migrationsDir: join(project.dir, 'migrations') };
}

import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/** The bundled example's revision names, oldest first. */
export const EXAMPLE_REVISIONS = readdirSync(join(ROOT, 'migrations'))
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .map((f) => f.replace(/\.ts$/, ''));

/** Tables the example's revisions create. */
export const EXAMPLE_TABLES = ['channel', 'features', 'users'];

/** A copy of the example project in a temp folder, to add, edit or break migration files in. */
export interface TempProject {
  dir: string;
  migrationsDir: string;
  /** Writes `text` to `relPath` inside the project. */
  write(relPath: string, text: string): void;
  remove(): void;
}

const COMMONJS_CONFIG = `import { join } from 'node:path';
import { defineConfig } from '@mikro-orm/sqlite';
import { UserSchema } from './entities/user';
import { ChannelSchema } from './entities/channel';
import { FeatureSchema } from './entities/feature';

export default defineConfig({
  dbName: join(__dirname, 'example.sqlite'),
  entities: [UserSchema, ChannelSchema, FeatureSchema],
  migrations: { path: join(__dirname, 'migrations') },
});
`;

/**
 * Copies config, entities and migrations of the example into a temp folder (outside the repository,
 * so it has no node_modules of its own). `commonjs` makes it a CommonJS package, as most MikroORM
 * projects are: its `.ts` files then load through require().
 */
export function copyExample(options: { commonjs?: boolean } = {}): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'mui-project-'));
  for (const entry of ['entities', 'migrations', 'mikro-orm.config.ts']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  const write = (relPath: string, text: string) => writeFileSync(join(dir, relPath), text);
  if (options.commonjs) {
    write('package.json', JSON.stringify({ name: 'cjs-project', private: true }));
    write('mikro-orm.config.ts', COMMONJS_CONFIG);
  } else {
    write('package.json', JSON.stringify({ name: 'esm-project', private: true, type: 'module' }));
  }
  return { dir, migrationsDir: join(dir, 'migrations'), write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

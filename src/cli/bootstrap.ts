import { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

let ready = false;

/** The folder whose node_modules supplies @mikro-orm/*: the project's own when it has MikroORM, ours otherwise. */
export function mikroOrmBase(projectDir: string): string {
  try {
    createRequire(join(projectDir, 'package.json')).resolve('@mikro-orm/core');
    return projectDir;
  } catch {
    return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  }
}

/**
 * Makes TypeScript configs, entities and migrations load without a build (tsx), and makes every
 * `@mikro-orm/*` import — ours, the project's, CommonJS or ESM — resolve to one copy.
 */
export async function bootstrap(projectDir: string): Promise<void> {
  if (ready) return;
  ready = true;
  const { register: registerTsx } = await import('tsx/esm/api');
  const { register: registerTsxCjs } = await import('tsx/cjs/api');
  // A `.ts` file in a CommonJS package goes through require(): without tsx's CommonJS hook it cannot load.
  registerTsxCjs();
  registerTsx();
  const base = mikroOrmBase(projectDir);
  const baseFile = join(base, 'package.json');
  register(new URL('./mikro-orm-hook.js', import.meta.url), { data: { parentURL: pathToFileURL(baseFile).href } });
  // CommonJS side: MikroORM's own packages require each other.
  const Module = createRequire(import.meta.url)('node:module');
  const original = Module._resolveFilename;
  const fakeParent = { id: baseFile, filename: baseFile, paths: Module._nodeModulePaths(base) };
  Module._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
    if (request.startsWith('@mikro-orm/')) {
      try {
        return original.call(this, request, fakeParent, ...rest);
      } catch {
        // Not in the chosen copy: fall back to normal resolution.
      }
    }
    return original.call(this, request, parent, ...rest);
  };
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const RE_EXPORT = /__exportStar\(require\("(\.\/[\w.-]+)"\), exports\)/g;
const EXPORT = /^exports\.([\w$]+) = (?!void 0)/gm;

/**
 * Puts `@mikro-orm/migrations` (MikroORM 6's CommonJS index, resolved from `base`) in require's cache as the same
 * exports, each file loaded on first use: the index loads the Migrator and with it umzug's CLI (about 90 ms, several
 * hundred on a busy machine), which no run uses; a revision needs only `Migration`. Each export is the class of its own
 * file, so it is the very class the index would hand out. Any other layout is left to load as it is.
 */
export function lazyMigrationsPackage(base: string): void {
  const requireHere = createRequire(import.meta.url);
  const Module = requireHere('node:module');
  let index: string;
  let files: string[];
  try {
    index = createRequire(join(base, 'package.json')).resolve('@mikro-orm/migrations');
    if (Module._cache[index]) return;
    files = [...readFileSync(index, 'utf8').matchAll(RE_EXPORT)].map((m) => createRequire(index).resolve(m[1]));
  } catch {
    return;
  }
  if (files.length === 0) return;
  const exports: Record<string, unknown> = {};
  Object.defineProperty(exports, '__esModule', { value: true });
  try {
    for (const file of files) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(EXPORT)) {
        if (name in exports) continue;
        Object.defineProperty(exports, name, { enumerable: true, get: () => requireHere(file)[name] });
      }
    }
  } catch {
    return;
  }
  const entry = new Module(index);
  entry.filename = index;
  entry.exports = exports;
  entry.loaded = true;
  Module._cache[index] = entry;
}

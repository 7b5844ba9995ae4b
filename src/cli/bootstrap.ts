import { readFileSync } from 'node:fs';
import Module, { createRequire, register } from 'node:module';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFileImporter, setLineMapper } from '../core/modules.js';
import { enableCompileCache } from './compile-cache.js';
import { parseDatabaseUrl } from '../core/url.js';
import { cliTsConfigPath, DRIVER_MODULES } from '../core/config.js';
import { orm } from '../core/orm/index.js';
import { compileWithTypeScriptWhereDecoratorsNeedIt } from './decorator-metadata.js';
import { lazyMigrationsPackage } from './lazy-migrations.js';
import { RevisionCode } from './revision-code.js';

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

/** Our own public entry point, which generated revisions import as `migrate-ui`. */
export const OWN_ENTRY = join(dirname(fileURLToPath(import.meta.url)), '..', 'index.js');

/**
 * Every `@mikro-orm/*` require() — ours, the project's, MikroORM's own — resolves from `base`: one copy. A
 * revision's `import … from 'migrate-ui'` resolves to the project's migrate-ui, or to this one where it has none
 * (run through npx): the operations a generated file calls are the ones running it.
 */
function pinModules(base: string): void {
  const Module = createRequire(import.meta.url)('node:module');
  const original = Module._resolveFilename;
  const baseFile = join(base, 'package.json');
  const fakeParent = { id: baseFile, filename: baseFile, paths: Module._nodeModulePaths(base) };
  // Resolved from one place, a package's path depends on its name alone: knex's 50-odd files each ask for core.
  const pinned = new Map<string, string>();
  const shareLodash = lodashSharer(Module);
  Module._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
    if (request.startsWith('@mikro-orm/')) {
      const known = rest[1] === undefined ? pinned.get(request) : undefined;
      if (known) return known;
      try {
        const path = original.call(this, request, fakeParent, ...rest);
        if (rest[1] === undefined) pinned.set(request, path);
        return path;
      } catch {
        // Not in the chosen copy: fall back to normal resolution.
      }
    }
    if (request.startsWith('lodash/')) {
      const path = original.call(this, request, parent, ...rest);
      shareLodash(request, path, parent);
      return path;
    }
    if (request === 'migrate-ui') {
      try {
        return original.call(this, request, parent, ...rest);
      } catch {
        return OWN_ENTRY;
      }
    }
    return original.call(this, request, parent, ...rest);
  };
}

/**
 * knex requires some 40 lodash functions one file each (`lodash/isEmpty`), which pull in 220 more of lodash's inner
 * files: a quarter of the modules a start loads. lodash's own full build holds the very same functions, generated
 * from the same source; knex's files get them from there, one file. Only knex's own requests, only the functions
 * the full build exports under that name, only where `lodash/NAME.js` sits beside the full build it resolves to.
 */
function lodashSharer(Module: {
  _cache: Record<string, unknown>;
  new (id: string): { filename: string; exports: unknown; loaded: boolean };
}): (request: string, path: string, parent: unknown) => void {
  const builds = new Map<string, Record<string, unknown> | undefined>();
  const knexFiles = `${sep}node_modules${sep}knex${sep}`;
  return (request, path, parent) => {
    const name = request.slice('lodash/'.length);
    if (Module._cache[path] || !/^[a-zA-Z]\w*$/.test(name)) return;
    const from = (parent as { filename?: string } | undefined)?.filename;
    if (!from?.includes(knexFiles) || basename(path) !== `${name}.js`) return;
    const fullPath = join(dirname(path), 'lodash.js');
    if (!builds.has(fullPath)) {
      try {
        builds.set(fullPath, createRequire(path)(fullPath) as Record<string, unknown>);
      } catch {
        builds.set(fullPath, undefined);
      }
    }
    const full = builds.get(fullPath);
    if (typeof full?.[name] !== 'function' || full.VERSION === undefined) return;
    const entry = new Module(path);
    entry.filename = path;
    entry.exports = full[name];
    entry.loaded = true;
    Module._cache[path] = entry;
  };
}

/**
 * Loads MikroORM and the drivers the config names before tsx is hooked in: tsx's require hook
 * inspects every file it loads, which would double the cost of MikroORM's few hundred modules.
 */
function preloadMikroOrm(base: string, configPath: string, dbUrl: string | undefined): void {
  const requireFromBase = createRequire(join(base, 'package.json'));
  const packages = new Set<string>(orm.packages);
  try {
    for (const m of readFileSync(configPath, 'utf8').matchAll(/@mikro-orm\/(sqlite|postgresql|mysql|mariadb)\b/g)) packages.add(m[0]);
  } catch {
    // An unreadable config fails later with its own message.
  }
  try {
    if (dbUrl) packages.add(DRIVER_MODULES[parseDatabaseUrl(dbUrl).dialect].module);
  } catch {
    // A bad URL fails later with its own message.
  }
  for (const pkg of packages) {
    try {
      requireFromBase(pkg);
    } catch {
      // Not installed: whoever needs it says so.
    }
  }
}

/**
 * A file's `require('migrate-ui')` gets the module this process already runs (its ESM namespace, put in require's
 * cache), not a second copy of our whole entry compiled to CommonJS by tsx: one `DataMigration` class, and about
 * 55 ms less for each process that loads such a file.
 */
async function shareOwnEntry(): Promise<void> {
  const Module = createRequire(import.meta.url)('node:module');
  const entry = new Module(OWN_ENTRY);
  entry.filename = OWN_ENTRY;
  entry.exports = await import(pathToFileURL(OWN_ENTRY).href);
  entry.loaded = true;
  Module._cache[OWN_ENTRY] = entry;
}

/** Made once: each createRequire() parses a URL and builds a module (about 0.25 ms, once a revision file otherwise). */
const ownRequire = createRequire(import.meta.url);

/** Once our entry is in require's cache, files need not be read to know whether they import it. */
function ownEntryShared(): boolean {
  return ownRequire.cache[OWN_ENTRY] !== undefined;
}

const IMPORTS_US = /\bfrom\s+['"]migrate-ui['"]|require\(\s*['"]migrate-ui['"]\s*\)/;

let esmReady: Promise<void> | undefined;

/** The slower ESM path (a loader thread), only for files require() cannot take (top-level await, ESM-only imports). */
function enableEsm(base: string, forConfig: boolean): Promise<void> {
  esmReady ??= (async () => {
    const { register: registerTsx } = await import('tsx/esm/api');
    // For the config (a password can be written in it), tsx's loader thread keeps nothing in its cache on disk: it
    // reads the variable once, as it starts, from the environment it is given then.
    const uncached = forConfig && process.env.TSX_DISABLE_CACHE === undefined;
    if (uncached) process.env.TSX_DISABLE_CACHE = '1';
    try {
      registerTsx();
    } finally {
      if (uncached) delete process.env.TSX_DISABLE_CACHE;
    }
    register(new URL('./mikro-orm-hook.js', import.meta.url), {
      data: { parentURL: pathToFileURL(join(base, 'package.json')).href, ownEntry: pathToFileURL(OWN_ENTRY).href },
    });
  })();
  return esmReady;
}

function needsEsm(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    ['ERR_REQUIRE_ESM', 'ERR_REQUIRE_ASYNC_MODULE', 'ERR_REQUIRE_CYCLE_MODULE'].includes(String(e?.code)) ||
    /top-level await/i.test(String(e?.message))
  );
}

const NODE_MODULES = `${sep}node_modules${sep}`;

/**
 * Hands the `.js` files of installed packages back to Node's own loader (`nodeJs`, its handler before tsx's), where
 * Node can require() an ES module itself (22.12+, 20.19+). tsx's handler compiles every ES module it is asked for to
 * CommonJS: a package that MikroORM 7's ES modules already loaded (Kysely, a driver) would load a second time, as
 * other classes, hundreds of files. Node's require() of an ES module is the one its import() loaded. Our project's
 * own files (TypeScript, or JavaScript beside it) stay with tsx.
 */
function packagesToNode(nodeJs: unknown): void {
  if (!(process.features as { require_module?: boolean }).require_module || typeof nodeJs !== 'function') return;
  const extensions = (Module as unknown as { _extensions: Record<string, (module: unknown, filename: string) => unknown> })._extensions;
  const tsxJs = extensions['.js'];
  if (tsxJs === nodeJs) return;
  extensions['.js'] = (module, filename) => (filename.includes(NODE_MODULES) ? nodeJs(module, filename) : tsxJs(module, filename));
}

/**
 * Makes TypeScript configs, entities and migrations load without a build (tsx), and makes every
 * `@mikro-orm/*` import resolve to one copy of MikroORM.
 */
export async function bootstrap(projectDir: string, configPath: string, dbUrl?: string): Promise<void> {
  if (ready) return;
  ready = true;
  enableCompileCache();
  const base = mikroOrmBase(projectDir);
  pinModules(base);
  preloadMikroOrm(base, configPath, dbUrl);
  lazyMigrationsPackage(base);
  // require(), not import(): imported from an ES module, tsx's entry and esbuild's would first be scanned for their exports.
  const { register: registerTsxCjs } = createRequire(import.meta.url)('tsx/cjs/api') as typeof import('tsx/cjs/api');
  // The tsconfig MikroORM's CLI gives ts-node (its `paths` included), where the project names one.
  const tsconfig = cliTsConfigPath(process.cwd());
  if (tsconfig) process.env.TSX_TSCONFIG_PATH ??= tsconfig;
  const nodeJs = (Module as unknown as { _extensions: Record<string, unknown> })._extensions['.js'];
  registerTsxCjs();
  if (orm.esModules) packagesToNode(nodeJs);
  compileWithTypeScriptWhereDecoratorsNeedIt(process.cwd(), projectDir);
  const requireHere = createRequire(import.meta.url);
  const kept = new RevisionCode(process.env.TSX_TSCONFIG_PATH);
  setLineMapper((path, line, column) => kept.sourceLine(path, line, column));
  const config = resolve(configPath);
  setFileImporter(async (path, { fresh = true } = {}) => {
    try {
      // Always the file as it is now: the TUI shows a revision's SQL again after the file was edited.
      if (fresh) delete requireHere.cache[path];
      // The config (a password can be written in it) and what it requires from the project: kept in no cache on disk.
      if (path === config && !requireHere.cache[path]) {
        const source = readFileSync(path, 'utf8');
        if (!ownEntryShared() && IMPORTS_US.test(source)) await shareOwnEntry();
        return kept.requireConfig(() => requireHere(path));
      }
      // Revisions and the config: read anyway to know what they import, then run as tsx compiled them before.
      if (fresh && path.endsWith('.ts')) {
        const source = readFileSync(path, 'utf8');
        if (!ownEntryShared() && IMPORTS_US.test(source)) await shareOwnEntry();
        return kept.require(path, source, () => requireHere(path));
      }
      if (!ownEntryShared() && IMPORTS_US.test(readFileSync(path, 'utf8'))) await shareOwnEntry();
      return requireHere(path);
    } catch (error) {
      if (!needsEsm(error)) throw error;
      await enableEsm(base, path === config);
      return import(pathToFileURL(path).href);
    }
  });
}

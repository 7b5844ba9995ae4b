import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import vm from 'node:vm';

/** Node's CommonJS loader, as far as this file uses it (node:module's types leave these out). */
interface Loader {
  prototype: { _compile(this: LoadedModule, content: string, filename: string, format?: string): unknown };
  wrap(source: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: unknown): string[] | null;
  _extensions: unknown;
  _cache: unknown;
  enableCompileCache?: () => unknown;
}
interface LoadedModule {
  exports: unknown;
  require(id: string): unknown;
}

const NODE_MODULES = `${sep}node_modules${sep}`;
/** Code that imports dynamically is left to Node: a compiled script here has no import() of its own. */
const DYNAMIC_IMPORT = /\bimport\s*\(/;
/** Bundles this big (TypeScript's 9 MB) would make every start read their cache; they compile as before. */
const LARGEST_SOURCE = 1 << 20;
/** More than this and a save keeps only what this process used. */
const LARGEST_CACHE = 48 << 20;
const MAGIC = 'migrate-ui compile cache 1\n';

let enabled = false;

/**
 * Keeps V8's compiled code of the CommonJS files under node_modules (MikroORM, knex and lodash are some 700 files a
 * start) between runs, in the user's own temp folder, keyed by each file's text (SHA-1), so a start compiles only
 * what changed: Node 22's module.enableCompileCache() where there is one, this on Node 20. Nothing else changes: the
 * module gets the same require, exports, module, __filename and __dirname Node gives it.
 */
export function enableCompileCache(): void {
  // Node's own switch for its cache turns this one off too.
  if (enabled || process.env.NODE_DISABLE_COMPILE_CACHE) return;
  enabled = true;
  const Module = createRequire(import.meta.url)('node:module') as Loader;
  if (typeof Module.enableCompileCache === 'function') {
    Module.enableCompileCache();
    return;
  }
  const path = cachePath();
  if (!path) return;
  const known = readCache(path);
  const used = new Set<string>();
  const fresh: Array<[string, vm.Script]> = [];
  const original = Module.prototype._compile;
  // Where Node has it (20.12+): an import() built at run time (new Function, eval) still works as it does in Node's own.
  const importModuleDynamically = (vm.constants as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: unknown } | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  Module.prototype._compile = function (content, filename, format) {
    if (format === 'module' || !filename.includes(NODE_MODULES) || content.length > LARGEST_SOURCE || DYNAMIC_IMPORT.test(content)) {
      return original.call(this, content, filename, format);
    }
    // Keyed by path and text: V8's cached code keeps the file name it was compiled under, which stack traces (and
    // modules that find their folder from one, as `bindings` does) would then report for a copy elsewhere.
    const key = createHash('sha1').update(filename).update('\0').update(content).digest().toString('latin1');
    const cachedData = known.get(key);
    let script: vm.Script;
    try {
      const source = Module.wrap(content.startsWith('#!') ? `//${content}` : content);
      script = new vm.Script(source, { filename, cachedData, importModuleDynamically } as vm.ScriptOptions);
    } catch {
      // Not CommonJS after all (an ES module Node would load as one), or broken: Node's own compile decides and says.
      return original.call(this, content, filename, format);
    }
    if (!cachedData || script.cachedDataRejected) fresh.push([key, script]);
    else used.add(key);
    const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return run.call(this.exports, this.exports, requireFor(Module, this), this, filename, dirname(filename));
  };
  process.once('exit', () => {
    if (fresh.length === 0) return;
    let entries = [...known];
    if (entries.reduce((n, [, data]) => n + data.length, 0) > LARGEST_CACHE) entries = entries.filter(([key]) => used.has(key));
    const merged = new Map(entries);
    for (const [key, script] of fresh) merged.set(key, script.createCachedData());
    writeCache(path, merged);
  });
}

/** The `require` Node hands a CommonJS module (internal/modules/helpers' makeRequireFunction, through public calls). */
function requireFor(Module: Loader, module: LoadedModule) {
  const require = (id: string) => module.require(id);
  const resolve = (request: string, options?: unknown) => Module._resolveFilename(request, module, false, options);
  resolve.paths = (request: string) => Module._resolveLookupPaths(request, module);
  return Object.assign(require, { resolve, main: process.mainModule, extensions: Module._extensions, cache: Module._cache });
}

/** The cache file for this Node and its V8 flags, in a folder of this user's own; undefined where there is none. */
function cachePath(): string | undefined {
  try {
    const uid = process.getuid?.();
    const folder = join(tmpdir(), `migrate-ui-${uid ?? 'user'}`);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // Compiled code runs as it is: a folder (or file) someone else made first is never read.
    if (uid !== undefined && statSync(folder).uid !== uid) return undefined;
    return join(folder, `compile-${process.version}-${cachedDataVersionTag()}.bin`);
  } catch {
    return undefined;
  }
}

function readCache(path: string): Map<string, Buffer> {
  const known = new Map<string, Buffer>();
  try {
    const uid = process.getuid?.();
    if (uid !== undefined && statSync(path).uid !== uid) return known;
    const blob = readFileSync(path);
    if (blob.toString('latin1', 0, MAGIC.length) !== MAGIC) return known;
    for (let at = MAGIC.length; at < blob.length; ) {
      const keyLength = blob.readUInt8(at);
      const key = blob.toString('latin1', at + 1, at + 1 + keyLength);
      const dataLength = blob.readUInt32LE(at + 1 + keyLength);
      const start = at + 5 + keyLength;
      known.set(key, blob.subarray(start, start + dataLength));
      at = start + dataLength;
    }
  } catch {
    // None yet, or cut short: what was read is used, V8 checks each entry again.
  }
  return known;
}

/** Writes the cache whole, by a rename: a reader never sees half a file. A cache that cannot be written is no error. */
function writeCache(path: string, entries: Map<string, Buffer>): void {
  try {
    const parts: Buffer[] = [Buffer.from(MAGIC, 'latin1')];
    for (const [key, data] of entries) {
      const head = Buffer.alloc(5 + key.length);
      head.writeUInt8(key.length, 0);
      head.write(key, 1, 'latin1');
      head.writeUInt32LE(data.length, 1 + key.length);
      parts.push(head, data);
    }
    const temporary = `${path}.${process.pid}`;
    writeFileSync(temporary, Buffer.concat(parts), { mode: 0o600 });
    renameSync(temporary, path);
  } catch {
    // A read-only or full temp folder: the next start compiles again.
  }
}

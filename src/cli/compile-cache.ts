import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import vm from 'node:vm';

/** Node's CommonJS loader, as far as this file uses it (node:module's types leave these out). */
export interface Loader {
  prototype: { _compile(this: LoadedModule, content: string, filename: string, format?: string): unknown };
  wrap(source: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: unknown): string[] | null;
  _extensions: unknown;
  _cache: unknown;
  enableCompileCache?: () => unknown;
}
export interface LoadedModule {
  exports: unknown;
  require(id: string): unknown;
}

const NODE_MODULES = `${sep}node_modules${sep}`;
/** Code that imports dynamically is left to Node: a compiled script here has no import() of its own. */
const DYNAMIC_IMPORT = /\bimport\s*\(/;
/** Bundles this big (TypeScript's 9 MB) would make every start read their cache; they compile as before. */
const LARGEST_SOURCE = 1 << 20;
/** More than this and a save keeps only what this process used. */
export const LARGEST_CACHE = 48 << 20;
const MAGIC = 'migrate-ui compile cache 2\n';

let enabled = false;

/** Where Node has it (20.12+): an import() built at run time (new Function, eval) still works as it does in Node's own. */
export const importModuleDynamically = (vm.constants as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: unknown } | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

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
  const path = cachePath('compiled');
  if (!path) return;
  const known = openCache(path);
  const used = new Set<string>();
  const fresh = new Map<string, vm.Script>();
  const original = Module.prototype._compile;
  Module.prototype._compile = function (content, filename, format) {
    if (format === 'module' || !filename.includes(NODE_MODULES) || content.length > LARGEST_SOURCE || DYNAMIC_IMPORT.test(content)) {
      return original.call(this, content, filename, format);
    }
    // Keyed by path and text: V8's cached code keeps the file name it was compiled under, which stack traces (and
    // modules that find their folder from one, as `bindings` does) would then report for a copy elsewhere.
    const key = createHash('sha1').update(filename).update('\0').update(content).digest();
    const cachedData = known.read(key);
    let script: vm.Script;
    try {
      const source = Module.wrap(content.startsWith('#!') ? `//${content}` : content);
      script = new vm.Script(source, { filename, cachedData, importModuleDynamically } as vm.ScriptOptions);
    } catch {
      // Not CommonJS after all (an ES module Node would load as one), or broken: Node's own compile decides and says.
      return original.call(this, content, filename, format);
    }
    if (!cachedData || script.cachedDataRejected) fresh.set(key.toString('latin1'), script);
    else used.add(key.toString('latin1'));
    const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return run.call(this.exports, this.exports, requireFor(Module, this), this, filename, dirname(filename));
  };
  process.once('exit', () => {
    if (fresh.size === 0) return known.close();
    const keep = known.size() > LARGEST_CACHE ? (key: string) => used.has(key) : () => true;
    const merged = known.entries(keep);
    known.close();
    for (const [key, script] of fresh) merged.set(key, script.createCachedData());
    writeCache(path, merged);
  });
}

/** The `require` Node hands a CommonJS module (internal/modules/helpers' makeRequireFunction, through public calls). */
export function requireFor(Module: Loader, module: LoadedModule) {
  const require = (id: string) => module.require(id);
  const resolve = (request: string, options?: unknown) => Module._resolveFilename(request, module, false, options);
  resolve.paths = (request: string) => Module._resolveLookupPaths(request, module);
  return Object.assign(require, { resolve, main: process.mainModule, extensions: Module._extensions, cache: Module._cache });
}

/** A cache file for this Node and its V8 flags, in a folder of this user's own; undefined where there is none. */
export function cachePath(name: string): string | undefined {
  const folder = cacheFolder();
  return folder && join(folder, `${name}-${process.version}-${cachedDataVersionTag()}.bin`);
}

/** This user's own cache folder (mode 0700), made where missing; undefined where it cannot be, or someone else made it. */
export function cacheFolder(): string | undefined {
  try {
    const uid = process.getuid?.();
    const folder = join(tmpdir(), `migrate-ui-${uid ?? 'user'}`);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // What is kept there is trusted as it is: a folder (or file) someone else made first is never read.
    if (uid !== undefined && statSync(folder).uid !== uid) return undefined;
    return folder;
  } catch {
    return undefined;
  }
}

/** The cache file as it was read at start: its index in memory, each entry's compiled code read when a module asks. */
export interface CacheFile {
  read(key: Buffer): Buffer | undefined;
  /** Bytes of compiled code it holds. */
  size(): number;
  /** Its entries that `keep` keeps, keyed as `key.toString('latin1')`, read whole. */
  entries(keep: (key: string) => boolean): Map<string, Buffer>;
  close(): void;
}

const KEY_BYTES = 20;
const INDEX_ENTRY = KEY_BYTES + 8;

/**
 * Opens the cache and reads its index only (28 bytes an entry, sorted by key): a start costs the same whatever
 * else the cache holds (other projects, the terminal app, tests), and reads just the code of the modules it loads.
 */
export function openCache(path: string): CacheFile {
  const none: CacheFile = { read: () => undefined, size: () => 0, entries: () => new Map(), close: () => undefined };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return none;
  }
  try {
    const uid = process.getuid?.();
    const head = Buffer.alloc(MAGIC.length + 4);
    if ((uid !== undefined && fstatSync(fd).uid !== uid) || readSync(fd, head, 0, head.length, 0) !== head.length) throw new Error();
    if (head.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error();
    const count = head.readUInt32LE(MAGIC.length);
    const index = Buffer.alloc(count * INDEX_ENTRY);
    if (readSync(fd, index, 0, index.length, head.length) !== index.length) throw new Error();
    const find = (key: Buffer): number => {
      for (let low = 0, high = count - 1; low <= high; ) {
        const middle = (low + high) >>> 1;
        const at = middle * INDEX_ENTRY;
        const order = key.compare(index, at, at + KEY_BYTES);
        if (order === 0) return at;
        if (order < 0) high = middle - 1;
        else low = middle + 1;
      }
      return -1;
    };
    const load = (at: number): Buffer | undefined => {
      const data = Buffer.allocUnsafe(index.readUInt32LE(at + KEY_BYTES + 4));
      try {
        return readSync(fd, data, 0, data.length, index.readUInt32LE(at + KEY_BYTES)) === data.length ? data : undefined;
      } catch {
        return undefined;
      }
    };
    let open = true;
    return {
      // A short or damaged entry is only a miss: V8 checks each one again and compiles afresh where it does not fit.
      read: (key) => {
        const at = open ? find(key) : -1;
        return at < 0 ? undefined : load(at);
      },
      size: () => {
        let bytes = 0;
        for (let at = 0; at < index.length; at += INDEX_ENTRY) bytes += index.readUInt32LE(at + KEY_BYTES + 4);
        return bytes;
      },
      entries: (keep) => {
        const kept = new Map<string, Buffer>();
        for (let at = 0; open && at < index.length; at += INDEX_ENTRY) {
          const key = index.toString('latin1', at, at + KEY_BYTES);
          const data = keep(key) ? load(at) : undefined;
          if (data) kept.set(key, data);
        }
        return kept;
      },
      close: () => {
        if (open) closeSync(fd);
        open = false;
      },
    };
  } catch {
    // Someone else's, another format, or cut short: started again at the next save.
    closeSync(fd);
    return none;
  }
}

/** Writes the cache whole, by a rename: a reader never sees half a file. A cache that cannot be written is no error. */
export function writeCache(path: string, entries: Map<string, Buffer>): void {
  try {
    const keys = [...entries.keys()].map((key) => Buffer.from(key, 'latin1')).sort(Buffer.compare);
    const head = Buffer.alloc(MAGIC.length + 4 + keys.length * INDEX_ENTRY);
    head.write(MAGIC, 0, 'latin1');
    head.writeUInt32LE(keys.length, MAGIC.length);
    const parts: Buffer[] = [head];
    let offset = head.length;
    keys.forEach((key, i) => {
      const data = entries.get(key.toString('latin1')) as Buffer;
      const at = MAGIC.length + 4 + i * INDEX_ENTRY;
      key.copy(head, at);
      head.writeUInt32LE(offset, at + KEY_BYTES);
      head.writeUInt32LE(data.length, at + KEY_BYTES + 4);
      parts.push(data);
      offset += data.length;
    });
    const temporary = `${path}.${process.pid}`;
    writeFileSync(temporary, Buffer.concat(parts), { mode: 0o600 });
    renameSync(temporary, path);
  } catch {
    // A read-only or full temp folder: the next start compiles again.
  }
}

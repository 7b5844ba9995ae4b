import { createCipheriv, createDecipheriv, createHash, type Hash, randomBytes } from 'node:crypto';
import { existsSync, promises, readFileSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import vm from 'node:vm';
import {
  type CacheFile,
  cachePath,
  importModuleDynamically,
  LARGEST_CACHE,
  type LoadedModule,
  type Loader,
  openCache,
  requireFor,
  writeCache,
} from './compile-cache.js';

const requireHere = createRequire(import.meta.url);
const JS_LENGTH = 4;
const DYNAMIC_IMPORT = /\bimport\s*\(/;
const NODE_MODULES = `${sep}node_modules${sep}`;
const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;(?:charset=[^;,]+;)?base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * The project's TypeScript files that migrate-ui loads itself (revisions, the config), kept as tsx compiled them
 * and as V8 compiled that, between runs: a start that loads 200 revisions hashes them and runs their code, where tsx
 * would look each up in its own cache, map its source, and V8 compile it again (some 1.2 ms a file here).
 *
 * An entry is keyed by the file's path and text and by what tsx compiles it with (tsx's version, the tsconfig
 * chain it reads): a file, a tsconfig or tsx that changed is compiled by tsx again. Its code is tsx's own output,
 * byte for byte; only the module's top is run from here instead of from tsx's hook. A file tsx cannot load as
 * CommonJS (top-level await) never gets an entry and goes on to load as before.
 */
export class RevisionCode {
  readonly #path: string | undefined;
  #known: CacheFile | undefined;
  #salted: Hash | undefined;
  readonly #fresh = new Map<string, Buffer>();
  readonly #used = new Set<string>();
  /** The key each sealed entry is sealed with (made from its file's text, never kept). */
  readonly #seals = new Map<string, Buffer>();
  /** Plain entries of files now sealed (kept by an earlier version): dropped at the next save. */
  readonly #forget = new Set<string>();
  /** The code each file ran from here, for its source map (Node maps only what it compiled itself). */
  readonly #ran = new Map<string, string>();
  readonly #Module = requireHere('node:module') as Loader;

  constructor(private readonly tsconfig: string | undefined) {
    this.#path = process.env.NODE_DISABLE_COMPILE_CACHE ? undefined : cachePath('revisions');
    if (this.#path) process.once('exit', () => this.#save());
  }

  /** The file `require` below asks for, its text and its key: the `.ts` handler runs kept code for this one only. */
  #wanted: { path: string; id: string; key: Buffer } | undefined;
  #installed = false;
  /** While the config loads: every file of the project compiled is kept sealed, or not at all. */
  #sealing = false;

  /**
   * Requires `path` (whose text is `source`) through `load` (Node's require, with tsx's hook): its module is made by
   * Node as always (require's cache, Module._load), its code is the kept code where there is some, otherwise what
   * tsx compiles, kept for the next run.
   */
  require(path: string, source: string, load: () => unknown): unknown {
    if (!this.#path) return load();
    this.#install();
    const key = this.#key(path, source);
    this.#wanted = { path, id: key.toString('latin1'), key };
    try {
      return load();
    } finally {
      this.#wanted = undefined;
    }
  }

  /**
   * Requires the config through `load` (Node's require, with tsx's hook) so that no cache on disk holds a copy a
   * password written in it could be read from. It, and every file of the project it requires in turn (a settings
   * file can hold one too), is kept here sealed (AES-256-GCM) with a key made from its own text, which is not kept:
   * only who has the file can read the entry, and a changed file is a miss. Nothing of theirs goes to tsx's cache
   * (`$TMPDIR/tsx-UID`, its files readable by all) nor to Node's compile cache (Node 22's, which keeps the code's
   * literals). Packages under node_modules are cached as always.
   */
  requireConfig(load: () => unknown): unknown {
    if (this.#path) this.#install();
    const Module = this.#Module;
    const prototype = Module.prototype;
    const compile = prototype._compile;
    const ran = this.#ran;
    prototype._compile = function (content, filename, format) {
      const cannotImport = !importModuleDynamically && DYNAMIC_IMPORT.test(content);
      if (format === 'module' || filename.includes(NODE_MODULES) || cannotImport) return compile.call(this, content, filename, format);
      // vm.Script, as #run below: Node's own compile would put the code into its compile cache where that is on.
      const script = new vm.Script(Module.wrap(content.startsWith('#!') ? `//${content}` : content), {
        filename,
        importModuleDynamically,
      } as vm.ScriptOptions);
      ran.set(filename, content);
      const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
      return run.call(this.exports, this.exports, requireFor(Module, this), this, filename, dirname(filename));
    };
    // tsx writes each file it compiled to its cache with a promise it starts there and then, and does not await.
    const writeFile = promises.writeFile;
    const tsxCache = join(tmpdir(), 'tsx-');
    promises.writeFile = ((file: unknown, ...rest: unknown[]) =>
      typeof file === 'string' && file.startsWith(tsxCache)
        ? Promise.resolve()
        : (writeFile as (...args: unknown[]) => Promise<void>)(file, ...rest)) as typeof promises.writeFile;
    this.#sealing = true;
    try {
      return load();
    } finally {
      this.#sealing = false;
      prototype._compile = compile;
      promises.writeFile = writeFile;
    }
  }

  /** Wraps the `.ts` handler registered last (tsx's, or one wrapping it): the wanted file runs from kept code. */
  #install(): void {
    if (this.#installed) return;
    this.#installed = true;
    const extensions = this.#Module._extensions as Record<string, (module: LoadedModule, filename: string) => unknown>;
    const handler = extensions['.ts'];
    if (!handler) return;
    extensions['.ts'] = (module, filename) => {
      const wanted = this.#wanted;
      if (wanted?.path === filename) {
        this.#wanted = undefined;
        return this.#load(module, filename, wanted.id, this.#entry(wanted.id, wanted.key), () => handler(module, filename));
      }
      if (!this.#sealing || filename.includes(NODE_MODULES)) return handler(module, filename);
      let source: string;
      try {
        source = readFileSync(filename, 'utf8');
      } catch {
        return handler(module, filename);
      }
      const key = this.#key(filename, source, true);
      const id = key.toString('latin1');
      const seal = sealKey(filename, source);
      this.#seals.set(id, seal);
      this.#forget.add(this.#key(filename, source).toString('latin1'));
      return this.#load(module, filename, id, this.#entry(id, key, seal), () => handler(module, filename));
    };
  }

  /** The entry of `id`: this run's, or the kept one (opened with `seal` where it was sealed). */
  #entry(id: string, key: Buffer, seal?: Buffer): Buffer | undefined {
    const fresh = this.#fresh.get(id);
    if (fresh) return fresh;
    const kept = this.#cache().read(key);
    return kept && seal ? unsealed(kept, seal) : kept;
  }

  /** Runs `path` from its entry where there is a usable one; otherwise through tsx (`compile`), its code kept. */
  #load(module: LoadedModule, path: string, id: string, entry: Buffer | undefined, compile: () => unknown): void {
    const length = entry && entry.length >= JS_LENGTH ? entry.readUInt32LE(0) : -1;
    if (entry && length >= 0 && entry.length >= JS_LENGTH + length) {
      this.#used.add(id);
      this.#run(module, path, id, entry.toString('utf8', JS_LENGTH, JS_LENGTH + length), entry.subarray(JS_LENGTH + length));
      return;
    }
    const js = this.#capture(path, compile);
    // Code that imports dynamically stays with tsx: a script compiled here has no import() of its own.
    if (js !== undefined && !DYNAMIC_IMPORT.test(js)) this.#fresh.set(id, withLength(js));
  }

  /** Runs tsx's handler for `path`, noting the code it hands Node's compile for that very file. */
  #capture(path: string, load: () => unknown): string | undefined {
    const prototype = this.#Module.prototype;
    const original = prototype._compile;
    let js: string | undefined;
    prototype._compile = function (content, filename, format) {
      if (filename === path && format !== 'module') js = content;
      return original.call(this, content, filename, format);
    };
    try {
      load();
      return js;
    } finally {
      prototype._compile = original;
    }
  }

  /** Runs kept code in the module Node made, as Node runs a CommonJS module: require, exports, module, __filename, __dirname. */
  #run(module: LoadedModule, path: string, id: string, js: string, cachedData: Buffer): void {
    const Module = this.#Module;
    const script = new vm.Script(Module.wrap(js), {
      filename: path,
      cachedData: cachedData.length > 0 ? cachedData : undefined,
      importModuleDynamically,
    } as vm.ScriptOptions);
    this.#ran.set(path, js);
    const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    run.call(module.exports, module.exports, requireFor(Module, module), module, path, dirname(path));
    // Kept once the module's top has run: V8's cached code then holds the functions that top called (tsx's helpers,
    // the class's own setup), which it would otherwise compile again in every run (some 0.1 ms a revision).
    if (cachedData.length === 0 || script.cachedDataRejected) {
      this.#fresh.set(id, Buffer.concat([withLength(js), script.createCachedData()]));
    }
  }

  /** The source line of line `line`, column `column` of a file run from kept code, by tsx's inline source map. */
  sourceLine(path: string, line: number, column: number): number | undefined {
    const js = this.#ran.get(path);
    const map = js && INLINE_MAP.exec(js);
    if (!map) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(map[1], 'base64').toString('utf8'));
      // The wrapper Module.wrap() puts before the code shifts the first line's columns.
      const shift = line === 1 ? this.#Module.wrap('\0').indexOf('\0') : 0;
      const entry = new SourceMap(payload).findEntry(line - 1, Math.max(0, column - 1 - shift)) as { originalLine?: number };
      return entry.originalLine === undefined ? undefined : entry.originalLine + 1;
    } catch {
      return undefined;
    }
  }

  #key(path: string, source: string, sealed = false): Buffer {
    // The salt (tsx's version, the tsconfig chain's text) hashed once a process, each file's key from a copy of it.
    this.#salted ??= createHash('sha1').update(compilerSalt(this.tsconfig)).update('\0');
    // A sealed entry is never read as a plain one, nor the other way round.
    return this.#salted
      .copy()
      .update(sealed ? 'sealed\0' : '')
      .update(path)
      .update('\0')
      .update(source)
      .digest();
  }

  #cache(): CacheFile {
    this.#known ??= openCache(this.#path as string);
    return this.#known;
  }

  #save(): void {
    const forgotten = [...this.#forget].some((key) => this.#cache().read(Buffer.from(key, 'latin1')) !== undefined);
    if (this.#fresh.size === 0 && !forgotten) {
      this.#known?.close();
      return;
    }
    const known = this.#cache();
    const keep = known.size() > LARGEST_CACHE ? (key: string) => this.#used.has(key) : () => true;
    const merged = known.entries((key) => keep(key) && !this.#forget.has(key));
    known.close();
    for (const [key, entry] of this.#fresh) {
      const seal = this.#seals.get(key);
      merged.set(key, seal ? sealed(entry, seal) : entry);
    }
    writeCache(this.#path as string, merged);
  }
}

/** The key a file's entry is sealed with: its path and text hashed apart from the entry's own key. */
function sealKey(path: string, source: string): Buffer {
  return createHash('sha256').update('migrate-ui sealed entry\0').update(path).update('\0').update(source).digest();
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

function sealed(entry: Buffer, key: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const text = Buffer.concat([cipher.update(entry), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), text]);
}

/** The entry a sealed one holds; undefined where it does not open with `key` (damaged, or another text's). */
function unsealed(stored: Buffer, key: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(0, IV_BYTES));
    decipher.setAuthTag(stored.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(stored.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

function withLength(js: string): Buffer {
  const text = Buffer.from(js, 'utf8');
  const head = Buffer.alloc(JS_LENGTH);
  head.writeUInt32LE(text.length, 0);
  return Buffer.concat([head, text]);
}

/**
 * What tsx compiles a file with: its version and the tsconfig it reads (the one named, or the nearest from the
 * working folder), with the files that one extends by relative path.
 */
function compilerSalt(named: string | undefined): string {
  const parts = [tsxVersion()];
  let file = named ? resolve(named) : nearest(process.cwd(), 'tsconfig.json');
  for (let depth = 0; file && depth < 8; depth++) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      break;
    }
    parts.push(file, text);
    const base = /"extends"\s*:\s*"(\.{1,2}\/[^"]+)"/.exec(text)?.[1];
    file = base ? resolve(dirname(file), base.endsWith('.json') ? base : `${base}.json`) : undefined;
  }
  return parts.join('\0');
}

function tsxVersion(): string {
  try {
    let dir = dirname(requireHere.resolve('tsx/cjs/api'));
    for (let i = 0; i < 5; i++, dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === 'tsx') return `tsx ${version}`;
    }
  } catch {
    // No tsx found this way: keyed without its version.
  }
  return 'tsx';
}

function nearest(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, name);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

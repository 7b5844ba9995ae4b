import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientSettings, ListingSettings } from '../core/light-reader.js';
import type { Project } from '../core/project.js';
import { cacheFolder } from './compile-cache.js';

// The config cache (issues 18, 20): `status` answered without loading the config, tsx or MikroORM, from what the last
// full load resolved, for as long as nothing that load read has changed. See README, "Caches kept between runs".

const FORMAT = 1;
const UNUSED_MS = 7 * 24 * 3600 * 1000;
const NODE_MODULES = `${sep}node_modules${sep}`;
/** Variables that decide how the config is found and loaded before its own code runs: always part of the key. */
const LOADER_VARIABLES = [
  'DATABASE_URL',
  'MIKRO_ORM_CLI_CONFIG',
  'MIKRO_ORM_CLI_USE_TS_NODE',
  'MIKRO_ORM_CLI_ALWAYS_ALLOW_TS',
  'MIKRO_ORM_CLI_TS_CONFIG_PATH',
  'MIKRO_ORM_CONTEXT_NAME',
  'MIKRO_ORM_ENV',
  'TSX_TSCONFIG_PATH',
  'NODE_OPTIONS',
];
/** What a config's code can depend on that no file or variable records: such a config is never cached. */
const UNTRACKED_INPUT =
  /\b(Date|Math\.random|performance|fetch|child_process|execSync|spawnSync|readFile|readdir|fs\/promises|hostname|userInfo|networkInterfaces|process\.argv|crypto|randomUUID|Intl)\b/;

/**
 * A path as the load saw it: `-` absent, `e` present, `D` a folder, `d` a folder that was listed (its names' SHA-256),
 * `f` a file (size, mtime and the SHA-256 of its text).
 */
type FileState = [path: string, kind: '-' | 'e' | 'D' | 'd' | 'f', size: number, mtimeMs: number, sha256: string];

interface Entry {
  format: number;
  node: string;
  files: FileState[];
  /** Each variable the load read, as it was before: SHA-256 of salt, name and value, or null where it was not set. */
  salt: string;
  variables: Array<[name: string, hash: string | null]>;
  settings: ListingSettings;
  client: Omit<ClientSettings, 'password'>;
  /** Where the password comes from: the URL given (`--db`, DATABASE_URL), or a variable (itself, or a URL in it). */
  password?: { from: 'url' } | { from: 'variable' | 'variable-url'; name: string };
}

function nodeMajor(): string {
  return process.versions.node.split('.')[0];
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

function variableHash(salt: string, name: string, value: string | undefined): string | null {
  return value === undefined ? null : sha256(`${salt}\0${name}\0${value}`);
}

/** The cache file of one (cwd, config, database URL); undefined where the user has no cache folder of their own. */
function entryPath(cwd: string, configPath: string, dbUrl: string | undefined): string | undefined {
  const folder = cacheFolder();
  return folder && join(folder, `config-${sha256(`${resolve(cwd)}\0${resolve(configPath)}\0${dbUrl ?? ''}`).slice(0, 32)}.json`);
}

function stateOf(path: string, listed: boolean): FileState {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return listed ? [path, 'd', 0, 0, namesHash(path)] : [path, 'D', 0, 0, ''];
    return [path, 'f', stat.size, stat.mtimeMs, sha256(readFileSync(path))];
  } catch {
    return [path, '-', 0, 0, ''];
  }
}

function namesHash(dir: string): string {
  return sha256(readdirSync(dir).sort().join('\0'));
}

function unchanged([path, kind, size, mtimeMs, hash]: FileState): boolean {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return kind === '-';
  }
  if (kind === 'e') return true;
  if (kind === 'D' || kind === 'd') return stat.isDirectory() && (kind === 'D' || namesHash(path) === hash);
  return kind === 'f' && stat.isFile() && stat.size === size && stat.mtimeMs === mtimeMs && sha256(readFileSync(path)) === hash;
}

/** The entry for this run if everything it was made from is as it was; undefined otherwise. */
export function validEntry(cwd: string, configPath: string, dbUrl: string | undefined, env: NodeJS.ProcessEnv): Entry | undefined {
  const path = entryPath(cwd, configPath, dbUrl);
  if (!path) return undefined;
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (entry?.format !== FORMAT || entry.node !== nodeMajor()) return undefined;
  for (const [name, hash] of entry.variables) if (variableHash(entry.salt, name, env[name]) !== hash) return undefined;
  return entry.files.every(unchanged) ? entry : undefined;
}

/** The password an entry says where to find (never kept in it). */
export function passwordOf(entry: Entry, dbUrl: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const source = entry.password;
  if (!source) return undefined;
  if (source.from === 'url') return urlPassword(dbUrl);
  return source.from === 'variable' ? env[source.name] : urlPassword(env[source.name]);
}

function urlPassword(url: string | undefined): string | undefined {
  try {
    const password = url ? new URL(url).password : '';
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Watches one load of the config: the variables it reads (through a Proxy over process.env), the files it requires
 * (require's cache before and after) and the files it reads or looks for through `fs`. `envBefore` is the
 * environment as the process started (before the CLI itself set anything).
 */
export class ConfigLoadRecorder {
  readonly #read = new Set<string>(LOADER_VARIABLES);
  readonly #files = new Set<string>();
  /** The folders the load listed (the others it only looked for). */
  readonly #listed = new Set<string>();
  #untracked = false;
  #configPath: string;

  constructor(
    private readonly cwd: string,
    configPath: string,
    private readonly dbUrl: string | undefined,
    private readonly envBefore: NodeJS.ProcessEnv,
  ) {
    this.#configPath = resolve(configPath);
  }

  /** Runs `load` (the config's loading) while watching what it reads. */
  async during<T>(load: () => Promise<T>): Promise<T> {
    const requireHere = createRequire(import.meta.url);
    const before = new Set(Object.keys(requireHere.cache));
    const realEnv = process.env;
    const read = this.#read;
    const mark = <T>(key: string | symbol, result: T): T => {
      if (typeof key === 'string') read.add(key);
      return result;
    };
    process.env = new Proxy(realEnv, {
      get: (target, key) => mark(key, Reflect.get(target, key)),
      has: (target, key) => mark(key, Reflect.has(target, key)),
      getOwnPropertyDescriptor: (target, key) => mark(key, Reflect.getOwnPropertyDescriptor(target, key)),
      set: (target, key, value) => mark(key, Reflect.set(target, key, value)),
      deleteProperty: (target, key) => mark(key, Reflect.deleteProperty(target, key)),
      ownKeys: (target) => {
        // Every variable at once: nothing to key on but the whole environment.
        this.#untracked = true;
        return Reflect.ownKeys(target);
      },
    });
    const restoreFs = this.#watchFs(requireHere('node:fs'));
    try {
      return await load();
    } finally {
      process.env = realEnv;
      restoreFs();
      for (const key of Object.keys(requireHere.cache)) if (!before.has(key)) this.#files.add(key);
    }
  }

  /** Records the paths the load asks `fs` about; an asynchronous read cannot be told apart from others, so it untracks the load. */
  #watchFs(fs: Record<string, unknown>): () => void {
    const originals = new Map<string, unknown>();
    const ignored = [join(tmpdir(), 'migrate-ui-'), join(tmpdir(), 'tsx-')];
    const record = (path: unknown, call?: string) => {
      const text = typeof path === 'string' ? path : path instanceof URL ? fileURLToPath(path) : Buffer.isBuffer(path) ? path.toString() : undefined;
      if (text === undefined) return;
      const full = resolve(this.cwd, text);
      if (full.includes(NODE_MODULES) || ignored.some((prefix) => full.startsWith(prefix))) return;
      this.#files.add(full);
      if (call === 'readdirSync') this.#listed.add(full);
    };
    for (const name of ['readFileSync', 'existsSync', 'statSync', 'lstatSync', 'readdirSync', 'accessSync', 'openSync', 'realpathSync']) {
      const original = fs[name] as (...args: unknown[]) => unknown;
      originals.set(name, original);
      fs[name] = Object.assign(function (this: unknown, path: unknown, ...rest: unknown[]) {
        record(path, name);
        return original.call(this, path, ...rest);
      }, original);
    }
    for (const name of ['readFile', 'stat', 'readdir', 'access', 'open']) {
      const original = fs[name] as (...args: unknown[]) => unknown;
      originals.set(name, original);
      fs[name] = Object.assign((...args: unknown[]) => {
        this.#untracked = true;
        return original(...args);
      }, original);
    }
    return () => {
      for (const [name, original] of originals) fs[name] = original;
    };
  }

  /** Writes the entry for what was loaded; writes nothing where the load read something untracked or the password cannot be traced. */
  async save(project: Project): Promise<void> {
    if (this.#untracked || !this.#files.has(this.#configPath)) return;
    const path = entryPath(this.cwd, this.#configPath, this.dbUrl);
    if (!path) return;
    const { listingOf } = await import('../core/listing-settings.js');
    const listing = listingOf(project);
    if (!listing) return;
    const projectFiles = [...this.#files].filter((file) => !file.includes(NODE_MODULES));
    for (const file of projectFiles) {
      if (/\.[cm]?[jt]sx?$/.test(file) && UNTRACKED_INPUT.test(readText(file))) return;
    }
    const { password, ...client } = listing.client;
    const salt = randomBytes(16).toString('hex');
    let source: Entry['password'];
    if (password !== undefined) {
      source = this.#passwordSource(password);
      if (!source) return;
    }
    const files = [...projectFiles, ...this.#installed(client.entry)];
    const entry: Entry = {
      format: FORMAT,
      node: nodeMajor(),
      // Which migrations folder MikroORM reads depends on which of its candidates exist, not on what they hold.
      files: [...[...new Set(files)].map((file) => stateOf(file, this.#listed.has(file))), ...project.config.migrationsDirs.map(existence)],
      salt,
      variables: [...this.#read].sort().map((name) => [name, variableHash(salt, name, this.envBefore[name])]),
      settings: listing.settings,
      client,
      ...(source ? { password: source } : {}),
    };
    // Belt and braces: an entry in which the password shows anywhere (an option of the client's that holds it) is not written.
    if (password !== undefined && JSON.stringify(entry).includes(password)) return;
    try {
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(entry), { mode: 0o600 });
      renameSync(temporary, path);
      forgetUnused(dirname(path));
    } catch {
      // A cache that cannot be written is no error: the next run loads the config again.
    }
  }

  #passwordSource(password: string): Entry['password'] {
    if (urlPassword(this.dbUrl) === password) return { from: 'url' };
    for (const name of [...this.#read].sort()) {
      const value = this.envBefore[name];
      if (value === password) return { from: 'variable', name };
      if (urlPassword(value) === password) return { from: 'variable-url', name };
    }
    return undefined;
  }

  /** What decides how the config loads and what MikroORM makes of it: its packages, tsx, ours, the client, package.json and .env. */
  #installed(clientEntry: string): string[] {
    const files: string[] = [];
    const requireHere = createRequire(import.meta.url);
    const packageOf = (entry: string) => {
      for (let dir = dirname(entry); dirname(dir) !== dir; dir = dirname(dir)) {
        const file = join(dir, 'package.json');
        if (statSafe(file)) return file;
      }
      return undefined;
    };
    try {
      const scope = dirname(dirname(packageOf(requireHere.resolve('@mikro-orm/core')) ?? ''));
      files.push(scope);
      this.#listed.add(scope);
      for (const name of readdirSync(scope)) files.push(join(scope, name, 'package.json'));
    } catch {
      // No MikroORM found this way: the config loaded it from elsewhere, its files recorded above.
    }
    for (const entry of [clientEntry, requireHere.resolve('tsx/cjs/api')]) {
      const file = packageOf(entry);
      if (file) files.push(file);
    }
    const ours = fileURLToPath(new URL('../../../package.json', import.meta.url));
    files.push(ours, fileURLToPath(new URL('../core/config.js', import.meta.url)), fileURLToPath(import.meta.url));
    for (let dir = resolve(this.cwd); ; dir = dirname(dir)) {
      files.push(join(dir, 'package.json'));
      if (statSafe(join(dir, 'package.json')) || dirname(dir) === dir) break;
    }
    files.push(join(this.cwd, '.env'), join(dirname(this.#configPath), '.env'), join(this.cwd, 'tsconfig.json'));
    if (this.envBefore.MIKRO_ORM_ENV) files.push(resolve(this.cwd, this.envBefore.MIKRO_ORM_ENV));
    return files;
  }
}

function existence(path: string): FileState {
  return [path, statSafe(path) ? 'e' : '-', 0, 0, ''];
}

/** Entries not written for a week go (a test's project, a removed checkout): one used since is written again when next needed. */
function forgetUnused(folder: string): void {
  const old = Date.now() - UNUSED_MS;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith('config-')) continue;
    const path = join(folder, name);
    try {
      if (statSync(path).mtimeMs < old) rmSync(path, { force: true });
    } catch {
      // Gone already.
    }
  }
}

function statSafe(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options } from '@mikro-orm/core';
import { ConfigError, importFailure, NoConfigError } from './errors.js';
import { maskPasswords, rememberSecret } from './secrets.js';
import { type DatabaseUrl, parseDatabaseUrl, type Dialect } from './url.js';
import { importForMikroOrm, importProjectFile, mikroOrm } from './modules.js';
import { messageLine, orm } from './orm/index.js';
import type { MikroConfiguration } from './orm/port.js';

/** Where to find the project and which database to use (from flags and environment). */
export interface ProjectOptions {
  cwd?: string;
  /** --config PATH */
  configPath?: string;
  /** --db URL (or DATABASE_URL) */
  dbUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** Only reads (status, check, dry runs): a SQLite file that does not exist is not created. */
  readOnly?: boolean;
  /** A fleet's schema target (PostgreSQL): the history lives there and the revisions run there. */
  schema?: string;
}

/** MikroORM options as the project's config gave them (connection replaced by --db where given). */
export type MikroOptions = Options & Record<string, unknown>;

/** A loaded MikroORM config, with the connection switched by --db where given. */
export interface ProjectConfig {
  configPath: string;
  projectDir: string;
  /** MikroORM options, ready for `new Configuration(options)`. */
  options: MikroOptions;
  dialect: Dialect;
  /** The database as shown to people: a file path, or the URL with its password masked. */
  displayUrl: string;
  migrationsDir: string;
  /** The folders MikroORM's Migrator would read, in its order: the first that exists is migrationsDir. */
  migrationsDirs: string[];
  /** MikroORM's migrations table, without its schema. */
  migrationsTable: string;
  /** The schema MikroORM keeps its migrations table in (PostgreSQL); our side tables live beside it. */
  schema?: string;
  /** A fleet's schema target: a run sets its own connection's search_path to it, and to nothing else. */
  searchPath?: string;
  /** True when --db / DATABASE_URL chose the driver (so migrate-ui may pick MariaDB's for a MariaDB server). */
  switchedByUrl: boolean;
  readOnly: boolean;
}

/** A config whose exported promise has not settled by then never will. */
const CONFIG_TIMEOUT_MS = 15_000;

/**
 * The MikroORM CLI's settings (ConfigurationLoader.getSettings): the "mikro-orm" key of the nearest package.json up
 * from `cwd`, the MIKRO_ORM_CLI_* variables over it. Read here, not by MikroORM, because they are needed before it
 * loads: the config's folder decides which copy of MikroORM that is.
 */
interface CliSettings {
  configPaths: string[];
  useTsNode?: boolean;
  alwaysAllowTs?: boolean;
  tsConfigPath?: string;
}

function cliSettings(cwd: string, env: NodeJS.ProcessEnv): CliSettings {
  const own = nearestPackageJson(cwd)?.['mikro-orm'];
  const settings: Record<string, unknown> = isObject(own) ? own : {};
  const flag = (name: string, fallback: unknown) => {
    const value = env[name];
    return value != null ? ['true', 't', '1'].includes(value.toLowerCase()) : typeof fallback === 'boolean' ? fallback : undefined;
  };
  const configPaths = Array.isArray(settings.configPaths) ? settings.configPaths.filter((p): p is string => typeof p === 'string') : [];
  const tsConfigPath = env.MIKRO_ORM_CLI_TS_CONFIG_PATH ?? (typeof settings.tsConfigPath === 'string' ? settings.tsConfigPath : undefined);
  return {
    configPaths,
    // A config named by MIKRO_ORM_CLI_CONFIG that is TypeScript turns TypeScript on.
    useTsNode: env.MIKRO_ORM_CLI_CONFIG?.endsWith('.ts') ? true : flag('MIKRO_ORM_CLI_USE_TS_NODE', settings.useTsNode),
    alwaysAllowTs: flag('MIKRO_ORM_CLI_ALWAYS_ALLOW_TS', settings.alwaysAllowTs),
    tsConfigPath,
  };
}

/** The nearest package.json from `dir` up, parsed; `{}` where it is not JSON, undefined where there is none. */
function nearestPackageJson(dir: string): Record<string, unknown> | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const file = join(current, 'package.json');
    if (existsSync(file)) {
      try {
        const parsed = JSON.parse(readFileSync(file, 'utf8'));
        return isObject(parsed) ? parsed : {};
      } catch {
        return {};
      }
    }
    if (dirname(current) === current) return undefined;
  }
}

/**
 * The environment as MikroORM's CLI has it once it read `.env` (ConfigurationLoader.registerDotenv): the MIKRO_ORM_*
 * lines of `cwd`/.env, or of the file MIKRO_ORM_ENV names, under the variables already set. Parsed by MikroORM's own
 * dotenv; `env` itself is left as it is.
 */
function withDotenv(cwd: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const path = env.MIKRO_ORM_ENV ?? join(cwd, '.env');
  if (!existsSync(path)) return env;
  const parsed: Record<string, string> = {};
  mikroOrmDotenv(cwd)?.config({ path, processEnv: parsed, quiet: true });
  const merged = { ...env };
  for (const [key, value] of Object.entries(parsed)) if (key.startsWith('MIKRO_ORM_')) merged[key] ??= value;
  return merged;
}

type Dotenv = { config(options: { path: string; processEnv: Record<string, string>; quiet: boolean }): unknown };

/** The dotenv of the @mikro-orm/core the project uses (its own, else ours), found without loading MikroORM. */
function mikroOrmDotenv(cwd: string): Dotenv | undefined {
  for (const from of [join(cwd, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      const core = createRequire(from).resolve('@mikro-orm/core');
      return createRequire(core)('dotenv') as Dotenv;
    } catch {
      // Not there: the next place, then none.
    }
  }
  return undefined;
}

/**
 * What MikroORM's CLI (where TypeScript support is installed) does with TypeScript: `loads` — it starts ts-node, unless
 * useTsNode is false as it starts (exported variables and package.json: `.env` is read later); `prefers` — it sets
 * preferTs, unless useTsNode is false once `.env` is read.
 */
function typeScriptUse(cwd: string, env: NodeJS.ProcessEnv = process.env): { loads: boolean; prefers: boolean } {
  return { loads: cliSettings(cwd, env).useTsNode !== false, prefers: cliSettings(cwd, withDotenv(cwd, env)).useTsNode !== false };
}

/**
 * The config files MikroORM's CLI tries, in order (ConfigurationLoader.getConfigPaths): MIKRO_ORM_CLI_CONFIG,
 * package.json's configPaths, the TypeScript defaults unless useTsNode is false, then the compiled ones.
 */
function configCandidates(cwd: string, exported: NodeJS.ProcessEnv, env: NodeJS.ProcessEnv): string[] {
  const settings = cliSettings(cwd, env);
  const paths = [...(env.MIKRO_ORM_CLI_CONFIG ? [env.MIKRO_ORM_CLI_CONFIG] : []), ...settings.configPaths];
  if (settings.useTsNode !== false || settings.alwaysAllowTs) paths.push('./src/mikro-orm.config.ts', './mikro-orm.config.ts');
  const built = existsSync(join(cwd, 'dist')) ? 'dist' : existsSync(join(cwd, 'build')) ? 'build' : 'src';
  paths.push(`./${built}/mikro-orm.config.js`, './mikro-orm.config.js');
  // Without ts-node, only `.js` configs load.
  const loadsTs = cliSettings(cwd, exported).useTsNode !== false || settings.alwaysAllowTs;
  return [...new Set(paths)].filter((p) => p.endsWith('.js') || loadsTs);
}

/** Finds the config file the way the MikroORM CLI does: --config, MIKRO_ORM_CLI_CONFIG (`.env` included), package.json, defaults. */
export function findConfigFile(cwd: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new ConfigError(`config file not found: ${explicit}`, 'Check the config path.');
    return path;
  }
  const withFile = withDotenv(cwd, env);
  const named = withFile.MIKRO_ORM_CLI_CONFIG;
  // MikroORM's CLI would go on to the next candidate; a config named but missing is more likely a mistake.
  if (named && !existsSync(resolve(cwd, named))) {
    const from = env.MIKRO_ORM_CLI_CONFIG ? 'MIKRO_ORM_CLI_CONFIG' : `MIKRO_ORM_CLI_CONFIG in ${withFile.MIKRO_ORM_ENV ?? '.env'}`;
    throw new ConfigError(`config file not found: ${named} (from ${from})`);
  }
  for (const candidate of configCandidates(cwd, env, withFile)) {
    const path = resolve(cwd, candidate);
    if (existsSync(path)) return path;
  }
  throw new NoConfigError(`no MikroORM config found in ${cwd}`, 'Run it from a project with mikro-orm.config.ts, or name the config file.');
}

/** The tsconfig MikroORM's CLI gives ts-node: MIKRO_ORM_CLI_TS_CONFIG_PATH (exported, not from `.env`: read before it), else package.json's. */
export function cliTsConfigPath(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = cliSettings(cwd, env).tsConfigPath;
  return path ? resolve(cwd, path) : undefined;
}

/**
 * Loads the project's MikroORM config through MikroORM's own loader (`.env`, the `MIKRO_ORM_*` variables, its CLI's
 * choice of `entitiesTs`), applies --db, and lets MikroORM's own Configuration fill in every default.
 */
export async function loadProjectConfig(opts: ProjectOptions = {}): Promise<ProjectConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const configPath = findConfigFile(cwd, opts.configPath, env);
  // MikroORM's CLI takes the context (its --context default) from the environment before it reads `.env`.
  const context = env.MIKRO_ORM_CONTEXT_NAME ?? 'default';
  // As MikroORM's CLI does, before the config loads: its file may read these variables itself.
  orm.registerDotenv(cwd);
  let options = withEnvironment(await unwrapConfig(await importConfig(configPath), configPath, context), configPath);
  options.baseDir = options.baseDir ? resolve(cwd, options.baseDir) : cwd;
  if (options.baseDir !== resolve(cwd)) {
    // As MikroORM.init then does: the `.env` of the config's baseDir too, its variables merged over the config again.
    orm.registerDotenv(options.baseDir);
    options = withEnvironment(options, configPath);
  }
  // MikroORM's CLI prefers entitiesTs (and migrations.pathTs) unless useTsNode is false; where it is, what the config
  // says, else whether ts-node runs (MikroORM's Utils.detectTsNode).
  const typeScript = typeScriptUse(cwd, env);
  if (typeScript.prefers) options.preferTs = true;
  else options.preferTs ??= (options.tsNode as boolean | undefined) ?? typeScript.loads;
  // The entity files MikroORM's discovery finds by glob load as our other files do; the config's own import() knows no `.ts`.
  options.dynamicImportProvider = importForMikroOrm;
  rememberSecret(options.password);
  const dbUrl = opts.dbUrl ?? env.DATABASE_URL;
  // A config that reads DATABASE_URL itself already connects there: nothing to switch.
  const switchedByUrl = Boolean(dbUrl) && !(opts.dbUrl === undefined && options.clientUrl === dbUrl);
  if (switchedByUrl) applyDatabaseUrl(options, dbUrl!, cwd);
  if (opts.schema) options.schema = opts.schema;
  const mikro = mikroConfiguration(options, configPath);
  const dialect = dialectOfDriver(options.driver, configPath);
  const migrations = mikro.get('migrations');
  const baseDir = mikro.get('baseDir');
  // MikroORM's Migrator reads pathTs where it prefers TypeScript; a folder that is not there falls back to the other.
  const dirs = (options.preferTs ? [migrations.pathTs, migrations.path] : [migrations.path, migrations.pathTs])
    .filter((p): p is string => typeof p === 'string')
    .map((p) => (isAbsolute(p) ? p : resolve(baseDir, p)));
  const [first, second] = String(migrations.tableName ?? 'mikro_orm_migrations').split('.');
  const schema = opts.schema ?? (second ? first : undefined) ?? (dialect === 'postgresql' ? (mikro.get('schema') as string | undefined) : undefined);
  return {
    configPath,
    projectDir: dirname(configPath),
    options,
    dialect,
    displayUrl: describeConnection(options, dialect),
    migrationsDir: dirs.find((d) => existsSync(d)) ?? dirs[0],
    migrationsDirs: dirs,
    migrationsTable: second ?? first,
    schema: schema && schema !== 'public' ? schema : undefined,
    searchPath: opts.schema,
    switchedByUrl,
    readOnly: Boolean(opts.readOnly),
  };
}

/** The config merged with the `MIKRO_ORM_*` variables, which win, as MikroORM's ConfigurationLoader merges them. */
function withEnvironment(fromFile: MikroOptions, configPath: string): MikroOptions {
  const { Utils } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  let variables: Partial<Options>;
  try {
    variables = orm.environmentOptions() as Partial<Options>;
  } catch (error) {
    // MIKRO_ORM_TYPE naming an unknown or absent driver fails inside MikroORM's loader.
    throw new ConfigError(`cannot use the MIKRO_ORM_* variables for ${configPath}: ${messageLine(error)}`, undefined, {
      cause: error,
    });
  }
  return Utils.mergeConfig({}, fromFile, variables) as MikroOptions;
}

/** MikroORM's own Configuration for the options: its defaults, its validation, its folder detection. */
export function mikroConfiguration(options: MikroOptions, configPath: string): MikroConfiguration {
  const { Configuration } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  try {
    // Entities are MikroORM's business at discovery; migrate-ui connects without them.
    return new Configuration({ ...options, discovery: { ...options.discovery, warnWhenNoEntities: false } }, true);
  } catch (error) {
    // MikroORM's message, without its long example (`type` was replaced by `driver` in v6, no driver, no database).
    const message = maskPasswords(messageLine(error).replace(/ \((to define|e\.g\.) .*$/, ''));
    const urlWouldHelp = !options.dbName && !options.clientUrl;
    throw new ConfigError(`config ${configPath} is not usable: ${message}`, urlWouldHelp ? 'Fix the config, or give a database URL.' : undefined, {
      cause: error,
    });
  }
}

async function importConfig(path: string): Promise<unknown> {
  try {
    return await importProjectFile(path);
  } catch (error) {
    throw new ConfigError(`cannot load config ${path}: ${importFailure(error)}`, 'Fix the config file and run again.', { cause: error });
  }
}

function withTimeout<T>(value: Promise<T> | T, path: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ConfigError(
            `config ${path} did not finish loading within ${CONFIG_TIMEOUT_MS / 1000} s`,
            'Its exported promise or function never settles; check what it waits for.',
          ),
        ),
      CONFIG_TIMEOUT_MS,
    );
  });
  return Promise.race([Promise.resolve(value), late]).finally(() => clearTimeout(timer));
}

/**
 * The config a file exports for `context`, by MikroORM's rules (ConfigurationLoader.getConfiguration): an object
 * whose contextName is the context (none for `default`), from an array the one so named or what its functions
 * give for the context, or what an exported function gives for it.
 */
async function unwrapConfig(exported: unknown, path: string, context: string): Promise<MikroOptions> {
  let value: unknown = exported;
  // ESM namespace → default export; a CommonJS module seen from ESM comes wrapped twice.
  for (let i = 0; i < 2 && isObject(value) && 'default' in value; i++) value = value.default;
  value = await withTimeout(value, path);
  const named = (c: unknown) => isObject(c) && ('contextName' in c ? c.contextName === context : context === 'default');
  const fits = (c: unknown) => isObject(c) && (!('contextName' in c) || c.contextName === context);
  const none = () =>
    new ConfigError(`config ${path} exports no config for the context '${context}'`, 'Set MIKRO_ORM_CONTEXT_NAME to the contextName to use.');
  if (Array.isArray(value)) {
    const matches = value.filter(named);
    if (matches.length > 1) throw new ConfigError(`config ${path} exports ${matches.length} configs for the context '${context}'`);
    let found = matches[0];
    for (const factory of value) {
      if (found) break;
      if (typeof factory !== 'function') continue;
      const made = await withTimeout((factory as (name: string) => unknown)(context), path);
      if (fits(made)) found = made;
    }
    if (!found) throw none();
    value = found;
  } else if (typeof value === 'function') {
    value = await withTimeout((value as (name: string) => unknown)(context), path);
    if (isObject(value) && !fits(value)) throw none();
  } else if (isObject(value) && !isModuleNamespace(value) && !named(value)) {
    throw none();
  }
  if (!isObject(value) || Object.keys(value).length === 0 || isModuleNamespace(value)) {
    throw new ConfigError(`config ${path} exports no MikroORM config`, 'Export it as default: export default defineConfig({ … }).');
  }
  return value as MikroOptions;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** An ES module's namespace with no default export: `export {}` or only named helpers. */
function isModuleNamespace(value: Record<string, unknown>): boolean {
  return Object.prototype.toString.call(value) === '[object Module]' || (value.__esModule === true && !('driver' in value));
}

const DRIVER_DIALECTS: Record<string, Dialect> = {
  SqliteDriver: 'sqlite',
  BetterSqliteDriver: 'sqlite',
  LibSqlDriver: 'sqlite',
  PostgreSqlDriver: 'postgresql',
  MySqlDriver: 'mysql',
  MariaDbDriver: 'mariadb',
};

function dialectOfDriver(driver: unknown, path: string): Dialect {
  const name = typeof driver === 'function' ? driver.name : undefined;
  const dialect = name ? DRIVER_DIALECTS[name] : undefined;
  if (!dialect) {
    throw new ConfigError(
      `config ${path} names no SQL driver migrate-ui supports${name ? ` (${name})` : ''}`,
      'Use defineConfig from @mikro-orm/sqlite, @mikro-orm/postgresql or @mikro-orm/mysql, or give a database URL.',
    );
  }
  return dialect;
}

export const DRIVER_MODULES: Record<Dialect, { module: `@mikro-orm/${string}`; driver: string }> = {
  sqlite: { module: '@mikro-orm/sqlite', driver: 'SqliteDriver' },
  postgresql: { module: '@mikro-orm/postgresql', driver: 'PostgreSqlDriver' },
  mysql: { module: '@mikro-orm/mysql', driver: 'MySqlDriver' },
  mariadb: { module: '@mikro-orm/mariadb', driver: 'MariaDbDriver' },
};

/** The driver class of a dialect from the project's MikroORM packages; undefined where that package is not installed. */
export function driverClass(dialect: Dialect): MikroOptions['driver'] | undefined {
  const { module, driver } = DRIVER_MODULES[dialect];
  try {
    const loaded = mikroOrm<Record<string, unknown> & { default?: Record<string, unknown> }>(module);
    return (loaded[driver] ?? loaded.default?.[driver]) as MikroOptions['driver'];
  } catch {
    return undefined;
  }
}

/** Switches a mysql:// connection that turned out to reach MariaDB to MikroORM's MariaDB driver, where that package is installed. */
export function switchToMariaDbDriver(config: ProjectConfig): ProjectConfig | undefined {
  const driver = usableMariaDbDriver();
  return driver ? { ...config, dialect: 'mariadb', options: { ...config.options, driver } } : undefined;
}

/** MikroORM's MariaDB driver where it can work (MikroORM 6's needs the `mariadb` client package beside it). */
function usableMariaDbDriver(): MikroOptions['driver'] | undefined {
  return orm.mariaDbDriverUsable() ? driverClass('mariadb') : undefined;
}

const CONNECTION_KEYS = ['host', 'port', 'user', 'password', 'dbName', 'clientUrl'] as const;
const FAMILY: Record<Dialect, string> = { sqlite: 'sqlite', postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mysql' };

/**
 * Points `options` at the database `url` names. A URL replaces the connection, nothing else: schema, pool
 * and driver options stay. Only a URL of another kind of database swaps the driver (and drops what belonged to the old one).
 */
function applyDatabaseUrl(options: MikroOptions, url: string, cwd: string): void {
  const parsed = parseDatabaseUrl(url);
  const current = typeof options.driver === 'function' ? DRIVER_DIALECTS[options.driver.name] : undefined;
  for (const key of CONNECTION_KEYS) delete options[key];
  if (!current || FAMILY[current] !== FAMILY[parsed.dialect]) {
    const driver = parsed.dialect === 'mariadb' ? (usableMariaDbDriver() ?? driverClass('mysql')) : driverClass(parsed.dialect);
    if (!driver)
      throw new ConfigError(
        `cannot use ${DRIVER_MODULES[parsed.dialect].module}: it is not installed in this project`,
        `Install it: npm install ${DRIVER_MODULES[parsed.dialect].module}`,
      );
    options.driver = driver;
    delete options.driverOptions;
    if (parsed.dialect !== 'postgresql') delete options.schema;
  } else if (parsed.dialect === 'mariadb' && current === 'mysql') {
    options.driver = usableMariaDbDriver() ?? options.driver;
  }
  Object.assign(options, urlConnection(parsed, cwd));
}

/** Where a URL points: SQLite's file (relative to `base`), else the server's URL and the database named in its path. */
export function urlConnection(parsed: DatabaseUrl, base: string): Pick<MikroOptions, 'dbName' | 'clientUrl'> {
  if (parsed.dialect === 'sqlite') return { dbName: parsed.target === ':memory:' ? ':memory:' : resolve(base, parsed.target) };
  return { clientUrl: parsed.target, dbName: decodeURIComponent(new URL(parsed.target).pathname.replace(/^\//, '')) || undefined };
}

/** How a connection is shown: SQLite's file, else a URL with its password masked. */
export function describeConnection(options: MikroOptions, dialect: Dialect): string {
  if (dialect === 'sqlite') return String(options.dbName ?? ':memory:');
  if (options.clientUrl) return maskPasswords(String(options.clientUrl));
  const scheme = dialect === 'postgresql' ? 'postgres' : dialect;
  const user = options.user ? `${options.user}${options.password ? ':***' : ''}@` : '';
  const port = options.port ? `:${options.port}` : '';
  return `${scheme}://${user}${options.host ?? '127.0.0.1'}${port}/${options.dbName ?? ''}`;
}

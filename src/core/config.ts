import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Options } from '@mikro-orm/core';
import { ConfigError, importFailure, NoConfigError } from './errors.js';
import { maskPasswords, rememberSecret } from './secrets.js';
import { parseDatabaseUrl, type Dialect } from './url.js';
import { importForMikroOrm, importProjectFile, mikroOrm, resolvableBeside } from './modules.js';
import type { MikroConfiguration } from './mikro-types.js';

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
  /** MikroORM's migrations table, without its schema. */
  migrationsTable: string;
  /** The schema MikroORM keeps its migrations table in (PostgreSQL); our side tables live beside it. */
  schema?: string;
  /** True when --db / DATABASE_URL chose the driver (so migrate-ui may pick MariaDB's for a MariaDB server). */
  switchedByUrl: boolean;
  readOnly: boolean;
}

const DEFAULT_CONFIG_PATHS = ['./src/mikro-orm.config.ts', './mikro-orm.config.ts', './src/mikro-orm.config.js', './mikro-orm.config.js'];
/** A config whose exported promise has not settled by then never will. */
const CONFIG_TIMEOUT_MS = 15_000;

/** Finds the config file the way the MikroORM CLI does: --config, MIKRO_ORM_CLI_CONFIG, package.json, defaults. */
export function findConfigFile(cwd: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new ConfigError(`config file not found: ${explicit}`, 'Check the config path.');
    return path;
  }
  if (env.MIKRO_ORM_CLI_CONFIG) {
    const path = resolve(cwd, env.MIKRO_ORM_CLI_CONFIG);
    if (!existsSync(path)) throw new ConfigError(`config file not found: ${env.MIKRO_ORM_CLI_CONFIG} (from MIKRO_ORM_CLI_CONFIG)`);
    return path;
  }
  for (const candidate of [...packageJsonConfigPaths(cwd), ...DEFAULT_CONFIG_PATHS]) {
    const path = resolve(cwd, candidate);
    if (existsSync(path)) return path;
  }
  throw new NoConfigError(`no MikroORM config found in ${cwd}`, 'Run it from a project with mikro-orm.config.ts, or name the config file.');
}

function packageJsonConfigPaths(cwd: string): string[] {
  const file = resolve(cwd, 'package.json');
  if (!existsSync(file)) return [];
  try {
    const paths = JSON.parse(readFileSync(file, 'utf8'))?.['mikro-orm']?.configPaths;
    return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Loads the project's MikroORM config through MikroORM's own loader (`.env`, the `MIKRO_ORM_*` variables, its CLI's
 * choice of `entitiesTs`), applies --db, and lets MikroORM's own Configuration fill in every default.
 */
export async function loadProjectConfig(opts: ProjectOptions = {}): Promise<ProjectConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const configPath = findConfigFile(cwd, opts.configPath, env);
  const { ConfigurationLoader } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  // As MikroORM's CLI does, before the config loads: its file may read these variables itself.
  ConfigurationLoader.registerDotenv({ baseDir: cwd });
  const options = withEnvironment(await unwrapConfig(await importConfig(configPath), configPath), configPath);
  options.baseDir = options.baseDir ? resolve(cwd, options.baseDir) : cwd;
  // MikroORM's CLI prefers entitiesTs whenever it runs TypeScript (unless package.json says useTsNode: false); migrate-ui always does.
  if (ConfigurationLoader.getSettings().useTsNode !== false) options.preferTs = true;
  // The entity files MikroORM's discovery finds by glob load as our other files do; the config's own import() knows no `.ts`.
  options.dynamicImportProvider = importForMikroOrm;
  rememberSecret(options.password);
  const dbUrl = opts.dbUrl ?? env.DATABASE_URL;
  // A config that reads DATABASE_URL itself already connects there: nothing to switch.
  const switchedByUrl = Boolean(dbUrl) && !(opts.dbUrl === undefined && options.clientUrl === dbUrl);
  if (switchedByUrl) applyDatabaseUrl(options, dbUrl!, cwd);
  const mikro = mikroConfiguration(options, configPath);
  const dialect = dialectOfDriver(options.driver, configPath);
  const migrations = mikro.get('migrations');
  const baseDir = mikro.get('baseDir');
  const dirs = [migrations.pathTs, migrations.path]
    .filter((p): p is string => typeof p === 'string')
    .map((p) => (isAbsolute(p) ? p : resolve(baseDir, p)));
  const [first, second] = String(migrations.tableName ?? 'mikro_orm_migrations').split('.');
  const schema = second ? first : dialect === 'postgresql' ? (mikro.get('schema') as string | undefined) : undefined;
  return {
    configPath,
    projectDir: dirname(configPath),
    options,
    dialect,
    displayUrl: describeConnection(options, dialect),
    migrationsDir: dirs.find((d) => existsSync(d)) ?? dirs[0],
    migrationsTable: second ?? first,
    schema: schema && schema !== 'public' ? schema : undefined,
    switchedByUrl,
    readOnly: Boolean(opts.readOnly),
  };
}

/** The config merged with the `MIKRO_ORM_*` variables, which win, as MikroORM's ConfigurationLoader merges them. */
function withEnvironment(fromFile: MikroOptions, configPath: string): MikroOptions {
  const { ConfigurationLoader, Utils } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  let variables: Partial<Options>;
  try {
    variables = ConfigurationLoader.loadEnvironmentVars();
  } catch (error) {
    // MIKRO_ORM_TYPE naming an unknown or absent driver fails inside MikroORM's loader.
    throw new ConfigError(`cannot use the MIKRO_ORM_* variables for ${configPath}: ${(error as Error).message.split('\n')[0]}`, undefined, {
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
    const message = maskPasswords((error as Error).message.split('\n')[0].replace(/ \((to define|e\.g\.) .*$/, ''));
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

async function unwrapConfig(exported: unknown, path: string): Promise<MikroOptions> {
  let value: unknown = exported;
  // ESM namespace → default export; a CommonJS module seen from ESM comes wrapped twice.
  for (let i = 0; i < 2 && isObject(value) && 'default' in value; i++) value = value.default;
  // MikroORM's context: MIKRO_ORM_CONTEXT_NAME (from .env too), else `default`.
  const context = process.env.MIKRO_ORM_CONTEXT_NAME ?? 'default';
  if (typeof value === 'function') value = await withTimeout((value as (name: string) => unknown)(context), path);
  value = await withTimeout(value, path);
  if (Array.isArray(value)) value = value.find((c) => (c?.contextName ?? 'default') === context) ?? value[0];
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

/** MikroORM's MariaDB driver where it can work: its dialect (in @mikro-orm/knex) needs the `mariadb` client package beside it. */
function usableMariaDbDriver(): MikroOptions['driver'] | undefined {
  return resolvableBeside('@mikro-orm/knex', 'mariadb/callback') ? driverClass('mariadb') : undefined;
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
  if (parsed.dialect === 'sqlite') {
    options.dbName = parsed.target === ':memory:' ? ':memory:' : resolve(cwd, parsed.target);
  } else {
    options.clientUrl = parsed.target;
    options.dbName = decodeURIComponent(new URL(parsed.target).pathname.replace(/^\//, '')) || undefined;
  }
}

function describeConnection(options: MikroOptions, dialect: Dialect): string {
  if (dialect === 'sqlite') return String(options.dbName ?? ':memory:');
  if (options.clientUrl) return maskPasswords(String(options.clientUrl));
  const scheme = dialect === 'postgresql' ? 'postgres' : dialect;
  const user = options.user ? `${options.user}${options.password ? ':***' : ''}@` : '';
  const port = options.port ? `:${options.port}` : '';
  return `${scheme}://${user}${options.host ?? '127.0.0.1'}${port}/${options.dbName ?? ''}`;
}

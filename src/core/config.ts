import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, importFailure } from './errors.js';
import { maskPasswords, parseDatabaseUrl, type Dialect } from './url.js';
import { importProjectFile, mikroOrm } from './modules.js';

/** Where to find the project and which database to use (from flags and environment). */
export interface ProjectOptions {
  cwd?: string;
  /** --config PATH */
  configPath?: string;
  /** --db URL (or DATABASE_URL) */
  dbUrl?: string;
  env?: NodeJS.ProcessEnv;
}

/** A loaded MikroORM config, with the connection switched by --db where given. */
export interface ProjectConfig {
  configPath: string;
  projectDir: string;
  /** MikroORM options, ready for `new Configuration(options)`. */
  options: Record<string, any>;
  dialect: Dialect;
  /** The database as shown to people: a file path, or the URL with its password masked. */
  displayUrl: string;
  migrationsDir: string;
  migrationsTable: string;
  /** True when --db / DATABASE_URL chose the driver (so migrate-ui may pick MariaDB's for a MariaDB server). */
  switchedByUrl: boolean;
}

const DEFAULT_CONFIG_PATHS = [
  './src/mikro-orm.config.ts',
  './mikro-orm.config.ts',
  './src/mikro-orm.config.js',
  './mikro-orm.config.js',
];

/** Finds the config file the way the MikroORM CLI does: --config, MIKRO_ORM_CLI_CONFIG, package.json, defaults. */
export function findConfigFile(cwd: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new ConfigError(`config file not found: ${explicit}`, 'Check the --config path.');
    return path;
  }
  if (env.MIKRO_ORM_CLI_CONFIG) {
    const path = resolve(cwd, env.MIKRO_ORM_CLI_CONFIG);
    if (!existsSync(path)) {
      throw new ConfigError(`config file not found: ${env.MIKRO_ORM_CLI_CONFIG} (from MIKRO_ORM_CLI_CONFIG)`);
    }
    return path;
  }
  const candidates = [...packageJsonConfigPaths(cwd), ...DEFAULT_CONFIG_PATHS];
  for (const candidate of candidates) {
    const path = resolve(cwd, candidate);
    if (existsSync(path)) return path;
  }
  throw new ConfigError(
    `no MikroORM config found in ${cwd}`,
    'Pass --config PATH, or run from a project with mikro-orm.config.ts.',
  );
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

/** Loads the project's MikroORM config and applies --db. */
export async function loadProjectConfig(opts: ProjectOptions = {}): Promise<ProjectConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const configPath = findConfigFile(cwd, opts.configPath, env);
  const exported = await importConfig(configPath);
  const options: Record<string, any> = { ...(await unwrapConfig(exported, configPath)) };
  const projectDir = dirname(configPath);
  const dbUrl = opts.dbUrl ?? env.DATABASE_URL;
  let dialect: Dialect;
  if (dbUrl) {
    dialect = await switchDatabase(options, dbUrl, cwd);
  } else {
    dialect = dialectOfDriver(options.driver, configPath);
  }
  const switchedByUrl = Boolean(dbUrl);
  const baseDir = options.baseDir ? resolve(cwd, options.baseDir) : cwd;
  const migrations = options.migrations ?? {};
  const candidates = [migrations.pathTs, migrations.path].filter((p): p is string => typeof p === 'string');
  const dirs = candidates.map((p) => (isAbsolute(p) ? p : resolve(baseDir, p)));
  const migrationsDir = dirs.find((d) => existsSync(d)) ?? dirs[0] ?? resolve(baseDir, 'migrations');
  return {
    configPath,
    projectDir,
    options,
    dialect,
    displayUrl: describeConnection(options, dialect),
    migrationsDir,
    migrationsTable: migrations.tableName ?? 'mikro_orm_migrations',
    switchedByUrl,
  };
}

async function importConfig(path: string): Promise<unknown> {
  try {
    return await importProjectFile(path);
  } catch (error) {
    throw new ConfigError(`cannot load config ${path}: ${importFailure(error)}`, 'Fix the config file and run again.', { cause: error });
  }
}

async function unwrapConfig(exported: unknown, path: string): Promise<Record<string, unknown>> {
  let value: any = exported;
  // ESM namespace → default export; a CommonJS module seen from ESM comes wrapped twice.
  for (let i = 0; i < 2 && value && typeof value === 'object' && 'default' in value; i++) value = value.default;
  if (typeof value === 'function') value = await value();
  value = await value;
  if (Array.isArray(value)) value = value.find((c) => (c?.contextName ?? 'default') === 'default') ?? value[0];
  if (!value || typeof value !== 'object') {
    throw new ConfigError(`config ${path} does not export a MikroORM config`, 'Export it as default: export default defineConfig({ … }).');
  }
  return value as Record<string, unknown>;
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
      'Use defineConfig from @mikro-orm/sqlite, @mikro-orm/postgresql or @mikro-orm/mysql, or pass --db URL.',
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

/** Switches a mysql:// connection that turned out to reach MariaDB to MikroORM's MariaDB driver (JSON, defaults). */
export async function useMariaDbDriver(config: ProjectConfig): Promise<ProjectConfig> {
  const { module, driver } = DRIVER_MODULES.mariadb;
  const driverModule = mikroOrm(module);
  return { ...config, dialect: 'mariadb', options: { ...config.options, driver: driverModule[driver] ?? driverModule.default?.[driver] } };
}

/** Replaces driver and connection of `options` with the ones named by `url`; keeps entities and migrations. */
async function switchDatabase(options: Record<string, any>, url: string, cwd: string): Promise<Dialect> {
  const parsed = parseDatabaseUrl(url);
  const { module, driver } = DRIVER_MODULES[parsed.dialect];
  const driverModule = mikroOrm(module);
  for (const key of ['host', 'port', 'user', 'password', 'dbName', 'clientUrl', 'driverOptions', 'pool', 'schema']) {
    delete options[key];
  }
  options.driver = driverModule[driver] ?? driverModule.default?.[driver];
  if (parsed.dialect === 'sqlite') {
    options.dbName = resolve(cwd, parsed.target);
  } else {
    options.clientUrl = parsed.target;
    options.dbName = decodeURIComponent(new URL(parsed.target).pathname.replace(/^\//, '')) || undefined;
  }
  return parsed.dialect;
}

function describeConnection(options: Record<string, any>, dialect: Dialect): string {
  if (dialect === 'sqlite') return String(options.dbName ?? ':memory:');
  if (options.clientUrl) return maskPasswords(String(options.clientUrl));
  const scheme = dialect === 'postgresql' ? 'postgres' : dialect;
  const user = options.user ? `${options.user}${options.password ? ':***' : ''}@` : '';
  const port = options.port ? `:${options.port}` : '';
  return `${scheme}://${user}${options.host ?? '127.0.0.1'}${port}/${options.dbName ?? ''}`;
}

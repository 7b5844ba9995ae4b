import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeConnection, loadProjectConfig, type ProjectConfig, type ProjectOptions, urlConnection } from '../config.js';
import { Database } from '../database.js';
import { ConfigError } from '../errors.js';
import { parseDatabaseUrl } from '../url.js';
import { databaseOf, Project } from '../project.js';
import { ClaimBoard, type ClaimBoardOptions } from './claims.js';
import type { TargetOpener } from './rollout.js';
import { configFleet, configFleetEntries } from './config-fleet.js';
import { FLEET_FILE, type FleetTarget, findFleetFile, type NameLister, readFleetFile, resolveFleet } from './targets.js';

export interface FleetOptions extends ProjectOptions {
  /** --fleet FILE; default fleet.json beside the config. */
  fleetFile?: string;
}

/**
 * The fleet's targets, listed now: `--fleet FILE` where given, else the `fleet` the config file exports, else
 * fleet.json beside the config. Its patterns and functions run at every call. `base` is the configured database.
 */
export async function loadFleet(base: Project, options: FleetOptions): Promise<FleetTarget[]> {
  return (await readFleet(base, options)).targets;
}

/** loadFleet, and where the targets came from. */
export async function readFleet(base: Project, options: FleetOptions): Promise<LoadedFleet> {
  const serverUrl = options.dbUrl ?? options.env?.DATABASE_URL ?? base.config.options.clientUrl ?? serverUrlOf(base);
  const exported = options.fleetFile ? undefined : await configFleet(base.config.configPath);
  const file = exported === undefined ? findFleetFile(base.config.configPath, options.cwd ?? process.cwd(), options.fleetFile) : undefined;
  const source = file ?? `the fleet exported by ${base.config.configPath}`;
  // A databases pattern without a URL lists the configured server, and reaches each member through its URL.
  const entries = (file ? readFleetFile(file) : await configFleetEntries(exported, base, serverUrl)).map((e) =>
    'pattern' in e && e.over === 'databases' && !e.url ? { ...e, url: serverUrl ?? noServerUrl(e.pattern) } : e,
  );
  const targets = await resolveFleet(entries, lister(base, options));
  if (targets.length === 0)
    throw new ConfigError(file ? `the fleet in ${file} has no targets (its patterns matched nothing)` : `${source} has no targets`);
  for (const target of targets) if (target.schema) await schemaFits(base, target);
  const ignored = exported !== undefined && existsSync(join(dirname(base.config.configPath), FLEET_FILE)) ? FLEET_FILE : undefined;
  return { targets, source, ...(ignored ? { ignored: join(dirname(base.config.configPath), ignored) } : {}) };
}

/** A fleet as loaded: its targets, where they came from, and a fleet.json left unread because the config exports a fleet. */
export interface LoadedFleet {
  targets: FleetTarget[];
  source: string;
  ignored?: string;
}

/**
 * Opens each target as its own project: the config's entities and migrations, the target's database and schema.
 * The config is loaded once and each target's derived from it (a load costs tens of milliseconds of CPU, and a fleet
 * of hundreds on two cores felt it); a URL of another kind than the loaded one gets a load of its own, once.
 */
export function targetOpener(options: ProjectOptions): TargetOpener {
  const loads = new Map<string, Promise<ProjectConfig>>();
  const load = (dbUrl: string | undefined) => {
    const key = dbUrl ?? '';
    if (!loads.has(key)) loads.set(key, loadProjectConfig({ ...options, dbUrl, readOnly: options.readOnly }));
    return loads.get(key)!;
  };
  const baseUrl = options.dbUrl ?? options.env?.DATABASE_URL;
  // Configs to derive from: each one loaded, and each as a first connection left it (on a MariaDB server a mysql://
  // URL switches to MariaDB's driver: then once, not at every target).
  const templates: ProjectConfig[] = [];
  const configOf = async (url: string): Promise<ProjectConfig> => {
    for (const template of templates) {
      const derived = withUrl(template, url);
      if (derived) return derived;
    }
    const loaded = await load(url);
    if (!templates.includes(loaded)) templates.push(loaded);
    return loaded;
  };
  return async (target) => {
    const base = await load(baseUrl);
    if (!templates.includes(base)) templates.unshift(base);
    const config = target.url ? await configOf(target.url) : base;
    const project = await Project.connect(target.schema ? inSchema(config, target.schema) : config);
    const used = databaseOf(project).config;
    if (used.options.driver !== config.options.driver && !templates.includes(used)) templates.unshift({ ...used, searchPath: undefined });
    return project;
  };
}

/** A config for a schema target: MikroORM's table and ours in that schema, and the run's search_path set to it alone. */
function inSchema(config: ProjectConfig, schema: string): ProjectConfig {
  return { ...config, options: { ...config.options, schema }, schema: schema === 'public' ? undefined : schema, searchPath: schema };
}

/**
 * The config pointed at another database of the kind its own URL names (as loading it with that URL would make
 * it: only the URL and the database's name change), or undefined when the config was not given by URL or the kind
 * differs (then it is loaded for that URL).
 */
function withUrl(config: ProjectConfig, url: string): ProjectConfig | undefined {
  const own = config.switchedByUrl ? ownUrl(config) : undefined;
  const parsed = parseDatabaseUrl(url);
  if (!own || parseDatabaseUrl(own).dialect !== parsed.dialect) return undefined;
  const options = { ...config.options, ...urlConnection(parsed, config.projectDir) };
  return { ...config, options, displayUrl: describeConnection(options, parsed.dialect) };
}

/** The URL a config was loaded with, as its options hold it. */
function ownUrl(config: ProjectConfig): string | undefined {
  if (config.dialect === 'sqlite') return `sqlite:${String(config.options.dbName)}`;
  return typeof config.options.clientUrl === 'string' ? config.options.clientUrl : undefined;
}

/**
 * The board of a shared rollout, on its control database: `control` (a URL), else the configured database. Its own
 * single connection, apart from every target's.
 */
export async function openClaimBoard(base: Project, options: ProjectOptions, board: ClaimBoardOptions & { control?: string }): Promise<ClaimBoard> {
  const config = board.control ? await loadProjectConfig({ ...options, dbUrl: board.control }) : base.config;
  // Written to, whatever the command's project was opened for: a SQLite control file is made where missing.
  const db = await Database.connect({ ...config, readOnly: false }, { single: true });
  return ClaimBoard.open(db, board);
}

/** Lists schemas (PostgreSQL) or databases (MySQL/MariaDB) matching a LIKE pattern, on the configured database or `url`. */
function lister(base: Project, options: ProjectOptions): NameLister {
  return async (over, pattern, url) => {
    const project = url ? await Project.open({ ...options, dbUrl: url, readOnly: true }) : base;
    try {
      const db = databaseOf(project);
      const postgres = db.dialect === 'postgresql';
      if (over === 'schemas' && !postgres)
        throw new ConfigError(`the schemas pattern "${pattern}" needs PostgreSQL; ${project.config.displayUrl} is ${db.dialect}`);
      if (over === 'databases' && (postgres || db.dialect === 'sqlite'))
        throw new ConfigError(`the databases pattern "${pattern}" needs MySQL or MariaDB; ${project.config.displayUrl} is ${db.dialect}`);
      const sql = postgres
        ? 'select nspname as name from pg_namespace where nspname like ? order by nspname'
        : 'select schema_name as name from information_schema.schemata where schema_name like ? order by schema_name';
      return (await db.query<{ name: string }>(sql, [pattern])).map((r) => String(r.name));
    } finally {
      if (project !== base) await project.close().catch(() => undefined);
    }
  };
}

function noServerUrl(pattern: string): never {
  throw new ConfigError(`the databases pattern "${pattern}" needs the server's URL`, 'Give the entry a "url", or the config a clientUrl.');
}

/** A schema target needs PostgreSQL: the configured database or the target's URL must be one. */
async function schemaFits(base: Project, target: FleetTarget): Promise<void> {
  const dialect = target.url ? (await import('../url.js')).parseDatabaseUrl(target.url).dialect : base.dialect;
  if (dialect !== 'postgresql')
    throw new ConfigError(`fleet target "${target.name}" is a schema, which needs PostgreSQL; its database is ${dialect}`);
}

/** The configured server as a URL where the config gives host, user and password rather than a clientUrl. */
function serverUrlOf(base: Project): string | undefined {
  const { host, port, user, password, dbName } = base.config.options as Record<string, unknown>;
  if (base.dialect === 'sqlite' || (host === undefined && user === undefined)) return undefined;
  const url = new URL(`${base.dialect === 'postgresql' ? 'postgres' : base.dialect}://${String(host ?? '127.0.0.1')}`);
  if (port !== undefined) url.port = String(port);
  if (user !== undefined) url.username = String(user);
  if (password !== undefined) url.password = String(password);
  url.pathname = `/${String(dbName ?? '')}`;
  return url.toString();
}

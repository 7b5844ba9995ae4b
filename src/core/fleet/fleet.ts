import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProjectOptions } from '../config.js';
import { ConfigError } from '../errors.js';
import { databaseOf, Project } from '../project.js';
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

/** Opens each target as its own project: the config's entities and migrations, the target's database and schema. */
export function targetOpener(options: ProjectOptions): TargetOpener {
  return (target) => Project.open({ ...options, dbUrl: target.url ?? options.dbUrl, schema: target.schema, readOnly: options.readOnly });
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

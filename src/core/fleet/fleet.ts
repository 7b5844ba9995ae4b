import { loadProjectConfig, type ProjectOptions } from '../config.js';
import { Database } from '../database.js';
import { ConfigError } from '../errors.js';
import { databaseOf, Project } from '../project.js';
import { ClaimBoard, type ClaimBoardOptions } from './claims.js';
import type { TargetOpener } from './rollout.js';
import { type FleetTarget, findFleetFile, type NameLister, readFleetFile, resolveFleet } from './targets.js';

export interface FleetOptions extends ProjectOptions {
  /** --fleet FILE; default fleet.json beside the config. */
  fleetFile?: string;
}

/** The fleet's targets: its file read, its patterns listed on their servers now. `base` is the configured database. */
export async function loadFleet(base: Project, options: FleetOptions): Promise<FleetTarget[]> {
  const file = findFleetFile(base.config.configPath, options.cwd ?? process.cwd(), options.fleetFile);
  const serverUrl = options.dbUrl ?? options.env?.DATABASE_URL ?? base.config.options.clientUrl;
  // A databases pattern without a URL lists the configured server, and reaches each member through its URL.
  const entries = readFleetFile(file).map((e) =>
    'pattern' in e && e.over === 'databases' && !e.url ? { ...e, url: serverUrl ?? noServerUrl(e.pattern) } : e,
  );
  const targets = await resolveFleet(entries, lister(base, options));
  if (targets.length === 0) throw new ConfigError(`the fleet in ${file} has no targets (its patterns matched nothing)`);
  for (const target of targets) if (target.schema) await schemaFits(base, target);
  return targets;
}

/** Opens each target as its own project: the config's entities and migrations, the target's database and schema. */
export function targetOpener(options: ProjectOptions): TargetOpener {
  return (target) => Project.open({ ...options, dbUrl: target.url ?? options.dbUrl, schema: target.schema, readOnly: options.readOnly });
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

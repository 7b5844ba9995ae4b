import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { maskPasswords } from '../secrets.js';
import { parseDatabaseUrl } from '../url.js';

/** One member of a fleet: a database (by URL; none means the configured one) and, on PostgreSQL, a schema in it. */
export interface FleetTarget {
  /** How people see it: the schema, the database's name, or the file. */
  name: string;
  url?: string;
  schema?: string;
}

/** A fleet file's entry before its patterns are listed: a target, or a LIKE pattern over the server's schemas or databases. */
export type FleetEntry = { target: FleetTarget } | { pattern: string; over: 'schemas' | 'databases'; url?: string };

/** Lists the names of a server's schemas (PostgreSQL) or databases (MySQL/MariaDB) that match a LIKE pattern. */
export type NameLister = (over: 'schemas' | 'databases', pattern: string, url: string | undefined) => Promise<string[]>;

export const FLEET_FILE = 'fleet.json';

/** The fleet file to read: the one named, else `fleet.json` beside the config. */
export function findFleetFile(configPath: string, cwd: string, named?: string): string {
  const path = named ? resolve(cwd, named) : join(dirname(configPath), FLEET_FILE);
  if (!existsSync(path))
    throw new ConfigError(
      named ? `fleet file not found: ${named}` : `no ${FLEET_FILE} beside ${configPath}`,
      named ? 'Check the path.' : 'List the targets in fleet.json beside the config, or export a fleet from the config (see the README).',
    );
  return path;
}

/** Reads a fleet file: `{ "targets": [ … ] }` or the bare list. Each entry is checked now, with its position in the message. */
export function readFleetFile(path: string): FleetEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`fleet file ${path} is not JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  const list = Array.isArray(parsed) ? parsed : isObject(parsed) ? parsed.targets : undefined;
  if (!Array.isArray(list)) throw new ConfigError(`fleet file ${path} holds no list of targets`, 'Write { "targets": [ … ] }.');
  return list.map((raw, i) => fleetEntry(raw, `fleet file ${path}, target ${i + 1}`, dirname(path)));
}

/** One entry of a fleet file or of the config's fleet list, checked; relative SQLite paths are taken from `baseDir`. */
export function fleetEntry(raw: unknown, where: string, baseDir: string): FleetEntry {
  if (typeof raw === 'string') return { target: urlTarget(raw, where, baseDir) };
  if (!isObject(raw)) throw new ConfigError(`${where}: not a URL or an object`);
  const known = ['url', 'name', 'schema', 'schemas', 'databases'];
  const unknown = Object.keys(raw).find((k) => !known.includes(k));
  if (unknown) throw new ConfigError(`${where}: unknown field "${unknown}"`, `A target has ${known.join(', ')}.`);
  for (const key of known)
    if (raw[key] !== undefined && (typeof raw[key] !== 'string' || raw[key] === ''))
      throw new ConfigError(`${where}: "${key}" must be a non-empty string`);
  const shapes = ['schema', 'schemas', 'databases'].filter((k) => raw[k] !== undefined);
  if (shapes.length > 1) throw new ConfigError(`${where}: give one of schema, schemas and databases, not ${shapes.join(' and ')}`);
  const url = raw.url === undefined ? undefined : checkedUrl(String(raw.url), where, baseDir);
  if (raw.schemas !== undefined || raw.databases !== undefined) {
    if (raw.name !== undefined) throw new ConfigError(`${where}: a pattern has no name; each target is named by what it matches`);
    const over = raw.schemas !== undefined ? 'schemas' : 'databases';
    return { pattern: String(raw[over]), over, url };
  }
  if (raw.schema !== undefined) {
    const schema = String(raw.schema);
    if (schema.length > 63) throw new ConfigError(`${where}: schema "${schema}" is longer than PostgreSQL's 63 characters`);
    return { target: { name: String(raw.name ?? schema), schema, url } };
  }
  if (!url) throw new ConfigError(`${where}: give a url, a schema, or a pattern (schemas, databases)`);
  return { target: { ...urlTarget(url, where, baseDir), ...(raw.name ? { name: String(raw.name) } : {}) } };
}

/** The targets of a fleet, patterns listed now (so a tenant added since the last run is in this one), each target once. */
export async function resolveFleet(entries: FleetEntry[], list: NameLister): Promise<FleetTarget[]> {
  const targets: FleetTarget[] = [];
  const seen = new Map<string, string>();
  const add = (target: FleetTarget) => {
    const key = `${target.url ?? ''}#${target.schema ?? ''}`;
    if (seen.has(key)) return;
    const named = targets.find((t) => t.name === target.name);
    if (named) throw new ConfigError(`two fleet targets are named "${target.name}"`, 'Give one of them a "name" of its own.');
    seen.set(key, target.name);
    targets.push(target);
  };
  for (const entry of entries) {
    if ('target' in entry) {
      add(entry.target);
      continue;
    }
    for (const name of await list(entry.over, entry.pattern, entry.url)) {
      if (entry.over === 'schemas') add({ name, schema: name, url: entry.url });
      else add({ name, url: withDatabase(entry.url, name) });
    }
  }
  return targets;
}

/** A server URL with another database in its path (the databases pattern's members). */
export function withDatabase(url: string | undefined, database: string): string {
  if (!url) throw new ConfigError(`cannot reach database ${database}: the databases pattern needs the server's URL`, 'Give the entry a "url".');
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(database)}`;
  return next.toString();
}

function urlTarget(raw: string, where: string, baseDir: string): FleetTarget {
  const url = checkedUrl(raw, where, baseDir);
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect === 'sqlite') return { name: raw.replace(/^sqlite:(\/\/)?/i, ''), url };
  const database = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return { name: database || maskPasswords(url), url };
}

/** A URL that parses, with a relative SQLite path made absolute from the fleet file's folder. */
function checkedUrl(raw: string, where: string, baseDir: string): string {
  let parsed: ReturnType<typeof parseDatabaseUrl>;
  try {
    parsed = parseDatabaseUrl(raw);
  } catch (error) {
    throw new ConfigError(`${where}: ${(error as Error).message}`, (error as { hint?: string }).hint);
  }
  if (parsed.dialect !== 'sqlite' || parsed.target === ':memory:') return raw;
  return `sqlite:${isAbsolute(parsed.target) ? parsed.target : resolve(baseDir, parsed.target)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

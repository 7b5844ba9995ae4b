import { dirname } from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { openEntities, openWithoutEntities } from '../entities.js';
import { ConfigError, errorLine, importFailure, MigrateUiError, NoEntitiesError } from '../errors.js';
import { importProjectFile } from '../modules.js';
import { messageLine } from '../orm/index.js';
import { maskPasswords } from '../secrets.js';
import { databaseOf, type Project } from '../project.js';
import { type FleetEntry, fleetEntry, withDatabase } from './targets.js';

/** A list, or what a function of an EntityManager on the configured database gives (a tenants table read, say). */
export type FleetSource<T, EM> = readonly T[] | ((em: EM) => readonly T[] | Promise<readonly T[]>);

/**
 * The fleet a MikroORM config file exports beside its config (`export const fleet: Fleet = { … }`): a key of
 * MikroORM's own config would not type-check with MikroORM 7's defineConfig. Its lists are read in the order written.
 */
export interface Fleet<EM = EntityManager> {
  /** Entries as a fleet file has them: URLs, `{ url, name }`, `{ schema }`, `{ schemas }` and `{ databases }` patterns. */
  targets?: FleetSource<unknown, EM>;
  /** Names of PostgreSQL schemas in the configured database, one tenant each. */
  schemas?: FleetSource<string, EM>;
  /** Names of databases on the configured server (MySQL, MariaDB, PostgreSQL); on SQLite, files (relative to the config). */
  databases?: FleetSource<string, EM>;
}

const KEYS = ['targets', 'schemas', 'databases'] as const;

/** The `fleet` a config file exports, undefined where it exports none. */
export async function configFleet(configPath: string): Promise<unknown> {
  let module: unknown;
  try {
    module = await importProjectFile(configPath, { fresh: false });
  } catch (error) {
    throw new ConfigError(`cannot load config ${configPath}: ${importFailure(error)}`, 'Fix the config file and run again.', { cause: error });
  }
  // An ES module's own export, or a CommonJS module's (which comes wrapped in `default`).
  for (let value = module, i = 0; i < 3 && isObject(value); i++, value = value.default) {
    if (value.fleet !== undefined && (i === 0 || value.__esModule === true || isNamespace(value))) return value.fleet;
  }
  return undefined;
}

/**
 * The entries of a config's fleet, each checked as a fleet file's are (one line naming the entry); a function is
 * called with an EntityManager on `base`'s database, started for it alone and closed after.
 */
export async function configFleetEntries(fleet: unknown, base: Project, serverUrl: string | undefined): Promise<FleetEntry[]> {
  const configPath = base.config.configPath;
  const where = `config ${configPath}: fleet`;
  if (!isObject(fleet) || Array.isArray(fleet))
    throw new ConfigError(`${where}: not an object`, 'Export { schemas }, { databases } or { targets } (see the README).');
  const unknown = Object.keys(fleet).find((key) => !(KEYS as readonly string[]).includes(key));
  if (unknown) throw new ConfigError(`${where}: unknown key "${unknown}"`, `A fleet has ${KEYS.join(', ')}.`);
  const keys = Object.keys(fleet) as (typeof KEYS)[number][];
  if (keys.length === 0) throw new ConfigError(`${where}: names no targets`, `Give it one of ${KEYS.join(', ')}.`);
  let orm: MikroORM | undefined;
  const em = async () => {
    orm ??= await startOrm(base, where);
    return orm.em.fork();
  };
  const baseDir = dirname(configPath);
  const entryOf = (key: (typeof KEYS)[number], raw: unknown, at: string): FleetEntry => {
    if (key === 'targets') return fleetEntry(raw, at, baseDir);
    if (typeof raw !== 'string' || raw === '') throw new ConfigError(`${at}: not a name (${JSON.stringify(raw) ?? String(raw)})`);
    if (key === 'schemas') return fleetEntry({ schema: raw }, at, baseDir);
    return databaseEntry(raw, at, base, serverUrl, baseDir);
  };
  try {
    const entries: FleetEntry[] = [];
    for (const key of keys) {
      const list = await listOf(fleet[key], `${where}.${key}`, em);
      for (const [i, raw] of list.entries()) entries.push(entryOf(key, raw, `${where}.${key}, entry ${i + 1}`));
    }
    return entries;
  } finally {
    await orm?.close(true).catch(() => undefined);
  }
}

/** A database of the configured server by name (its URL with that database), or on SQLite a file. */
function databaseEntry(name: string, where: string, base: Project, serverUrl: string | undefined, baseDir: string): FleetEntry {
  if (base.dialect === 'sqlite') return fleetEntry(/^sqlite:/i.test(name) ? name : `sqlite:${name}`, where, baseDir);
  if (!serverUrl) throw new ConfigError(`${where}: database "${name}" needs the server's URL`, 'Give the config a clientUrl, or its host and user.');
  return { target: { name, url: withDatabase(serverUrl, name) } };
}

/** A source's list: the list itself, or what its function gives; a function that throws is one line naming it. */
async function listOf(source: unknown, where: string, em: () => Promise<EntityManager>): Promise<unknown[]> {
  let list: unknown = source;
  if (typeof source === 'function') {
    const manager = await em();
    try {
      list = await source(manager);
    } catch (error) {
      throw new ConfigError(`${where} failed: ${maskPasswords(messageLine(error))}`, 'Nothing ran; fix the function and run again.', {
        cause: error,
      });
    }
  }
  if (!Array.isArray(list)) throw new ConfigError(`${where}: gave ${describe(list)}, not a list`);
  return list;
}

/** MikroORM on the configured database with the project's entities (so `em.find(Tenant)` works); without any where there are none. */
async function startOrm(base: Project, where: string): Promise<MikroORM> {
  const db = databaseOf(base);
  // A read-only command on a SQLite file that is not there creates none: the function reads an empty database.
  const overrides = db.exists ? {} : { dbName: ':memory:' };
  try {
    return await openEntities(db, overrides).catch((error: unknown) => {
      if (error instanceof NoEntitiesError) return openWithoutEntities(db, overrides);
      throw error;
    });
  } catch (error) {
    throw new ConfigError(
      `${where}: cannot start MikroORM for it: ${error instanceof MigrateUiError ? errorLine(error) : maskPasswords(messageLine(error))}`,
      undefined,
      { cause: error },
    );
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isNamespace(value: object): boolean {
  return Object.prototype.toString.call(value) === '[object Module]';
}

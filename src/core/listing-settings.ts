import { createRequire } from 'node:module';
import { type ClientSettings, clientOf, type ListingSettings, loadedAddon } from './light-reader.js';
import { orm } from './orm/index.js';
import { databaseOf, type Project } from './project.js';

/**
 * What `status` needs of an open project to read it again without MikroORM: the settings (none secret) and how its
 * driver reached the database (the password included, for the caller to trace and drop). Undefined where the light
 * reader cannot stand in for the driver: a client it does not speak, driver options or a pool hook of the config's own.
 */
export function listingOf(project: Project): { settings: ListingSettings; client: ClientSettings } | undefined {
  const db = databaseOf(project);
  const options = db.config.options;
  const driverName = typeof options.driver === 'function' ? options.driver.name : '';
  const client = clientOf(driverName, createRequire(import.meta.url));
  if (!client) return undefined;
  if (Object.keys((options.driverOptions as object | undefined) ?? {}).length > 0) return undefined;
  if (Object.values((options.pool as object | undefined) ?? {}).some((v) => typeof v === 'function')) return undefined;
  if (options.onQuery || options.preferReadReplicas || options.replicas) return undefined;
  const settings: ListingSettings = {
    dialect: db.dialect,
    displayUrl: db.config.displayUrl,
    migrationsDir: db.config.migrationsDir,
    migrationsTable: db.config.migrationsTable,
    schema: db.schema,
    dbName: db.dbName,
  };
  if (db.dialect === 'sqlite') {
    const native = loadedAddon(client.entry, createRequire(import.meta.url).cache);
    return { settings, client: { ...client, options: {}, file: String(options.dbName ?? ':memory:'), ...(native ? { native } : {}) } };
  }
  const raw = orm.clientOptions(db.driver);
  const plain: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'password') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') plain[key] = value;
    else if (value !== undefined && value !== null && key !== 'types') return undefined;
  }
  const password = typeof raw.password === 'string' && raw.password !== '' ? raw.password : undefined;
  return { settings, client: { ...client, options: plain, password } };
}

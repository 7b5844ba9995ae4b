import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { createRequire } from 'node:module';
import type { DataMigrationProgress } from './data/progress-report.js';
import { readTimeline } from './history.js';
import { type DatabaseReader, qualifiedTable, quoteIdentifier, tableExistsIn } from './reader.js';
import type { Timeline } from './timeline.js';
import type { Dialect } from './url.js';

/** The database clients the light reader speaks to itself; any other driver leaves `status` to the full path. */
export type ClientKind = 'sqlite3' | 'better-sqlite3' | 'pg' | 'mysql2' | 'mariadb';

/** What `status` needs of a loaded project, none of it secret: kept by the CLI's config cache between runs. */
export interface ListingSettings {
  dialect: Dialect;
  displayUrl: string;
  migrationsDir: string;
  migrationsTable: string;
  schema?: string;
  dbName: string;
}

/** How to reach the database with its client package directly, as MikroORM's driver did. `password` is never kept. */
export interface ClientSettings {
  kind: ClientKind;
  /** The client package's entry, resolved from the project's MikroORM driver package. */
  entry: string;
  /** The client's options as MikroORM's connection built them, plain values only, without the password. */
  options: Record<string, string | number | boolean>;
  /** SQLite: the file as the config names it (a read-only command never creates it). */
  file?: string;
  /** SQLite: the client's native addon as the full path loaded it (found again by `bindings`, some 35 ms a start, otherwise). */
  native?: string;
  password?: string;
}

/** The MikroORM driver classes the light reader stands in for: their package, and the client packages it may depend on. */
const CLIENTS: Record<string, { module: `@mikro-orm/${string}`; clients: ClientKind[]; through?: `@mikro-orm/${string}` }> = {
  SqliteDriver: { module: '@mikro-orm/sqlite', clients: ['sqlite3', 'better-sqlite3'] },
  PostgreSqlDriver: { module: '@mikro-orm/postgresql', clients: ['pg'] },
  MySqlDriver: { module: '@mikro-orm/mysql', clients: ['mysql2'] },
  // MikroORM 6's MariaDB driver uses the mariadb connector; 7's is its MySQL driver's mysql2.
  MariaDbDriver: { module: '@mikro-orm/mariadb', clients: ['mariadb', 'mysql2'], through: '@mikro-orm/mysql' },
};

/**
 * The client package (its kind and entry) that a driver class of the project's MikroORM uses: the one its package
 * declares as a dependency (MikroORM 6's SQLite driver sqlite3, 7's better-sqlite3), resolved from there. Undefined
 * where the light reader has none.
 */
export function clientOf(driverName: string, requireFrom: NodeJS.Require): { kind: ClientKind; entry: string } | undefined {
  const known = CLIENTS[driverName];
  if (!known) return undefined;
  for (const module of [known.module, known.through]) {
    if (!module) continue;
    try {
      const main = requireFrom.resolve(module);
      const beside = createRequire(main);
      const declared = Object.keys(packageJsonOf(main)?.dependencies ?? {});
      const kind = known.clients.find((client) => declared.includes(client));
      if (kind) return { kind, entry: beside.resolve(kind === 'mysql2' ? 'mysql2/promise' : kind) };
    } catch {
      // Not installed, or its client is not: the next place, then none.
    }
  }
  return undefined;
}

/** The package.json of the package a file belongs to (the nearest one up that has a name), and its folder. */
function packageJsonOf(file: string): { dependencies?: Record<string, string>; dir: string } | undefined {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (parsed.name) return { ...parsed, dir };
    } catch {
      // None here: look further up.
    }
  }
  return undefined;
}

/** The native addon of the client package at `entry` that this process has loaded, if it has. */
export function loadedAddon(entry: string, loaded: Record<string, unknown>): string | undefined {
  const dir = packageJsonOf(entry)?.dir;
  return dir ? Object.keys(loaded).find((path) => path.startsWith(`${dir}${sep}`) && path.endsWith('.node')) : undefined;
}

/** What was kept no longer describes the database (its server changed kind): the full path reads it. */
export class ListingChangedError extends Error {}

/** How long a server may take to accept a connection (as the full path's Database). */
const CONNECT_TIMEOUT_MS = 10_000;
const SQLITE_BUSY_MS = 15_000;

type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

const MYSQL_TEXT = { dateStrings: true, supportBigNumbers: true };

/** PostgreSQL's date and time types as text, as MikroORM's connection reads them. */
const PG_TEXT_TYPES = new Set([1082, 1114, 1184, 1186]);

/**
 * A read-only connection through the database's client package itself, without MikroORM: what `status` reads (the
 * history, the lock's holder, the progress table) and nothing else.
 */
export class LightReader implements DatabaseReader {
  private constructor(
    readonly settings: ListingSettings,
    readonly dialect: Dialect,
    private readonly run: Query,
    private readonly end: () => Promise<void>,
  ) {}

  /** Connects; a connection failure is the client's own error, for the caller to judge. */
  static async open(settings: ListingSettings, client: ClientSettings): Promise<LightReader> {
    const load = createRequire(import.meta.url);
    if (client.kind === 'sqlite3' && client.native) shareAddon(load, join(dirname(client.entry), 'sqlite3-binding.js'), client.native);
    const { run, end } = await connect(client, load(client.entry));
    const reader = new LightReader(settings, settings.dialect, run, end);
    if (settings.dialect === 'mysql' || settings.dialect === 'mariadb') {
      // The server decides the dialect (a MySQL URL may reach MariaDB): the one kept must still be the one answering.
      try {
        const [row] = await reader.query<{ v: string }>('select version() as v');
        const family = /mariadb/i.test(String(row?.v ?? '')) ? 'mariadb' : 'mysql';
        if (family !== settings.dialect) throw new ListingChangedError(`the server is ${family} now`);
      } catch (error) {
        await reader.close().catch(() => undefined);
        throw error;
      }
    }
    return reader;
  }

  get schema(): string | undefined {
    return this.settings.schema;
  }

  get config() {
    return this.settings;
  }

  get dbName(): string {
    return this.settings.dbName;
  }

  quote(identifier: string): string {
    return quoteIdentifier(this.dialect, identifier);
  }

  table(name: string): string {
    return qualifiedTable(this.dialect, this.schema, name);
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.run(sql, params)) as T[];
  }

  tableExists(table: string): Promise<boolean> {
    return tableExistsIn(this, table);
  }

  async close(): Promise<void> {
    await this.end();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: each client package's module, used through its own documented calls.
type ClientModule = any;

async function connect(client: ClientSettings, module: ClientModule): Promise<{ run: Query; end: () => Promise<void> }> {
  const options = { ...client.options, ...(client.password === undefined ? {} : { password: client.password }) };
  switch (client.kind) {
    case 'sqlite3': {
      // A read-only command never creates the file: an empty in-memory database answers instead, as on the full path.
      const file = sqliteTarget(client.file);
      const db = await new Promise<ClientModule>((resolve, reject) => {
        const opened = new module.Database(file, module.OPEN_READWRITE, (error: Error | null) => (error ? reject(error) : resolve(opened)));
      });
      db.configure('busyTimeout', SQLITE_BUSY_MS);
      const run: Query = (sql, params) =>
        new Promise((resolve, reject) =>
          db.all(sql, params, (error: Error | null, rows: Record<string, unknown>[]) => (error ? reject(error) : resolve(rows))),
        );
      return { run, end: () => new Promise<void>((resolve) => db.close(() => resolve())) };
    }
    case 'better-sqlite3': {
      const native = client.native ? { nativeBinding: client.native } : {};
      const db = new module(sqliteTarget(client.file), { fileMustExist: true, timeout: SQLITE_BUSY_MS, ...native });
      return { run: async (sql, params) => db.prepare(sql).all(params), end: async () => db.close() };
    }
    case 'pg': {
      const pg = module.default ?? module;
      const types = {
        getTypeParser: (oid: number, format?: string) => (PG_TEXT_TYPES.has(oid) ? (text: string) => text : pg.types.getTypeParser(oid, format)),
      };
      const connection = new pg.Client({ ...options, types, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      // An idle client's socket error must not end the process: the next query fails instead.
      connection.on('error', () => undefined);
      await connection.connect().catch(async (error: unknown) => {
        await connection.end().catch(() => undefined);
        throw error;
      });
      const run: Query = async (sql, params) => {
        let n = 0;
        return (
          await connection.query(
            sql.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows;
      };
      return { run, end: () => connection.end() };
    }
    case 'mysql2': {
      // Dates as text and big numbers kept whole, as MikroORM's MySQL connection asks of it (6 and 7).
      const connection = await module.createConnection({ ...MYSQL_TEXT, ...options, connectTimeout: CONNECT_TIMEOUT_MS });
      return { run: async (sql, params) => (await connection.query(sql, params))[0], end: () => connection.end() };
    }
    case 'mariadb': {
      const connection = await module.createConnection({ ...MYSQL_TEXT, ...options, connectTimeout: CONNECT_TIMEOUT_MS });
      return { run: async (sql, params) => [...(await connection.query(sql, params))], end: () => connection.end() };
    }
  }
}

/**
 * sqlite3's `lib/sqlite3-binding.js` is one line, `require('bindings')('node_sqlite3.node')`, which tries a dozen paths
 * (each a thrown error) to find the addon: put the addon the full path loaded in require's cache under that module.
 */
function shareAddon(load: NodeJS.Require, bindingModule: string, addon: string): void {
  if (load.cache[bindingModule] || !existsSync(bindingModule)) return;
  const Module = load('node:module') as new (id: string) => { filename: string; exports: unknown; loaded: boolean };
  const entry = new Module(bindingModule);
  entry.filename = bindingModule;
  entry.exports = load(addon);
  entry.loaded = true;
  load.cache[bindingModule] = entry as unknown as NodeJS.Module;
}

function sqliteTarget(file: string | undefined): string {
  return file === undefined || file === ':memory:' || !existsSync(file) ? ':memory:' : file;
}

/** A project as `status` sees it, read through a LightReader. */
export class ListingProject {
  constructor(readonly reader: LightReader) {}

  get dialect(): Dialect {
    return this.reader.dialect;
  }

  get config(): ListingSettings {
    return this.reader.settings;
  }

  async timeline(): Promise<Timeline> {
    return (await readTimeline(this.reader)).timeline;
  }

  async dataMigrations(): Promise<DataMigrationProgress[]> {
    const [{ summarise }, { readProgress }] = await Promise.all([import('./data/progress-report.js'), import('./data/progress-store.js')]);
    return summarise(await readProgress(this.reader));
  }
}

import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProjectOptions } from '../config.js';
import type { Database } from '../database.js';
import { ConnectionError, StoppedError } from '../errors.js';
import { processAlive } from '../lock.js';
import { Project, databaseOf } from '../project.js';
import { parseDatabaseUrl } from '../url.js';

/** Every scratch database (SQLite: file) starts with this, so a later run can tell it from anything else. */
export const SCRATCH_PREFIX = 'migrate_ui_scratch_';
/** A scratch database this old is a leftover, whoever made it. */
export const LEFTOVER_AFTER_MS = 60 * 60 * 1000;

/** A database of the connected kind, made for one proof and dropped after it; the configured database is never it. */
export interface Scratch {
  /** Its name: `migrate_ui_scratch_<host>_<pid>_<epoch seconds>`. */
  name: string;
  /** The project's config pointed at it. */
  project: Project;
  /** Closes it and drops it (SQLite: deletes the file); safe to call twice. */
  drop(): Promise<void>;
  /** Another connection to it (a held run session), closed by drop() before it drops the database. */
  adopt(close: () => Promise<void>): void;
}

const hostTag = (host = hostname()) => createHash('sha1').update(host).digest('hex').slice(0, 6);

/** A new scratch database's name: says what it is, which host and process made it, and when. */
export function scratchName(now = Date.now(), pid = process.pid): string {
  return `${SCRATCH_PREFIX}${hostTag()}_${pid}_${Math.floor(now / 1000)}`;
}

/** Whether a scratch name is a leftover: older than an hour, or made on this host by a process that is gone. */
export function isLeftover(name: string, now = Date.now()): boolean {
  const m = /^migrate_ui_scratch_([0-9a-f]{6})_(\d+)_(\d+)/.exec(name);
  if (!m) return false;
  if (now - Number(m[3]) * 1000 > LEFTOVER_AFTER_MS) return true;
  return m[1] === hostTag() && Number(m[2]) !== process.pid && !processAlive(Number(m[2]));
}

/** Where scratch databases go: `--scratch URL` (a server, or `sqlite:FOLDER`), else the configured database's server or the temp folder. */
export interface ScratchOptions {
  /** How the project was opened (config, cwd, env): the scratch project opens the same way, on another database. */
  open: ProjectOptions;
  scratchUrl?: string;
}

/** Scratch databases being created, and how to remove each one that exists: what a signal handler drops before leaving. */
const creating = new Set<Promise<unknown>>();
const removers = new Set<() => Promise<void>>();
/** Set once the process is leaving: a proof still going makes no new scratch database behind the drop. */
let leaving = false;

/**
 * Drops every scratch database of this process, those still being created included, and refuses new ones from then
 * on: for a process on its way out (ctrl-c or SIGTERM in `verify`, the TUI quitting while `v` runs).
 */
export async function dropEveryScratch(): Promise<void> {
  leaving = true;
  await Promise.allSettled([...creating]);
  await Promise.allSettled([...removers].map((remove) => remove()));
}

/** Creates a scratch database beside the project's (or on `--scratch`'s server), after sweeping leftovers there. */
export function createScratch(project: Project, options: ScratchOptions): Promise<Scratch> {
  if (leaving) return Promise.reject(new StoppedError('stopped: no scratch database is made on the way out'));
  const work = newScratch(project, options);
  creating.add(work);
  const done = () => creating.delete(work);
  work.then(done, done);
  return work;
}

/** The names of this process's scratch databases that exist: a second one made in the same second gets a number. */
const named = new Set<string>();

function freshName(): string {
  const first = scratchName();
  let name = first;
  for (let n = 2; named.has(name); n++) name = `${first}_${n}`;
  named.add(name);
  return name;
}

async function newScratch(project: Project, options: ScratchOptions): Promise<Scratch> {
  const name = freshName();
  try {
    return await makeScratch(name, project, options);
  } catch (error) {
    named.delete(name);
    throw error;
  }
}

async function makeScratch(name: string, project: Project, options: ScratchOptions): Promise<Scratch> {
  const given = options.scratchUrl ? parseDatabaseUrl(options.scratchUrl) : undefined;
  const dialect = given?.dialect ?? project.dialect;
  if (dialect === 'sqlite') {
    const dir = given ? resolve(options.open.cwd ?? process.cwd(), given.target) : tmpdir();
    sweepFiles(dir);
    const file = join(dir, `${name}.sqlite`);
    const remove = () => {
      for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    };
    const scratch = await withProject(name, { ...options.open, dbUrl: `sqlite:${file}` }, async () => remove());
    try {
      // Write-ahead log, kept in the file for every connection: a read no longer opens the rollback journal to look
      // for a crashed writer's (a proof reads the schema thousands of times), and a commit writes one file, not two.
      await databaseOf(scratch.project).query('pragma journal_mode = wal');
    } catch (error) {
      await scratch.drop();
      throw error;
    }
    return scratch;
  }
  // The server's admin connection: --scratch's database, else the project's own connection (it only creates and drops).
  const admin = given ? await Project.open({ ...options.open, dbUrl: given.target }) : undefined;
  const adminDb = databaseOf(admin ?? project);
  try {
    await sweepServer(adminDb);
    const pg = adminDb.dialect === 'postgresql';
    await adminDb.run(`create database ${adminDb.quote(name)}${pg ? ' template template0' : ''}`);
  } catch (error) {
    await admin?.close();
    throw new ConnectionError(
      `cannot create a scratch database on ${adminDb.config.displayUrl}: ${(error as Error).message.split('\n')[0]}`,
      'Give a server where databases may be created.',
      { cause: error },
    );
  }
  const url = serverUrl(adminDb, name);
  return withProject(name, { ...options.open, dbUrl: url }, async () => {
    await dropServer(adminDb, name);
    await admin?.close();
  });
}

async function withProject(name: string, open: ProjectOptions, removeOnce: () => Promise<void>): Promise<Scratch> {
  let removed: Promise<void> | undefined;
  const remove = () => {
    removed ??= removeOnce().finally(() => removers.delete(remove));
    return removed;
  };
  removers.add(remove);
  let project: Project;
  try {
    project = await Project.open(open);
  } catch (error) {
    await remove();
    throw error;
  }
  let dropped: Promise<void> | undefined;
  const adopted: Array<() => Promise<void>> = [];
  const drop = () => {
    dropped ??= (async () => {
      const closing = [...adopted, () => project.close()].map((close) => close().catch(() => undefined));
      await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 3000).unref())]);
      await remove();
      named.delete(name);
    })().finally(() => removers.delete(drop));
    return dropped;
  };
  removers.delete(remove);
  removers.add(drop);
  return { name, project, drop, adopt: (close) => void adopted.push(close) };
}

/** The URL of database `name` on the server `db` is connected to, with `db`'s credentials. */
function serverUrl(db: Database, name: string): string {
  const client = db.mikroConfig.get('clientUrl') as string | undefined;
  const scheme = db.config.dialect === 'postgresql' ? 'postgres' : db.config.dialect;
  const url = client ? new URL(client) : new URL(`${scheme}://localhost`);
  if (!client) {
    url.hostname = String(db.mikroConfig.get('host') ?? '127.0.0.1');
    const port = db.mikroConfig.get('port');
    if (port) url.port = String(port);
    const user = db.mikroConfig.get('user');
    if (user) url.username = encodeURIComponent(String(user));
    const password = db.mikroConfig.get('password');
    if (typeof password === 'string' && password) url.password = encodeURIComponent(password);
  }
  url.pathname = `/${name}`;
  return url.href;
}

async function listServer(db: Database): Promise<string[]> {
  const sql =
    db.dialect === 'postgresql'
      ? `select datname as name from pg_database where datname like 'migrate\\_ui\\_scratch\\_%'`
      : `select schema_name as name from information_schema.schemata where schema_name like 'migrate\\_ui\\_scratch\\_%'`;
  return (await db.query<{ name?: string; NAME?: string }>(sql)).map((r) => String(r.name ?? r.NAME));
}

async function dropServer(db: Database, name: string): Promise<void> {
  if (db.dialect === 'postgresql')
    await db.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()', [name]);
  await db.run(`drop database if exists ${db.quote(name)}`);
}

/** Drops the scratch databases earlier runs left behind (killed, or crashed) on this server. */
export async function sweepServer(db: Database, now = Date.now()): Promise<string[]> {
  const swept: string[] = [];
  for (const name of await listServer(db)) {
    if (!isLeftover(name, now)) continue;
    await dropServer(db, name).catch(() => undefined);
    swept.push(name);
  }
  return swept;
}

/** Deletes the scratch SQLite files earlier runs left in `dir`. */
export function sweepFiles(dir: string, now = Date.now()): string[] {
  const swept: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return swept;
  }
  for (const file of names) {
    if (!file.startsWith(SCRATCH_PREFIX) || !isLeftover(file, now)) continue;
    rmSync(join(dir, file), { force: true });
    swept.push(file);
  }
  return swept;
}

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createRequire } from 'node:module';
import { CheckCache } from './check-cache.js';
import { dataKind } from './data/kind.js';
import type { Database, Transaction } from './database.js';
import { messageLine } from './orm/index.js';
import type { RevisionReading } from './lint/revision-file.js';
import type { ExecutorFactory } from './run-session.js';
import { REPLACES_MARKER, replacesOf } from './squash.js';

// The kinds of revision, registered once. Core asks this table what a kind means (how a file says it is one, what its
// up() adds up to in a preview, which executor runs it, what a revert forgets with it) and never tests for a kind itself.
// Loaded by `status`: a kind's definition loads nothing heavy; its executor and its preview load when asked.
export type RevisionKind = 'schema' | 'data';

/** A revision's up() as a preview shows it, when it is not simply what up() records: statements of its own between two recorded parts. */
export interface DescribedUp {
  statements: string[];
  /** What runs before its statements (recorded by the preview as any revision's SQL). */
  before(): Promise<void>;
  /** What runs after them. */
  after(): Promise<void>;
}

/** What one kind of revision is, to everything in core that reads, previews, runs or forgets revisions. */
export interface RevisionKindDef {
  readonly kind: RevisionKind;
  /** Whether a file (read, never imported) is this kind; absent for schema, the kind of every file no other kind claims. */
  detect?(file: RevisionReading): boolean;
  /** What a file's text holds somewhere when detect() can claim it: a file where it does not match is not read further. */
  readonly mentions?: RegExp;
  /** The class methods that make up its up() for the static lint: the first one names the kind's class, the others add their statements. */
  readonly up: readonly [string, ...string[]];
  /** Its up() changes something whatever its text shows (a data migration's steps change rows). */
  readonly upActs?: boolean;
  /** What its up() adds up to, for a preview; undefined for a migration that is not of this kind. Loads its module when asked. */
  describe?(migration: unknown, quote: (identifier: string) => string): Promise<DescribedUp | undefined>;
  /** Its executor, asked before the schema executor, loaded when a run opens (never by `status`); absent: the schema executor runs it. */
  executor?(): Promise<ExecutorFactory>;
  /** Why it cannot run inside one transaction around the whole run (it commits as it goes), as the refusal says it; absent when it can. */
  readonly commitsAsItGoes?: string;
  /** What forgetting a revision (reverted, or no longer recorded by MikroORM) removes besides its history rows; made once per history. */
  onForget?(db: Database): (name: string, trx?: Transaction) => Promise<void>;
}

const schemaKind: RevisionKindDef = { kind: 'schema', up: ['up'] };

/** Every kind, schema first: a class with both up() and a data migration's steps() is linted by its up(). */
export const REVISION_KINDS: readonly RevisionKindDef[] = [schemaKind, dataKind];

/** The definition of `kind`. */
export function revisionKind(kind: RevisionKind): RevisionKindDef {
  return REVISION_KINDS.find((k) => k.kind === kind) ?? schemaKind;
}

// The version of the answers kept for a file's text (esbuild's syntax check and the migration class; the kind): kept answers of another are not used.
const LOAD_CHECK = 2;

/**
 * The kind a migration file's text declares. A text that mentions nothing a kind looks for is a schema revision
 * unread; any other is read (lint/revision-file.ts) once, its answer kept by checksum, so `status` loads no reader for it again.
 */
async function kindOf(source: string, checksum: string, cache: () => CheckCache): Promise<RevisionKind> {
  const candidates = REVISION_KINDS.filter((k) => k.detect && k.mentions?.test(source));
  if (candidates.length === 0) return schemaKind.kind;
  const key = `kind/${LOAD_CHECK}/${checksum}`;
  const known = cache().get(key);
  if (REVISION_KINDS.some((k) => k.kind === known)) return known as RevisionKind;
  const reading = (await import('./lint/revision-file.js')).readRevisionFile(source);
  const { kind } = candidates.find((k) => k.detect?.(reading)) ?? schemaKind;
  cache().set(key, kind);
  return kind;
}

/** Why a file's text holds no migration class (a class with the method that makes up some kind's up()); undefined when it does. */
async function noMigrationClass(source: string): Promise<string | undefined> {
  const { methods } = (await import('./lint/revision-file.js')).readRevisionFile(source);
  return REVISION_KINDS.some((k) => methods.has(k.up[0])) ? undefined : 'no migration class with an up() method';
}

/** The executors of the kinds that have one, in the registry's order, loaded together. */
export function kindExecutors(): Promise<ExecutorFactory[]> {
  return Promise.all(REVISION_KINDS.flatMap((k) => (k.executor ? [k.executor()] : [])));
}

/** What a preview shows for an up(): the first kind's description of the migration, if any kind describes it. */
export async function describeUp(migration: unknown, quote: (identifier: string) => string): Promise<DescribedUp | undefined> {
  for (const kind of REVISION_KINDS) {
    const described = await kind.describe?.(migration, quote);
    if (described) return described;
  }
  return undefined;
}

/** A migration file on disk, read but never imported. */
export interface RevisionFile {
  name: string;
  path: string;
  checksum: string;
  kind: RevisionKind;
  /** Why the file cannot load (syntax error, no migration class); undefined when it looks fine. */
  error?: string;
  /** A squashed revision: the revisions its text says it replaces. */
  replaces?: string[];
}

const MIGRATION_FILE = /^(?!\.)(?!.*\.d\.[cm]?ts$).+\.(ts|mts|cts|js|mjs|cjs)$/;

/** The revision name of a file: its name without extension, as MikroORM stores it. */
export function revisionName(fileName: string): string {
  return fileName.slice(0, fileName.length - extname(fileName).length);
}

/** SHA-256 of a file's text with line endings normalised, so a checkout on Windows is not "modified". */
export function checksumOf(source: string): string {
  return createHash('sha256').update(source.replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * Lists the migration files of `dir`, sorted by name (the order they apply in), with checksum, kind and
 * syntax state. `trusted(name, checksum)` names files already known to load (applied, unchanged): their syntax check is skipped.
 */
export async function listRevisionFiles(dir: string, trusted: (name: string, checksum: string) => boolean = () => false): Promise<RevisionFile[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = entries.filter((f) => MIGRATION_FILE.test(f)).sort(byRevision);
  const seen = new Set<string>();
  const unique = files.filter((f) => {
    const name = revisionName(f);
    if (seen.has(name)) return false;
    seen.add(name);
    return true;
  });
  let transform: typeof import('esbuild').transform | undefined;
  let cache: CheckCache | undefined;
  const listed = await Promise.all(
    unique.map(async (file): Promise<RevisionFile> => {
      const path = join(dir, file);
      let source: string;
      try {
        // Synchronous on purpose: thousands of small reads through the thread pool cost ten times more.
        source = readFileSync(path, 'utf8');
      } catch (error) {
        return { name: revisionName(file), path, checksum: '', kind: 'schema', error: unreadable(error) };
      }
      const checksum = checksumOf(source);
      const revision: RevisionFile = {
        name: revisionName(file),
        path,
        checksum,
        kind: await kindOf(source, checksum, () => (cache ??= CheckCache.of(dir))),
      };
      if (source.includes(REPLACES_MARKER)) revision.replaces = replacesOf(source);
      if (trusted(revision.name, revision.checksum)) return revision;
      const loader = /\.[cm]?ts$/.test(file) ? 'ts' : 'js';
      cache ??= CheckCache.of(dir);
      const key = `load/${LOAD_CHECK}/${esbuildVersion()}/${loader}/${revision.checksum}`;
      const known = cache.get(key);
      if (typeof known === 'string') revision.error = known || undefined;
      else {
        // esbuild (and its service process) starts, and the file is read for its class, only for a text never seen.
        transform ??= (await import('esbuild')).transform;
        revision.error = (await syntaxProblem(transform, source, loader)) ?? (await noMigrationClass(source));
        cache.set(key, revision.error ?? '');
      }
      return revision;
    }),
  );
  cache?.save();
  return listed;
}

/** Why a directory entry that looks like a migration file cannot be read. */
function unreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return 'it is a folder, not a migration file';
  if (code === 'ENOENT') return 'it is a link to a file that does not exist';
  return `cannot read it: ${messageLine(error)}`;
}

/** Whether `dir` holds any migration file (without reading one). */
export function hasRevisionFiles(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => MIGRATION_FILE.test(f));
  } catch {
    return false;
  }
}

/** A `trusted` test for listRevisionFiles: a file we applied and that is unchanged since loaded then, so needs no syntax check. */
export function appliedUnchanged(applied: Array<{ name: string; checksum: string | null }>): (name: string, checksum: string) => boolean {
  const sums = new Map(applied.map((a) => [a.name, a.checksum]));
  return (name, checksum) => sums.get(name) === checksum;
}

/** By revision name; a built .js beside its .ts source is the same revision, and the source (what gets edited) comes first. */
function byRevision(a: string, b: string): number {
  const [x, y] = [revisionName(a), revisionName(b)];
  if (x !== y) return x < y ? -1 : 1;
  return (/\.[cm]?ts$/.test(a) ? 0 : 1) - (/\.[cm]?ts$/.test(b) ? 0 : 1);
}

let esbuild: string | undefined;

/** The version of the esbuild that checks syntax (read, not loaded): its answers are kept under it. */
function esbuildVersion(): string {
  esbuild ??= createRequire(import.meta.url)('esbuild/package.json').version as string;
  return esbuild;
}

async function syntaxProblem(transform: typeof import('esbuild').transform, source: string, loader: 'ts' | 'js'): Promise<string | undefined> {
  try {
    await transform(source, { loader, logLevel: 'silent' });
    return undefined;
  } catch (error) {
    const first = (error as { errors?: Array<{ text: string; location?: { line: number; column: number } }> }).errors?.[0];
    if (!first) return messageLine(String(error));
    return first.location ? `syntax error at line ${first.location.line}: ${first.text}` : `syntax error: ${first.text}`;
  }
}

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createRequire } from 'node:module';
import { CheckCache } from './check-cache.js';
import { messageLine } from './orm/index.js';

export type RevisionKind = 'schema' | 'data';

/** A migration file on disk, read but never imported. */
export interface RevisionFile {
  name: string;
  path: string;
  checksum: string;
  kind: RevisionKind;
  /** Why the file cannot load (syntax error, no migration class); undefined when it looks fine. */
  error?: string;
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

const DATA_MARKER = /\bextends\s+(?:\w+\.)?DataMigration\b|@migrate-ui\s+data\b/;

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
      const revision: RevisionFile = {
        name: revisionName(file),
        path,
        checksum: checksumOf(source),
        kind: DATA_MARKER.test(source) ? 'data' : 'schema',
      };
      if (trusted(revision.name, revision.checksum)) return revision;
      const loader = /\.[cm]?ts$/.test(file) ? 'ts' : 'js';
      cache ??= CheckCache.of(dir);
      const key = `syntax/${esbuildVersion()}/${loader}/${revision.checksum}`;
      const known = cache.get(key);
      if (typeof known === 'string') revision.error = known || undefined;
      else {
        // esbuild (and its service process) starts only for a text it never saw.
        transform ??= (await import('esbuild')).transform;
        revision.error = await syntaxProblem(transform, source, loader);
        cache.set(key, revision.error ?? '');
      }
      // A DataMigration has steps() where a Migration has up().
      if (!revision.error && !/\bclass\s+[\w$]+[\s\S]*\b(up|steps)\s*\(/.test(source)) {
        revision.error = 'no migration class with an up() method';
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

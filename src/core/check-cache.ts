import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

type Found = Record<string, unknown>;

/** More entries than this and a save keeps only what this process used (a folder's files, not its whole past). */
const MAX_ENTRIES = 20_000;
const DAY_MS = 24 * 3600 * 1000;
/** The cache of a folder nobody ran migrate-ui on for this long (a test's, a removed checkout's) goes. */
const UNUSED_MS = 7 * DAY_MS;

/**
 * What the checks of a migration file's text found (esbuild's syntax check, the lint), kept between runs. A key names
 * the check and its version and the text's SHA-256, so the same text under the same check always gets the same
 * answer, read instead of worked out again. One file per migrations folder in the user's own temp folder; missing
 * or unusable, it is an empty cache, and one that cannot be written is no error.
 */
export class CheckCache {
  static readonly #open = new Map<string, CheckCache>();
  readonly #used: Found = {};
  #added = false;

  private constructor(
    private readonly path: string | undefined,
    private readonly known: Found,
  ) {}

  /** The cache of `dir`'s files, read once per process. */
  static of(dir: string): CheckCache {
    let cache = CheckCache.#open.get(dir);
    if (!cache) {
      const path = cachePath(dir);
      let known: unknown;
      try {
        known = path ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
        // Still in use: kept from forgetUnused() below, a day at a time.
        if (path && statSync(path).mtimeMs < Date.now() - DAY_MS) utimesSync(path, new Date(), new Date());
      } catch {
        // None yet, or unreadable: start empty.
      }
      cache = new CheckCache(path, typeof known === 'object' && known !== null && !Array.isArray(known) ? (known as Found) : {});
      CheckCache.#open.set(dir, cache);
    }
    return cache;
  }

  /** What was found before under `key`; undefined when never. */
  get(key: string): unknown {
    const value = Object.hasOwn(this.known, key) ? this.known[key] : undefined;
    if (value !== undefined) this.#used[key] = value;
    return value;
  }

  set(key: string, value: unknown): void {
    this.known[key] = value;
    this.#used[key] = value;
    this.#added = true;
  }

  /** Writes the cache when something was added (whole, by a rename: a reader never sees half a file). */
  save(): void {
    if (!this.#added || !this.path) return;
    this.#added = false;
    const entries = Object.keys(this.known).length > MAX_ENTRIES ? this.#used : this.known;
    try {
      const temporary = `${this.path}.${process.pid}`;
      writeFileSync(temporary, JSON.stringify(entries), { mode: 0o600 });
      renameSync(temporary, this.path);
      forgetUnused(dirname(this.path));
    } catch {
      // A read-only or full temp folder: the next run checks again.
    }
  }
}

/** Removes the caches of folders not read for a week. */
function forgetUnused(folder: string): void {
  const before = Date.now() - UNUSED_MS;
  for (const name of readdirSync(folder)) {
    if (!/^checks-[0-9a-f]+\.json$/.test(name)) continue;
    const file = join(folder, name);
    try {
      if (statSync(file).mtimeMs < before) rmSync(file, { force: true });
    } catch {
      // Gone meanwhile.
    }
  }
}

/** SHA-256 of some text, as a short key part (a check's own version). */
export function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The cache file of `dir`, in a folder of this user's own; undefined where there is none. */
function cachePath(dir: string): string | undefined {
  try {
    const uid = process.getuid?.();
    const folder = join(tmpdir(), `migrate-ui-${uid ?? 'user'}`);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // A folder someone else made first (to plant answers) is not used.
    if (uid !== undefined && statSync(folder).uid !== uid) return undefined;
    return join(folder, `checks-${fingerprint(dir)}.json`);
  } catch {
    return undefined;
  }
}

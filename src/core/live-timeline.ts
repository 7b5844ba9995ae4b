import { type FSWatcher, statSync, watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from './database.js';
import type { LockHolder } from './events.js';
import { type AppliedRevision, History } from './history.js';
import { readLockHolder } from './lock.js';
import { messageLine } from './orm/index.js';
import { maskPasswords } from './secrets.js';
import { appliedUnchanged, listRevisionFiles, type RevisionFile } from './revisions.js';
import { buildTimeline, type Timeline } from './timeline.js';

/** The timeline as a person sees it now, with the lock holder, or why the last read failed. */
export interface LiveState {
  timeline: Timeline | null;
  lockHolder: LockHolder | null;
  /** Why the last read failed (one line, passwords masked); null once a read succeeds again. */
  error: string | null;
}

export interface LiveOptions {
  /** How often the database is read (ms). */
  pollMs?: number;
  /** With a working file watcher, the folder is statted only every this many polls (the watcher catches edits at once). */
  statEvery?: number;
}

export const POLL_MS = 1000;
const STAT_EVERY = 5;
const WATCH_DEBOUNCE_MS = 100;
/** Files statted between two turns of the event loop: a key pressed meanwhile waits at most about a millisecond. */
const STATS_PER_TURN = 200;

/** A stable text for a timeline: equal when nothing a person could see has changed. */
export function timelineSignature(t: Timeline): string {
  const rows = t.revisions.map((r) => `${r.name}|${r.status}|${r.appliedAt?.getTime() ?? ''}|${r.kind}|${r.checksum}|${r.path}|${r.error ?? ''}`);
  return `${t.current}\n${rows.join('\n')}`;
}

type Listener = (state: LiveState) => void;

/**
 * The timeline kept live: the database read about once a second, the files at once when the folder changes
 * (a watcher, with a slower stat check behind it), reads coalesced so that one runs at a time. Listeners hear
 * only of changes a person could see, so an idle screen is never redrawn. The TUI, `watch` and tests share it.
 */
export class LiveTimeline {
  #files: RevisionFile[] | undefined;
  #fingerprint: string | undefined;
  #stale = true;
  #state: LiveState = { timeline: null, lockHolder: null, error: null };
  #signature = '';
  /** The last timeline built, what it was built from, and its signature: a poll that finds the same is done at once. */
  #built: { files: RevisionFile[]; applied: string; timeline: Timeline; signature: string } | undefined;
  readonly #listeners = new Set<Listener>();
  #busy: Promise<void> | null = null;
  #wanted: { checkFiles: boolean } | null = null;
  #paused = false;
  #stopWatching: (() => void) | undefined;
  readonly #pollMs: number;
  readonly #statEvery: number;

  /** @internal Live timelines come from Project.live(). */
  constructor(
    private readonly db: Database,
    options: LiveOptions = {},
  ) {
    this.#pollMs = options.pollMs ?? POLL_MS;
    this.#statEvery = options.statEvery ?? STAT_EVERY;
  }

  /** The migrations folder this timeline watches. */
  get migrationsDir(): string {
    return this.db.config.migrationsDir;
  }

  /** The state as of the last read. */
  get state(): LiveState {
    return this.#state;
  }

  /** Marks the files as changed (a watcher saw something, or the user asked): the next read lists them again. */
  invalidate(): void {
    this.#stale = true;
  }

  /** While paused (our own run holds the database), polls wait and a failed read is not an outage. */
  pause(paused: boolean): void {
    this.#paused = paused;
  }

  /** The timeline now. `checkFiles` compares the folder's fingerprint (one stat per file) before trusting the cached listing. */
  async read(options: { checkFiles?: boolean } = {}): Promise<Timeline> {
    const applied = await new History(this.db).readApplied();
    let files = this.#files;
    if (this.#stale || !files || options.checkFiles) {
      const fingerprint = await folderFingerprint(this.migrationsDir);
      if (this.#stale || !files || fingerprint !== this.#fingerprint) {
        this.#stale = false;
        files = await listRevisionFiles(this.migrationsDir, appliedUnchanged(applied));
        this.#files = files;
        this.#fingerprint = fingerprint;
      }
    }
    const records = appliedKey(applied);
    if (this.#built?.files === files && this.#built.applied === records) return this.#built.timeline;
    const timeline = buildTimeline(files, applied);
    this.#built = { files, applied: records, timeline, signature: timelineSignature(timeline) };
    return timeline;
  }

  /** Reads now, or right after the read in flight (coalesced); `files` lists the folder again. Resolves when the state is current. */
  refresh(options: { files?: boolean; checkFiles?: boolean } = {}): Promise<void> {
    if (options.files) this.invalidate();
    this.#wanted = { checkFiles: Boolean(options.checkFiles || this.#wanted?.checkFiles) };
    this.#busy ??= (async () => {
      for (let next = this.#wanted; next; next = this.#wanted) {
        this.#wanted = null;
        await this.#readState(next.checkFiles);
      }
      this.#busy = null;
    })();
    return this.#busy;
  }

  /** Hears every visible change; the first subscriber starts the watcher and the poll, the last one stops them. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#stopWatching = this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#stopWatching?.();
        this.#stopWatching = undefined;
      }
    };
  }

  /** Takes a state read elsewhere (the first frame's) as the current one. */
  seed(state: LiveState): void {
    this.#state = state;
    this.#signature = state.timeline ? this.#signatureOf(state.timeline, state.lockHolder) : '';
  }

  /** A stable text for what a person sees of the timeline and the lock (the timeline's part kept with the last one built). */
  #signatureOf(timeline: Timeline, lockHolder: LockHolder | null): string {
    const rows = this.#built?.timeline === timeline ? this.#built.signature : timelineSignature(timeline);
    return `${rows}\n${JSON.stringify(lockHolder)}`;
  }

  async #readState(checkFiles: boolean): Promise<void> {
    try {
      const [timeline, lockHolder] = await Promise.all([this.read({ checkFiles }), readLockHolder(this.db)]);
      const signature = this.#signatureOf(timeline, lockHolder);
      if (signature === this.#signature && !this.#state.error) return;
      this.#signature = signature;
      this.#set({ timeline, lockHolder, error: null });
    } catch (error) {
      // While our own run holds the database, a slow read is not an outage.
      if (this.#paused) return;
      // The reader adds its own context ("cannot read the database: …"); this is the cause, masked.
      const message = maskPasswords(messageLine(error));
      if (this.#state.error !== message) this.#set({ ...this.#state, error: message });
    }
  }

  #set(state: LiveState): void {
    this.#state = state;
    for (const listener of this.#listeners) listener(state);
  }

  #start(): () => void {
    let watcher: FSWatcher | undefined;
    let debounce: NodeJS.Timeout | undefined;
    try {
      watcher = watch(this.migrationsDir, () => {
        this.invalidate();
        clearTimeout(debounce);
        debounce = setTimeout(() => void this.refresh(), WATCH_DEBOUNCE_MS);
      });
      watcher.on('error', () => {
        watcher = undefined;
      });
    } catch {
      watcher = undefined; // No folder yet, or no watcher here: the poll stats the files instead.
    }
    let tick = 0;
    const timer = setInterval(() => {
      if (this.#paused || this.#busy) return;
      tick++;
      void this.refresh({ checkFiles: !watcher || tick % this.#statEvery === 0 });
    }, this.#pollMs);
    if (!this.#state.timeline) void this.refresh({ files: true });
    return () => {
      clearInterval(timer);
      clearTimeout(debounce);
      watcher?.close();
    };
  }
}

/** The applied records as one string: equal when a read found the same rows. */
function appliedKey(applied: AppliedRevision[]): string {
  return applied.map((a) => `${a.name}|${a.appliedAt?.getTime() ?? ''}|${a.checksum ?? ''}`).join('\n');
}

/**
 * Names, sizes and modification times of a folder's entries, as one string; empty when the folder is missing. The
 * stats are synchronous (a fraction of the CPU of a promise each) in small runs, so keys are read between them.
 */
async function folderFingerprint(dir: string): Promise<string> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return '';
  }
  const stats: string[] = [];
  for (let i = 0; i < names.length; i++) {
    if (i > 0 && i % STATS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    try {
      const s = statSync(join(dir, names[i]));
      stats.push(`${names[i]}:${s.size}:${s.mtimeMs}`);
    } catch {
      stats.push(`${names[i]}:gone`);
    }
  }
  return stats.join('\n');
}

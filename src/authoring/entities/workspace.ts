import type { Project, SourceFile } from 'ts-morph';
import type { EntityDraft } from './draft.js';
import { applyChanges, type Change } from './text-edits.js';
import { tsMorph } from './ts-morph.js';
import type { EntityEdit } from './types.js';

const KEPT_PARSED = 16;

/**
 * The project's files in memory while operations edit them one after the other: each change re-parses the
 * file, so the next operation finds its nodes where the previous one left them. A new entity file may be held as a
 * draft, written to text the first time something reads it (or at the end). Nothing touches the disk.
 */
export class Workspace {
  readonly #project: Project;
  #originals?: Project;
  readonly #original = new Map<string, string | null>();
  readonly #current = new Map<string, string | null>();
  /** The files kept parsed, least recently used first: a spec that touches a thousand files keeps a few trees, not all. */
  readonly #parsed = new Set<string>();
  readonly #drafts = new Map<string, EntityDraft>();
  readonly #facts = new Map<string, { text: string; values: Map<string, unknown> }>();

  constructor(files: Map<string, string>) {
    this.#project = new (tsMorph().Project)({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
    for (const [path, text] of files) {
      this.#original.set(path, text);
      this.#current.set(path, text);
    }
  }

  /** Whether the file exists as the edits so far leave it. */
  has(path: string): boolean {
    return this.#drafts.has(path) || this.#current.get(path) != null;
  }

  /** Every file held as text (drafts of new files left out: reading one would write it out). */
  paths(): string[] {
    return [...this.#current.keys()].filter((path) => this.#current.get(path) != null);
  }

  /** The draft of a new file that nothing has read as text yet. */
  draft(path: string): EntityDraft | undefined {
    return this.#drafts.get(path);
  }

  /** Writes a draft to text: from here on its file is edited as any other. */
  writeDraft(path: string): void {
    const draft = this.#drafts.get(path);
    if (!draft) return;
    this.#drafts.delete(path);
    this.#current.set(path, draft.text());
  }

  /** Whether the file is as it was read: no edit so far touched it. */
  unchanged(path: string): boolean {
    this.writeDraft(path);
    return this.#original.get(path) === this.#current.get(path);
  }

  /** The file, parsed as it was read. */
  original(path: string): SourceFile {
    const text = this.#original.get(path);
    if (text == null) throw new Error(`entity edits: ${path} was not read`);
    this.#originals ??= new (tsMorph().Project)({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
    return this.#originals.getSourceFile(path) ?? this.#originals.createSourceFile(path, text);
  }

  /** The file, parsed as the edits so far leave it. */
  file(path: string): SourceFile {
    this.writeDraft(path);
    const text = this.#current.get(path);
    if (text == null) throw new Error(`entity edits: ${path} is not part of the project's entity files`);
    this.#parsed.delete(path);
    this.#parsed.add(path);
    const parsed = this.#project.getSourceFile(path);
    if (parsed && parsed.getFullText() === text) return parsed;
    if (this.#parsed.size > KEPT_PARSED) {
      const [oldest] = this.#parsed;
      this.#parsed.delete(oldest);
      const old = this.#project.getSourceFile(oldest);
      if (old) this.#project.removeSourceFile(old);
    }
    return this.#project.createSourceFile(path, text, { overwrite: true });
  }

  /** What `read` finds in the file, read again only once the file's text changes (a neighbour's style, per new table). */
  fact<T>(path: string, key: string, read: (file: SourceFile) => T): T {
    const file = this.file(path);
    const text = this.#current.get(path)!;
    const kept = this.#facts.get(path);
    const known = kept?.text === text ? kept : { text, values: new Map<string, unknown>() };
    this.#facts.set(path, known);
    if (!known.values.has(key)) known.values.set(key, read(file));
    return known.values.get(key) as T;
  }

  change(path: string, changes: Change[]): void {
    if (changes.length === 0) return;
    this.#current.set(path, applyChanges(this.file(path).getFullText(), changes));
  }

  create(path: string, text: string | EntityDraft): void {
    if (!this.#original.has(path)) this.#original.set(path, null);
    this.#drafts.delete(path);
    if (typeof text === 'string') this.#current.set(path, text);
    else {
      this.#current.set(path, null);
      this.#drafts.set(path, text);
    }
  }

  delete(path: string): void {
    this.#drafts.delete(path);
    this.#current.set(path, null);
  }

  /** Every file whose text differs from what was read, in the order first read or created. */
  edits(): EntityEdit[] {
    const edits: EntityEdit[] = [];
    for (const path of [...this.#drafts.keys()]) this.writeDraft(path);
    for (const [path, before] of this.#original) {
      const after = this.#current.get(path) ?? null;
      if (before !== after) edits.push({ path, before, after });
    }
    return edits;
  }
}

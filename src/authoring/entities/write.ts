import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode, MigrateUiError } from '../../core/errors.js';
import type { EntityEdit } from './types.js';

/** An entity file changed on disk between planning its edits and writing them. */
export class StaleEntityFilesError extends MigrateUiError {
  constructor(readonly paths: string[]) {
    super(`entity files changed since they were read: ${paths.join(', ')}`, ExitCode.usage, 'Create the revision again; nothing was written.');
  }
}

/** Writes planned edits: new and changed files written, deleted ones removed. A file changed since it was read is left alone. */
export function writeEntityEdits(edits: EntityEdit[]): void {
  const current = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : null);
  const stale = edits.filter((e) => current(e.path) !== e.before);
  if (stale.length > 0) throw new StaleEntityFilesError(stale.map((e) => e.path));
  const folders = new Set<string>();
  for (const edit of edits) {
    if (edit.after === null) rmSync(edit.path, { force: true });
    else {
      // A thousand new entities share a folder or two: each is made once.
      if (!folders.has(dirname(edit.path))) mkdirSync(dirname(edit.path), { recursive: true });
      folders.add(dirname(edit.path));
      writeFileSync(edit.path, edit.after);
    }
  }
}

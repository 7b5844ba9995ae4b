import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CheckCache, fingerprint } from './check-cache.js';
import type { LintShapes } from './lint/shapes.js';
import { checksumOf } from './revisions.js';
import type { Revision } from './timeline.js';
import type { Dialect } from './url.js';

/**
 * The lint of the revisions still to run (pending) or edited since they ran (modified), by name: each file read as
 * text, never imported. Applied revisions are left out: what they risked is done, and a long history stays quick.
 * A text linted before by the same lint code is not linted again (see CheckCache). `shapes` loads the operation
 * calls' lint shapes (the operation table's), asked only when a text is linted. A pending revision from a merged
 * branch also warns of each applied revision of the other branch that touches one of its tables.
 */
export async function revisionWarnings(revisions: Revision[], dialect: Dialect, shapes: () => Promise<LintShapes>): Promise<Map<string, string[]>> {
  const warnings = new Map<string, string[]>();
  const caches = new Set<CheckCache>();
  for (const revision of revisions) {
    if (!revision.path || (revision.status !== 'pending' && revision.status !== 'modified')) continue;
    // Read (the lint's whole code, hashed) only where a revision asks: a history with nothing pending never pays.
    const version = lintVersion();
    let source: string;
    try {
      source = readFileSync(revision.path, 'utf8');
    } catch {
      // A file that vanished since the listing has no warnings to give.
      continue;
    }
    const cache = version === undefined ? undefined : CheckCache.of(dirname(revision.path));
    const key = `lint/${version}/${dialect}/${checksumOf(source)}`;
    const known = cache?.get(key);
    if (Array.isArray(known) && known.every((w) => typeof w === 'string')) warnings.set(revision.name, known);
    else {
      // The lint (and the SQL reader under it) loads for a text it never saw.
      const [{ lintSource }, lintShapes] = await Promise.all([import('./lint/source.js'), shapes()]);
      const found = lintSource(source, dialect, lintShapes).map((w) => w.message);
      cache?.set(key, found);
      warnings.set(revision.name, found);
    }
    if (cache) caches.add(cache);
  }
  for (const cache of caches) cache.save();
  // Read afresh each time: they depend on the other branch's files and on what is applied, not on one text.
  if (revisions.some((r) => r.outOfOrder)) {
    const [{ mergedBranchWarnings }, lintShapes] = await Promise.all([import('./lint/merged-branch.js'), shapes()]);
    for (const [name, found] of mergedBranchWarnings(revisions, dialect, lintShapes)) warnings.set(name, [...(warnings.get(name) ?? []), ...found]);
  }
  return warnings;
}

let lintCode: string | null | undefined;

/**
 * The lint's own code (lint/, sql/ and the operations' entries, as they are on disk): a change to any rule is a new version. Undefined
 * where it cannot be read (then nothing is cached).
 */
function lintVersion(): string | undefined {
  if (lintCode === undefined) {
    try {
      const extension = import.meta.url.slice(import.meta.url.lastIndexOf('.'));
      // The operations' lint shapes are in their entries (authoring/ops).
      const dirs = ['lint/', 'sql/', '../authoring/ops/'].map((dir) => new URL(dir, import.meta.url));
      const files = dirs.flatMap((dir) =>
        readdirSync(dir)
          .filter((name) => name.endsWith(extension))
          .sort()
          .map((name) => readFileSync(new URL(name, dir), 'utf8')),
      );
      lintCode = fingerprint(files.join('\0'));
    } catch {
      lintCode = null;
    }
  }
  return lintCode ?? undefined;
}

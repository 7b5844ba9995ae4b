import { readFileSync } from 'node:fs';
import { lintSource } from './lint-source.js';
import type { Revision } from './timeline.js';
import type { Dialect } from './url.js';

/**
 * The lint of the revisions still to run (pending) or edited since they ran (modified), by name: each file read as
 * text, never imported. Applied revisions are left out: what they risked is done, and a long history stays quick.
 */
export function revisionWarnings(revisions: Revision[], dialect: Dialect): Map<string, string[]> {
  const warnings = new Map<string, string[]>();
  for (const revision of revisions) {
    if (!revision.path || (revision.status !== 'pending' && revision.status !== 'modified')) continue;
    try {
      warnings.set(
        revision.name,
        lintSource(readFileSync(revision.path, 'utf8'), dialect).map((w) => w.message),
      );
    } catch {
      // A file that vanished since the listing has no warnings to give.
    }
  }
  return warnings;
}

import { databaseOf, type Project } from '../project.js';
import { planFor } from '../target.js';
import { isApplied } from '../timeline.js';
import { createScratch, type ScratchOptions } from './scratch.js';
import { compareSnapshots, type SchemaChange, type SchemaSnapshot, takeSnapshot } from './snapshot.js';

/** What `stamp --check` found: the database's schema against the history replayed up to where the stamp leaves it. */
export interface StampCheck {
  /** The revision the history was replayed up to (every revision on disk up to it, in order); null at base. */
  replayedTo: string | null;
  /** The scratch database's name (dropped by now); empty when nothing had to be replayed. */
  scratch: string;
  /** From the replayed history to the database: `added` is only in the database, `removed` is missing from it. */
  differences: SchemaChange[];
  matches: boolean;
  history: SchemaSnapshot;
  database: SchemaSnapshot;
}

export interface StampCheckOptions extends ScratchOptions {
  /** The stamp's TARGET, as `stamp` reads it. */
  target: string;
  unapply?: boolean;
}

/**
 * Whether the database's schema is what replaying the history gives, up to the newest revision recorded as applied
 * once the stamp is written: revisions replayed (up() only) on a scratch database, both introspected and compared as
 * `verify` compares. The project's database is only read.
 */
export async function checkStamp(project: Project, options: StampCheckOptions): Promise<StampCheck> {
  const timeline = await project.timeline();
  const plan = planFor(timeline, options.unapply ? 'down' : 'up', options.target, { recordsOnly: true });
  const planned = new Set(plan.revisions.map((r) => r.name));
  const appliedAfter = (name: string, applied: boolean) => (options.unapply ? applied && !planned.has(name) : applied || planned.has(name));
  const files = timeline.revisions.filter((r) => r.status !== 'missing');
  const last = files.filter((r) => appliedAfter(r.name, isApplied(r))).at(-1);
  const database = await takeSnapshot(databaseOf(project));
  let history: SchemaSnapshot = {};
  let scratchName = '';
  if (last) {
    const scratch = await createScratch(project, options);
    scratchName = scratch.name;
    try {
      const result = await scratch.project.runner().run({ direction: 'up', target: last.name });
      if (result.failed) throw result.failed;
      history = await takeSnapshot(databaseOf(scratch.project));
    } finally {
      await scratch.drop();
    }
  }
  const differences = compareSnapshots(history, database);
  return { replayedTo: last?.name ?? null, scratch: scratchName, differences, matches: differences.length === 0, history, database };
}

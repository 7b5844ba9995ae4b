import type { Database } from '../core/database.js';
import type { AuthoredRevision } from './engine.js';
import type { EntityEdit, EntityOperation, EntityPlan, EntityProject } from './entities/index.js';
import { operationDef } from './ops/index.js';
import type { Step } from './plan.js';

/** An entity file as the revision leaves it: created (before null), changed, or deleted (after null). */
export type EntityChange = EntityEdit;

/** The project's entity files, read and parsed (ts-morph loads here). Nothing is written. */
export async function findProjectEntities(db: Database): Promise<EntityProject> {
  const { findEntities } = await import('./entities/index.js');
  const mikro = db.mikroConfig;
  return findEntities({
    configPath: db.config.configPath,
    projectDir: db.config.projectDir,
    baseDir: mikro.get('baseDir'),
    entities: mikro.get('entities') as unknown[],
    entitiesTs: mikro.get('entitiesTs') as unknown[],
    namingStrategy: mikro.get('namingStrategy'),
    db,
  });
}

/**
 * The edits that make the project's entity files match a revision, planned in memory (nothing is written), and
 * one note for each thing that could not be followed or edited. `found`: the files as read before (the form
 * drafts many times; a file changed on disk since is caught when the edits are written).
 */
export async function entityChanges(revision: AuthoredRevision, undo: AuthoredRevision | undefined, found: EntityProject): Promise<EntityPlan> {
  const { planEntityEdits, toEntityOperation } = await import('./entities/index.js');
  const operations = (steps: Step[]) =>
    steps
      .map((step) => toEntityOperation(step.operation, step.resolved))
      .filter((operation): operation is EntityOperation => operation !== undefined);
  // What an operation's entry says it leaves to the person (the entities cannot say it, or are not edited for it).
  const byHand = revision.steps.flatMap((step) => {
    const note = operationDef(step.operation).entityNote?.(step.operation);
    return note ? [`${step.operation.op}: ${note}`] : [];
  });
  if (!undo) {
    const plan = planEntityEdits(found, operations(revision.steps));
    return { edits: plan.edits, notes: [...found.notes, ...plan.notes, ...byHand] };
  }
  // A rewrite: the files as the old spec leaves them against the files as the new one would, both from the entities
  // before the old spec; only what differs is edited, so what both specs make (a table still created) is not touched.
  const base = undoneEntityOperations(undo.steps);
  const before = planEntityEdits(found, [...base, ...operations(undo.steps)]);
  const after = planEntityEdits(found, [...base, ...operations(revision.steps)]);
  return { edits: differences(found, before.edits, after.edits), notes: [...found.notes, ...after.notes, ...byHand] };
}

/** The edits from the files as read to `after`, for the files where `after` differs from `before` (both planned from what was read). */
function differences(found: EntityProject, before: EntityEdit[], after: EntityEdit[]): EntityEdit[] {
  const planned = (edits: EntityEdit[], path: string) => {
    const edit = edits.find((e) => e.path === path);
    return edit ? edit.after : (found.files.get(path) ?? null);
  };
  const paths = [...new Set([...before, ...after].map((e) => e.path))];
  return paths
    .filter((path) => planned(before, path) !== planned(after, path))
    .map((path) => ({ path, before: found.files.get(path) ?? null, after: planned(after, path) }))
    .filter((edit) => edit.before !== edit.after);
}

/** Writes the planned edits; a file changed on disk since it was read stops everything before any write. */
export async function writeEntityChanges(edits: EntityChange[]): Promise<void> {
  if (edits.length === 0) return;
  const { writeEntityEdits } = await import('./entities/index.js');
  writeEntityEdits(edits);
}

/**
 * The entity operations that take back what a written revision's steps did to the entities, last step first: the form
 * rewrites a pending revision it wrote from the entities as they were before it. A foreign key's relation stays.
 */
export function undoneEntityOperations(steps: Step[]): EntityOperation[] {
  return steps
    .toReversed()
    .map((step) => operationDef(step.operation).undoEntity?.(step.operation, step.resolved))
    .filter((operation): operation is EntityOperation => operation !== undefined);
}

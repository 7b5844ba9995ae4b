import type { Project } from '../core/project.js';
import type { AuthoredRevision } from './engine.js';
import type { EntityEdit, EntityOperation, EntityPlan } from './entities/index.js';

/** An entity file as the revision leaves it: created (before null), changed, or deleted (after null). */
export type EntityChange = EntityEdit;

/**
 * The edits that make the project's entity files match a revision, planned in memory (nothing is written), and
 * one note for each thing that could not be followed or edited. The editor, and ts-morph with it, loads here.
 */
export async function entityChanges(project: Project, revision: AuthoredRevision): Promise<EntityPlan> {
  const { findEntities, planEntityEdits, toEntityOperation } = await import('./entities/index.js');
  const mikro = project.db.mikroConfig;
  const entities = findEntities({
    configPath: project.config.configPath,
    projectDir: project.config.projectDir,
    baseDir: mikro.get('baseDir'),
    entities: mikro.get('entities') as unknown[],
    entitiesTs: mikro.get('entitiesTs') as unknown[],
    namingStrategy: mikro.get('namingStrategy'),
  });
  const operations = revision.steps
    .map((step) => toEntityOperation(step.operation, step.resolved))
    .filter((operation): operation is EntityOperation => operation !== undefined);
  const plan = planEntityEdits(entities, operations);
  return { edits: plan.edits, notes: [...entities.notes, ...plan.notes] };
}

/** Writes the planned edits; a file changed on disk since it was read stops everything before any write. */
export async function writeEntityChanges(edits: EntityChange[]): Promise<void> {
  if (edits.length === 0) return;
  const { writeEntityEdits } = await import('./entities/index.js');
  writeEntityEdits(edits);
}

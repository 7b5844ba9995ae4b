// The entity editor: the edits to a MikroORM project's entity files that make them match a revision.
// ts-morph loads on the first call (src/authoring/entities/ts-morph.ts), so importing this costs nothing at start-up.

export { type FindEntitiesInput, findEntities } from './find.js';
export { planEntityEdits } from './plan.js';
export { toEntityOperation } from './resolve.js';
export type { EntityEdit, EntityOperation, EntityPlan, EntityProject, EntityRegistry, EntitySource, EntityStyle, Naming } from './types.js';
export { writeEntityEdits } from './write.js';

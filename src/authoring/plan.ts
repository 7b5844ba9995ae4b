import { type Operation, planOne } from './ops/index.js';
import { type IndexNamer, PlanError, WorkingSchema } from './ops/schema.js';
import type { SchemaSnapshot } from './snapshot.js';
import type { Step } from './ops/types.js';

export { columnFromLive, type IndexNamer, MAX_IDENTIFIER, PlanError } from './ops/schema.js';
export type { Call, Resolved, Step } from './ops/types.js';

/** Resolves every operation of the spec into the calls of up() and down(), against the live schema. */
export function planSteps(operations: Operation[], snapshot: SchemaSnapshot, names: IndexNamer): Step[] {
  const schema = new WorkingSchema(snapshot);
  const steps = operations.map((operation, index) => planOne(operation, index, schema, names));
  // Backfills are the steps of one DataMigration: schema operations run before the first or after the last.
  const first = operations.findIndex((o) => o.op === 'backfill');
  const last = operations.findLastIndex((o) => o.op === 'backfill');
  const between = operations.findIndex((o, i) => i > first && i < last && o.op !== 'backfill');
  if (first >= 0 && between >= 0) {
    throw new PlanError(
      between,
      'op',
      `${operations[between].op} between two backfills cannot run there: move it before the first backfill or after the last`,
    );
  }
  return steps;
}

/** The schema as it is after the operations (a pending revision's spec): what a later revision is written against. */
export function schemaAfter(operations: Operation[], snapshot: SchemaSnapshot, names: IndexNamer): SchemaSnapshot {
  const schema = new WorkingSchema(snapshot);
  for (const [index, operation] of operations.entries()) planOne(operation, index, schema, names);
  return { ...snapshot, tables: schema.tables };
}

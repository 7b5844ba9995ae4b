import { type Operation, planOne } from './ops/index.js';
import { type IndexNamer, PlanError, WorkingSchema } from './ops/schema.js';
import type { SchemaSnapshot } from './snapshot.js';
import type { Step } from './ops/types.js';
import type { ForeignKeyCall, ForeignKeyOptions } from './op/operations.js';

export { columnFromLive, type IndexNamer, MAX_IDENTIFIER, PlanError } from './ops/schema.js';
export type { Call, Resolved, Step } from './ops/types.js';

/** Resolves every operation of the spec into the calls of up() and down(), against the live schema. */
export function planSteps(operations: Operation[], snapshot: SchemaSnapshot, names: IndexNamer): Step[] {
  const schema = new WorkingSchema(snapshot);
  const steps = foldForeignKeys(operations.map((operation, index) => planOne(operation, index, schema, names)));
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

/**
 * A new table's foreign keys, added right after it (the form's "references" on a column), go into its createTable
 * call: SQLite then writes them in its CREATE TABLE instead of rebuilding the table it just made, and dropping the
 * table in down() takes them away. The steps keep their operations (the spec, the entities); only the calls move.
 */
function foldForeignKeys(steps: Step[]): Step[] {
  for (const [i, step] of steps.entries()) {
    const created = step.up[0];
    if (step.operation.op !== 'createTable' || step.up.length !== 1 || created.method !== 'createTable') continue;
    const table = step.operation.table;
    const foreignKeys: ForeignKeyCall[] = [];
    for (const next of steps.slice(i + 1)) {
      const [added] = next.up;
      if (next.operation.op !== 'addForeignKey' || next.operation.table !== table || next.up.length !== 1 || added.method !== 'addForeignKey') break;
      const [, columns, references, options] = added.args as [string, string[], ForeignKeyCall['references'], ForeignKeyOptions?];
      foreignKeys.push({ columns, references, ...options });
      next.up = [];
      next.down = [];
    }
    if (foreignKeys.length > 0) step.up = [{ method: 'createTable', args: [...created.args.slice(0, 2), { foreignKeys }] }];
  }
  return steps;
}

/** The schema as it is after the operations (a pending revision's spec): what a later revision is written against. */
export function schemaAfter(operations: Operation[], snapshot: SchemaSnapshot, names: IndexNamer): SchemaSnapshot {
  const schema = new WorkingSchema(snapshot);
  for (const [index, operation] of operations.entries()) planOne(operation, index, schema, names);
  return { ...snapshot, tables: schema.tables };
}

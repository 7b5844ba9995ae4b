// The operation table: every operation of the spec, each entry holding all about it (shape, schema change, up/down,
// entity edit, lint shape, form). Adding an operation is one file here and one line below.
import { addCheck } from './add-check.js';
import { addColumn } from './add-column.js';
import { addForeignKey } from './add-foreign-key.js';
import { alterColumn } from './alter-column.js';
import { backfill } from './backfill.js';
import { createIndex } from './create-index.js';
import { createTable } from './create-table.js';
import { dropCheck } from './drop-check.js';
import { dropColumn } from './drop-column.js';
import { dropForeignKey } from './drop-foreign-key.js';
import { dropIndex } from './drop-index.js';
import { dropTable } from './drop-table.js';
import { renameColumn } from './rename-column.js';
import { renameIndex } from './rename-index.js';
import { renameTable } from './rename-table.js';
import { type IndexNamer, MAX_IDENTIFIER, PlanError, type WorkingSchema } from './schema.js';
import { sql } from './sql.js';
import type { OperationDef, Step } from './types.js';

/** In the order the form's menu lists them (the later additions last, where the keys that reach the others stay as they were). */
export const OPERATIONS = {
  createTable,
  addColumn,
  alterColumn,
  renameColumn,
  dropColumn,
  createIndex,
  dropIndex,
  addForeignKey,
  renameTable,
  dropTable,
  sql,
  backfill,
  renameIndex,
  dropForeignKey,
  addCheck,
  dropCheck,
};

type SpecOf<D> = D extends OperationDef<infer S> ? S : never;
type Table = typeof OPERATIONS;

/** One operation of the spec (DESIGN §5), as its entry in the table defines it. */
export type Operation = { [K in keyof Table]: SpecOf<Table[K]> }[keyof Table];
export type OperationName = keyof Table;

// Each entry is keyed by its own operation's name.
type KeyedByOwnName = { [K in keyof Table]: SpecOf<Table[K]>['op'] extends K ? true : never };
const keyed: KeyedByOwnName = Object.fromEntries(Object.keys(OPERATIONS).map((k) => [k, true])) as KeyedByOwnName;
void keyed;

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];

/** The entry of an operation (typed for the operation's own spec). */
export function operationDef<O extends Operation>(operation: O): OperationDef<O> {
  return OPERATIONS[operation.op as OperationName] as unknown as OperationDef<O>;
}

/** Resolves one operation against the working schema, changing it as the database will be changed. */
export function planOne(operation: Operation, index: number, schema: WorkingSchema, names: IndexNamer): Step {
  const derived = (field: string, name: string, advice: string) => {
    if (name.length <= MAX_IDENTIFIER) return name;
    throw new PlanError(
      index,
      field,
      `the name ${name.slice(0, 30)}… derived for it is ${name.length} characters, over PostgreSQL's ${MAX_IDENTIFIER}; ${advice}`,
    );
  };
  const def = operationDef(operation);
  const normal = def.normalize?.(operation) ?? operation;
  const planned = def.plan(normal, { index, schema, names, derived });
  return { index, operation: normal, up: planned.up, down: planned.down, resolved: planned.resolved ?? { op: 'none' } };
}

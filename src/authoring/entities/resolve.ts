import { operationDef } from '../ops/index.js';
import type { Resolved } from '../ops/types.js';
import type { Operation } from '../spec.js';
import type { EntityOperation } from './types.js';

/** The entity operation for a spec operation and what the live schema resolved for it; undefined for `sql` and `backfill`. */
export function toEntityOperation(operation: Operation, resolved: Resolved): EntityOperation | undefined {
  return operationDef(operation).entity?.(operation, resolved);
}

import type { ColumnSpec, Operation } from '../spec.js';
import type { EntityOperation } from './types.js';

/** What resolving an operation against the live schema adds (the authoring plan's `Resolved`, as far as entities need it). */
export type ResolvedForEntities =
  | { op: 'alterColumn'; before: ColumnSpec; after: ColumnSpec }
  | { op: 'createIndex' | 'dropIndex'; name: string; columns: string[]; unique: boolean }
  | { op: 'addForeignKey'; name: string }
  | { op: string };

/** The entity operation for a spec operation and what the live schema resolved for it; undefined for `sql` and `backfill`. */
export function toEntityOperation(operation: Operation, resolved: ResolvedForEntities): EntityOperation | undefined {
  switch (operation.op) {
    case 'alterColumn': {
      if (!('after' in resolved)) return undefined;
      return { op: 'alterColumn', table: operation.table, column: resolved.after, before: resolved.before };
    }
    case 'createIndex':
    case 'dropIndex': {
      if (!('columns' in resolved)) return undefined;
      return { op: operation.op, table: operation.table, name: resolved.name, columns: resolved.columns, unique: resolved.unique };
    }
    case 'addForeignKey': {
      if (!('name' in resolved)) return undefined;
      const { op, table, columns, references, onDelete, onUpdate } = operation;
      return { op, table, columns, references, onDelete, onUpdate, name: resolved.name };
    }
    case 'sql':
    case 'backfill':
      return undefined;
    default:
      return operation;
  }
}

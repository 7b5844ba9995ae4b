import { shown, TABLE_FIELD, tableOf, text } from './form.js';
import { PlanError } from './schema.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) => k.z.strictObject({ op: k.z.literal('dropIndex'), table: s.name(k), name: s.name(k) });
export type DropIndex = s.SpecOf<typeof spec>;

export const dropIndex: OperationDef<DropIndex> = {
  spec,
  menu: 'drop an index',
  plan(operation, { schema, index }) {
    const table = schema.table(index, operation.table);
    const found = table.indexes.find((i) => i.name === operation.name);
    if (!found) throw new PlanError(index, 'name', `table ${operation.table} has no index ${operation.name}`);
    table.indexes = table.indexes.filter((i) => i !== found);
    return {
      up: [call('dropIndex', operation.table, found.name, found.constraint ? { unique: true } : undefined)],
      down: [call('createIndex', operation.table, found.columns, { name: found.name, unique: found.unique || undefined })],
      resolved: { op: 'dropIndex', name: found.name, columns: found.columns, unique: found.unique },
    };
  },
  entity: (o, r) => (r.op === 'dropIndex' ? { op: 'dropIndex', table: o.table, name: r.name, columns: r.columns, unique: r.unique } : undefined),
  undoEntity: (o, r) =>
    r.op === 'dropIndex' ? { op: 'createIndex', table: o.table, name: r.name, columns: r.columns, unique: r.unique } : undefined,
  form: {
    fields: [TABLE_FIELD, { key: 'name', label: 'index', kind: 'choice', choices: (ctx) => ctx.schema.indexNames(text(ctx.values.table)) }],
    toSpec: (v) => ({ op: 'dropIndex', table: text(v.table).trim(), name: text(v.name) }),
    fromSpec: (o) => ({ kind: o.op, values: { table: o.table, name: o.name } }),
    summary: (v) => `dropIndex ${shown(v.name)} on ${tableOf(v)}`,
  },
  lint: {
    dropIndex: ([table, name], sql) => {
      if (typeof table !== 'string' || typeof name !== 'string') return undefined;
      return [sql.family === 'mysql' ? `alter table ${sql.quote(table)} drop index ${sql.quote(name)}` : `drop index ${sql.quote(name)}`];
    },
  },
};

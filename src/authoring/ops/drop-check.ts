import { shown, TABLE_FIELD, tableOf, text } from './form.js';
import { PlanError } from './schema.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) => k.z.strictObject({ op: k.z.literal('dropCheck'), table: s.name(k), name: s.name(k) });
export type DropCheck = s.SpecOf<typeof spec>;

export const dropCheck: OperationDef<DropCheck> = {
  spec,
  menu: 'drop a check',
  // down() adds it again with the condition the database has.
  plan(operation, { schema, index }) {
    const table = schema.table(index, operation.table);
    const found = table.checks?.find((c) => c.name === operation.name);
    if (!found) throw new PlanError(index, 'name', `table ${operation.table} has no check ${operation.name}`);
    table.checks = table.checks?.filter((c) => c !== found);
    return {
      up: [call('dropCheck', operation.table, found.name)],
      down: [call('addCheck', operation.table, found.name, found.expression)],
    };
  },
  entityNote: (o) => `where the entity of ${o.table} declares the check ${o.name}, remove it there by hand`,
  form: {
    fields: [TABLE_FIELD, { key: 'name', label: 'check', kind: 'choice', choices: (ctx) => ctx.schema.checkNames(text(ctx.values.table)) }],
    toSpec: (v) => ({ op: 'dropCheck', table: text(v.table).trim(), name: text(v.name) }),
    fromSpec: (o) => ({ kind: o.op, values: { table: o.table, name: o.name } }),
    summary: (v) => `dropCheck ${shown(v.name)} on ${tableOf(v)}`,
  },
  lint: {
    dropCheck: ([table, name], sql) => {
      if (typeof table !== 'string' || typeof name !== 'string') return undefined;
      return sql.family === 'sqlite' ? sql.rebuild(table) : [`alter table ${sql.quote(table)} drop constraint ${sql.quote(name)}`];
    },
  },
};

import { shown, TABLE_FIELD, tableOf, text } from './form.js';
import { PlanError } from './schema.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) =>
  k.z.strictObject({
    op: k.z.literal('addCheck'),
    table: s.name(k),
    name: s.name(k, true),
    expression: s.expression(k).describe('a condition every row must meet, in SQL: price >= 0'),
  });
export type AddCheck = s.SpecOf<typeof spec>;

export const addCheck: OperationDef<AddCheck> = {
  spec,
  menu: 'a check every row must meet (price >= 0)',
  plan(operation, { schema, index }) {
    const table = schema.table(index, operation.table);
    // MySQL names checks once per database.
    if ([...schema.tables.values()].some((t) => t.checks?.some((c) => c.name === operation.name)))
      throw new PlanError(index, 'name', `a check named ${operation.name} already exists`);
    table.checks = [...(table.checks ?? []), { name: operation.name, expression: operation.expression }];
    return {
      up: [call('addCheck', operation.table, operation.name, operation.expression)],
      down: [call('dropCheck', operation.table, operation.name)],
    };
  },
  entityNote: (o) => `the entity of ${o.table} does not declare the check ${o.name}; add @Check (or checks) there by hand`,
  form: {
    fields: [
      TABLE_FIELD,
      { key: 'name', label: 'name', kind: 'text', placeholder: 'a new check name, e.g. features_price_check' },
      { key: 'expression', label: 'expression', kind: 'text', placeholder: 'an SQL condition, e.g. price >= 0' },
    ],
    toSpec: (v) => ({ op: 'addCheck', table: text(v.table).trim(), name: text(v.name).trim(), expression: text(v.expression) }),
    fromSpec: (o) => ({ kind: o.op, values: { table: o.table, name: o.name, expression: o.expression } }),
    summary: (v) => `addCheck ${tableOf(v)} ${shown(v.name)} (${shown(v.expression)})`,
  },
  lint: {
    addCheck: ([table, name, expression], sql) => {
      if (typeof table !== 'string' || typeof name !== 'string') return undefined;
      if (sql.family === 'sqlite') return sql.rebuild(table);
      return [`alter table ${sql.quote(table)} add constraint ${sql.quote(name)} check (${typeof expression === 'string' ? expression : 'true'})`];
    },
  },
};

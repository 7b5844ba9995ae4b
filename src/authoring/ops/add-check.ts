import { shown, TABLE_FIELD, tableOf, text } from './form.js';
import { PlanError } from './schema.js';
import { call, type OperationDef } from './types.js';

export interface AddCheck {
  op: 'addCheck';
  table: string;
  name: string;
  /** A condition every row must meet, in SQL: `price >= 0`. */
  expression: string;
}

export const addCheck: OperationDef<AddCheck> = {
  fields: ['table', 'name', 'expression'],
  menu: 'a check every row must meet (price >= 0)',
  shape({ operation, name, expression }) {
    name('table');
    name('name', true);
    expression('expression', operation.expression);
  },
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

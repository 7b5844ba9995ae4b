import { COLUMNS, renameInTableForm, shown, tableOf } from './form.js';
import { PlanError } from './schema.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) => s.renameInTable(k, 'renameColumn');
export type RenameColumn = s.SpecOf<typeof spec>;

export const renameColumn: OperationDef<RenameColumn> = {
  spec,
  menu: 'rename a column',
  plan(operation, { schema, index }) {
    const live = schema.column(index, operation.table, operation.from, 'from');
    const table = schema.table(index, operation.table);
    if (table.columns.some((c) => c.name === operation.to))
      throw new PlanError(index, 'to', `table ${operation.table} already has a column ${operation.to}`);
    live.name = operation.to;
    for (const i of table.indexes) i.columns = i.columns.map((c) => (c === operation.from ? operation.to : c));
    return {
      up: [call('renameColumn', operation.table, operation.from, operation.to)],
      down: [call('renameColumn', operation.table, operation.to, operation.from)],
    };
  },
  entity: (o) => o,
  undoEntity: (o) => ({ op: 'renameColumn', table: o.table, from: o.to, to: o.from }),
  form: {
    ...renameInTableForm('renameColumn', { key: 'from', label: 'column', kind: 'choice', choices: COLUMNS }, 'the new column name'),
    summary: (v) => `renameColumn ${tableOf(v)}.${shown(v.from)} → ${shown(v.to)}`,
  },
  lint: {
    renameColumn: ([table, from, to], sql) =>
      typeof table === 'string' && typeof from === 'string' && typeof to === 'string'
        ? [`alter table ${sql.quote(table)} rename column ${sql.quote(from)} to ${sql.quote(to)}`]
        : undefined,
  },
};

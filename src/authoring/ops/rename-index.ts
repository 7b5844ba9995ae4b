import { renameInTableForm, shown, tableOf, text } from './form.js';
import { PlanError } from './schema.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) => s.renameInTable(k, 'renameIndex');
export type RenameIndex = s.SpecOf<typeof spec>;

export const renameIndex: OperationDef<RenameIndex> = {
  spec,
  menu: 'rename an index',
  plan(operation, { schema, index }) {
    const table = schema.table(index, operation.table);
    const found = table.indexes.find((i) => i.name === operation.from);
    if (!found) throw new PlanError(index, 'from', `table ${operation.table} has no index ${operation.from}`);
    // PostgreSQL and SQLite name indexes once per schema.
    if ([...schema.tables.values()].some((t) => t.indexes.some((i) => i.name === operation.to)))
      throw new PlanError(index, 'to', `an index named ${operation.to} already exists`);
    found.name = operation.to;
    // SQLite makes it again under the new name: the call says what it is made of.
    const made = { columns: found.columns, unique: found.unique || undefined };
    return {
      up: [call('renameIndex', operation.table, operation.from, operation.to, made)],
      down: [call('renameIndex', operation.table, operation.to, operation.from, made)],
    };
  },
  entityNote: (o) => `an index ${o.from} the entity of ${o.table} names is now ${o.to}; rename it there by hand`,
  form: {
    ...renameInTableForm(
      'renameIndex',
      { key: 'from', label: 'index', kind: 'choice', choices: (ctx) => ctx.schema.indexNames(text(ctx.values.table)) },
      'the new index name',
    ),
    summary: (v) => `renameIndex ${shown(v.from)} → ${shown(v.to)} on ${tableOf(v)}`,
  },
  lint: {
    renameIndex: ([table, from, to, options], sql) => {
      if (typeof table !== 'string' || typeof from !== 'string' || typeof to !== 'string') return undefined;
      if (sql.family === 'mysql') return [`alter table ${sql.quote(table)} rename index ${sql.quote(from)} to ${sql.quote(to)}`];
      if (sql.family === 'postgresql') return [`alter index ${sql.quote(from)} rename to ${sql.quote(to)}`];
      const made = sql.isFields(options) ? options : {};
      return [`drop index ${sql.quote(from)}`, ...sql.index(table, sql.names(made.columns) ?? '', { name: to, unique: made.unique ?? false })];
    },
  },
};

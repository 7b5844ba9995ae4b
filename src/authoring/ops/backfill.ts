import { optional, records, TABLE_FIELD, tableOf, text } from './form.js';
import { call, type OperationDef } from './types.js';

export interface Backfill {
  op: 'backfill';
  table: string;
  set: Record<string, string>;
  where?: string;
  key?: string;
}

export const backfill: OperationDef<Backfill> = {
  fields: ['table', 'set', 'where', 'key'],
  menu: 'set columns of existing rows, in batches',
  shape({ operation, problem, name, identifier, expression }) {
    name('table');
    if (operation.key !== undefined) name('key');
    if (!operation.set || typeof operation.set !== 'object' || Object.keys(operation.set).length === 0)
      problem('set', 'set { column: SQL expression } is needed');
    else
      for (const [column, value] of Object.entries(operation.set as Record<string, unknown>)) {
        const found = identifier(column);
        if (found) problem(`set.${column}`, found);
        else expression(`set.${column}`, value);
      }
    if (operation.where !== undefined) expression('where', operation.where);
  },
  // A backfill walks its table by key: a step that sets the key moves rows under the walk (and a key is never backfilled).
  check(o, { schema }) {
    const key = o.key
      ? [o.key]
      : (schema.tables
          .get(o.table)
          ?.columns.filter((c) => c.primary)
          .map((c) => c.name) ?? []);
    return Object.keys(o.set)
      .filter((column) => key.includes(column))
      .map((column): [string, string] => [`set.${column}`, `${column} is the key the backfill walks ${o.table} by; a backfill cannot set it`]);
  },
  plan(operation, { schema, index }) {
    for (const column of Object.keys(operation.set)) schema.column(index, operation.table, column, 'set');
    return { up: [call('backfill', operation.table, operation.set, { where: operation.where, key: operation.key })], down: [] };
  },
  form: {
    fields: [
      TABLE_FIELD,
      { key: 'set', label: 'set', kind: 'list', of: 'assignment' },
      { key: 'where', label: 'where', kind: 'text', placeholder: 'optional, e.g. slug is null' },
    ],
    toSpec: (v) => {
      const set = Object.fromEntries(records(v.set).map((a) => [text(a.values.column), text(a.values.expression)]));
      return { op: 'backfill', table: text(v.table).trim(), set, where: optional(v.where) };
    },
    fromSpec: (o) => ({
      kind: o.op,
      values: {
        table: o.table,
        set: Object.entries(o.set).map(([c, e]) => ({ kind: 'assignment' as const, values: { column: c, expression: e } })),
        where: o.where ?? '',
      },
    }),
    summary: (v) =>
      `backfill ${tableOf(v)} set ${
        records(v.set)
          .map((a) => text(a.values.column) || '…')
          .join(', ') || '…'
      }`,
  },
  lint: {
    backfill: ([table, set, options], sql) => {
      if (typeof table !== 'string') return undefined;
      const columns = sql.isFields(set) ? Object.keys(set) : [];
      const where = sql.isFields(options) && typeof options.where === 'string' ? ' where true' : '';
      return columns.length
        ? [`update ${sql.quote(table)} set ${columns.map((c) => `${sql.quote(c)} = ${sql.quote(c)}`).join(', ')}${where}`]
        : undefined;
    },
  },
};

import { optional, records, TABLE_FIELD, tableOf, text } from './form.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) =>
  k.z.strictObject({
    op: k.z.literal('backfill'),
    table: s.name(k),
    set: k.z
      .record(k.z.string(), s.expression(k), { error: 'set { column: SQL expression } is needed' })
      .superRefine((set, ctx) => {
        if (Object.keys(set).length === 0) ctx.addIssue({ code: 'custom', message: 'set { column: SQL expression } is needed', input: set });
        for (const column of Object.keys(set)) {
          const found = s.identifierProblem(column, false);
          if (found) ctx.addIssue({ code: 'custom', path: [column], message: found, input: set });
        }
      })
      .describe('{ column: SQL expression }, set on every row the backfill walks'),
    where: s.expression(k).optional(),
    key: s.name(k).optional(),
  });
export type Backfill = s.SpecOf<typeof spec>;

export const backfill: OperationDef<Backfill> = {
  spec,
  menu: 'set columns of existing rows, in batches',
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

import { COLUMNS_FIELD, list, OPTIONAL_NAME_FIELD, optional, TABLE_FIELD, tableOf, text, YES_NO, yes } from './form.js';
import { GIVE_NAME } from './shared.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) =>
  k.z.strictObject({
    op: k.z.literal('createIndex'),
    table: s.name(k),
    columns: s.names(k),
    unique: k.z.boolean({ error: 'true or false' }).optional(),
    name: s.name(k, true).optional(),
  });
export type CreateIndex = s.SpecOf<typeof spec>;

export const createIndex: OperationDef<CreateIndex> = {
  spec,
  menu: 'an index on one or more columns',
  creates: (o) => (o.name ? { thing: `index ${o.name}`, field: 'name' } : undefined),
  check: (o, { snapshot }) =>
    o.name && [...snapshot.tables.values()].some((t) => t.indexes.some((i) => i.name === o.name))
      ? [['name', `an index named ${o.name} already exists`]]
      : [],
  plan(operation, { schema, index, names, derived }) {
    const unique = Boolean(operation.unique);
    for (const [i, c] of operation.columns.entries()) schema.column(index, operation.table, c, `columns[${i}]`);
    const name = operation.name ?? derived('name', names(operation.table, operation.columns, unique ? 'unique' : 'index'), GIVE_NAME);
    schema.table(index, operation.table).indexes.push({ name, columns: operation.columns, unique, constraint: unique });
    return {
      up: [call('createIndex', operation.table, operation.columns, { name, unique: unique || undefined })],
      down: [call('dropIndex', operation.table, name, unique ? { unique } : undefined)],
      resolved: { op: 'createIndex', name, columns: operation.columns, unique },
    };
  },
  entity: (o, r) => (r.op === 'createIndex' ? { op: 'createIndex', table: o.table, name: r.name, columns: r.columns, unique: r.unique } : undefined),
  undoEntity: (o, r) =>
    r.op === 'createIndex' ? { op: 'dropIndex', table: o.table, name: r.name, columns: r.columns, unique: r.unique } : undefined,
  form: {
    fields: [TABLE_FIELD, COLUMNS_FIELD, { key: 'unique', label: 'unique', kind: 'choice', choices: YES_NO }, OPTIONAL_NAME_FIELD],
    toSpec: (v) => ({
      op: 'createIndex',
      table: text(v.table).trim(),
      columns: list(v.columns),
      ...(yes(v.unique) ? { unique: true } : {}),
      name: optional(v.name),
    }),
    fromSpec: (o) => ({ kind: o.op, values: { table: o.table, columns: o.columns, unique: o.unique ? 'yes' : 'no', name: o.name ?? '' } }),
    summary: (v) => `createIndex${yes(v.unique) ? ' unique' : ''} on ${tableOf(v)} (${list(v.columns).join(', ') || '…'})`,
  },
  lint: {
    createIndex: ([table, columns, options], sql) => {
      const names = sql.names(columns);
      return typeof table !== 'string' || names === undefined ? undefined : sql.index(table, names, sql.isFields(options) ? options : {});
    },
  },
};

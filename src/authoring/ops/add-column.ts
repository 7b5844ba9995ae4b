import { columnFields, columnRecord, columnOf, type Field, TABLE_FIELD, tableOf, text, YES_NO, yes } from './form.js';
import { liveFromColumn } from './schema.js';
import { portableDefault, SHORTER } from './shared.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) =>
  k.z.strictObject({ op: k.z.literal('addColumn'), table: s.name(k), column: s.column(k) }).superRefine((o, ctx) => {
    if (o.column.primary)
      ctx.addIssue({ code: 'custom', path: ['column', 'primary'], message: 'a primary key cannot be added to an existing table', input: o });
  });
export type AddColumn = s.SpecOf<typeof spec>;

const [name, type, nullable, ...rest] = columnFields('column', false);
/** "indexed": the form adds a createIndex on the new column after it (one choice, not a second operation to fill in). */
const INDEXED: Field = { key: 'indexed', label: 'indexed', kind: 'choice', choices: YES_NO };

export const addColumn: OperationDef<AddColumn> = {
  spec,
  menu: 'a column on an existing table',
  creates: (o) => ({ thing: `column ${o.table}.${o.column.name}`, field: 'column.name' }),
  check: (o, { snapshot }) =>
    snapshot.tables.get(o.table)?.columns.some((c) => c.name === o.column.name)
      ? [['column.name', `table ${o.table} already has a column ${o.column.name}`]]
      : [],
  normalize: (o) => ({ ...o, column: portableDefault(o.column) }),
  plan(operation, { schema, index, names, derived }) {
    const table = schema.table(index, operation.table);
    table.columns.push(liveFromColumn(operation.column));
    const down = [call('dropColumn', operation.table, operation.column.name)];
    if (operation.column.unique) {
      const name = derived('column.unique', names(operation.table, [operation.column.name], 'unique'), SHORTER);
      table.indexes.push({ name, columns: [operation.column.name], unique: true, constraint: true });
      down.unshift(call('dropIndex', operation.table, name, { unique: true }));
    }
    return { up: [call('addColumn', operation.table, operation.column)], down };
  },
  entity: (o) => o,
  undoEntity: (o) => ({ op: 'dropColumn', table: o.table, column: o.column.name }),
  form: {
    fields: [TABLE_FIELD, name, type, nullable, INDEXED, ...rest],
    toSpec: (v) => ({ op: 'addColumn', table: text(v.table).trim(), column: columnOf(v) }),
    fromSpec: (o) => {
      const record = columnRecord(o.column, 'addColumn', o.table);
      return { ...record, values: { ...record.values, indexed: 'no' } };
    },
    brings: {
      field: 'indexed',
      operations: (v) => (yes(v.indexed) ? [{ op: 'createIndex', table: text(v.table).trim(), columns: [text(v.name).trim()] }] : []),
      takes: (v, o) => (o.op === 'createIndex' && !yes(v.indexed) ? { ...v, indexed: 'yes' } : undefined),
    },
    summary: (v) =>
      `addColumn ${tableOf(v)}.${text(v.name) || '…'} ${text(v.type)}${yes(v.nullable) ? ' null' : ''}${yes(v.indexed) ? ', indexed' : ''}`,
  },
  lint: {
    addColumn: ([table, column], sql) => {
      if (typeof table !== 'string' || !sql.isFields(column) || typeof column.name !== 'string') return undefined;
      const unique = column.unique ? sql.index(table, sql.quote(column.name), { name: `${table}_${column.name}_unique`, unique: true }) : [];
      return [`alter table ${sql.quote(table)} add column ${sql.column(column)}`, ...unique];
    },
  },
};

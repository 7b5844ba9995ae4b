import { liveFromColumn } from './schema.js';
import { columnRecord, columnOf, type Field, records, referenceOf, text } from './form.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';
import { portableDefault, SHORTER } from './shared.js';

/** The shape of its spec. */
const spec = (k: s.Kit) =>
  k.z
    .strictObject({
      op: k.z.literal('createTable'),
      table: s.name(k, true),
      columns: k.z.array(s.column(k), { error: 'a table needs at least one column' }).min(1, { error: 'a table needs at least one column' }),
    })
    .superRefine((o, ctx) => {
      const seen = new Set<string>();
      for (const [i, c] of o.columns.entries()) {
        if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['columns', i, 'name'], message: `column ${c.name} appears twice`, input: o });
        seen.add(c.name);
      }
      if (o.columns.length > 0 && !o.columns.some((c) => c.primary))
        ctx.addIssue({ code: 'custom', path: ['columns'], message: 'a table needs a primary key: mark a column primary', input: o });
    });
export type CreateTable = s.SpecOf<typeof spec>;

export const createTable: OperationDef<CreateTable> = {
  spec,
  menu: 'a new table with its columns',
  creates: (o) => ({ thing: `table ${o.table}`, field: 'table' }),
  check: (o, { schema }) => (schema.tables.has(o.table) ? [['table', `table ${o.table} already exists`]] : []),
  normalize: (o) => ({ ...o, columns: o.columns.map(portableDefault) }),
  plan(operation, { schema, names, derived }) {
    schema.tables.set(operation.table, {
      name: operation.table,
      columns: operation.columns.map(liveFromColumn),
      indexes: [],
      foreignKeys: [],
      checks: [],
    });
    const uniques = operation.columns
      .filter((c) => c.unique)
      .map((c) => {
        const i = operation.columns.indexOf(c);
        const name = derived(`columns[${i}].unique`, names(operation.table, [c.name], 'unique'), SHORTER);
        return { name, columns: [c.name], unique: true, constraint: true };
      });
    schema.tables.get(operation.table)!.indexes.push(...uniques);
    return { up: [call('createTable', operation.table, operation.columns)], down: [call('dropTable', operation.table)] };
  },
  entity: (o) => o,
  undoEntity: (o) => ({ op: 'dropTable', table: o.table }),
  form: {
    fields: [
      { key: 'table', label: 'table', kind: 'text', placeholder: 'a new table name' },
      { key: 'columns', label: 'columns', kind: 'list', of: 'column' },
    ] satisfies Field[],
    toSpec: (v) => ({ op: 'createTable', table: text(v.table).trim(), columns: records(v.columns).map((c) => columnOf(c.values)) }),
    fromSpec: (o) => ({ kind: o.op, values: { table: o.table, columns: o.columns.map((c) => columnRecord(c, 'column')) } }),
    brings: {
      field: 'columns',
      operations: (v) =>
        records(v.columns).flatMap((c) => {
          const ref = referenceOf(c.values);
          const table = text(v.table).trim();
          return ref
            ? [{ op: 'addForeignKey', table, columns: [text(c.values.name).trim()], references: { table: ref.table, columns: [ref.column] } }]
            : [];
        }),
      takes: (v, o) => {
        if (o.op !== 'addForeignKey' || o.table !== text(v.table).trim() || o.columns.length !== 1 || o.references.columns.length !== 1)
          return undefined;
        const columns = records(v.columns);
        const at = columns.findIndex((c) => text(c.values.name).trim() === o.columns[0] && !referenceOf(c.values));
        if (at < 0) return undefined;
        const column = { ...columns[at], values: { ...columns[at].values, references: `${o.references.table}.${o.references.columns[0]}` } };
        return { ...v, columns: columns.map((c, i) => (i === at ? column : c)) };
      },
    },
    summary: (v) =>
      `createTable ${text(v.table) || '…'} (${records(v.columns)
        .map((c) => text(c.values.name) || '…')
        .join(', ')})`,
  },
  lint: {
    // Only that the table is new counts; its columns may be written any way.
    createTable: ([table], sql) => (typeof table === 'string' ? [`create table ${sql.quote(table)} (${sql.quote('id')} int)`] : undefined),
  },
};

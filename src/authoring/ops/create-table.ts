import type { ColumnSpec } from '../spec.js';
import { liveFromColumn } from './schema.js';
import { columnRecord, columnOf, type Field, records, text } from './form.js';
import { call, type OperationDef } from './types.js';
import { portableDefault, SHORTER } from './shared.js';

export interface CreateTable {
  op: 'createTable';
  table: string;
  columns: ColumnSpec[];
}

export const createTable: OperationDef<CreateTable> = {
  fields: ['table', 'columns'],
  menu: 'a new table with its columns',
  shape({ operation, problem, name, column }) {
    name('table', true);
    const columns = operation.columns;
    if (!Array.isArray(columns) || columns.length === 0) return problem('columns', 'a table needs at least one column');
    for (const [i, c] of columns.entries()) column(c, `columns[${i}]`);
    const seen = new Set<string>();
    for (const [i, c] of columns.entries()) {
      const n = (c as ColumnSpec)?.name;
      if (seen.has(n)) problem(`columns[${i}].name`, `column ${n} appears twice`);
      seen.add(n);
    }
    if (!columns.some((c) => (c as ColumnSpec)?.primary)) problem('columns', 'a table needs a primary key: mark a column primary');
  },
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

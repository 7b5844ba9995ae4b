import { shown, TABLES, text } from './form.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) => k.z.strictObject({ op: k.z.literal('renameTable'), from: s.name(k), to: s.name(k, true) }).superRefine(s.renamed);
export type RenameTable = s.SpecOf<typeof spec>;

export const renameTable: OperationDef<RenameTable> = {
  spec,
  menu: 'rename a table',
  check: (o, { schema }) => (schema.tables.has(o.to) ? [['to', `table ${o.to} already exists`]] : []),
  plan(operation, { schema, index, names, derived }) {
    const table = schema.table(index, operation.from, 'from');
    // Names MikroORM derives from the table follow it, as MikroORM expects them after the rename: the foreign
    // keys' (where they have MikroORM's names) and the indexes databases make for them.
    const keys: Record<string, string> = {};
    const indexes: Record<string, string> = {};
    for (const fk of table.foreignKeys) {
      const renamed = (type: 'foreign' | 'index') => derived('to', names(operation.to, fk.columns, type), 'use a shorter table name');
      if (fk.name === names(operation.from, fk.columns, 'foreign')) keys[fk.name] = renamed('foreign');
      indexes[names(operation.from, fk.columns, 'index')] = renamed('index');
    }
    schema.tables.delete(operation.from);
    const foreignKeys = table.foreignKeys.map((fk) => ({ ...fk, name: keys[fk.name] ?? fk.name }));
    schema.tables.set(operation.to, { ...table, name: operation.to, foreignKeys });
    const flip = (renames: Record<string, string>) => Object.fromEntries(Object.entries(renames).map(([a, b]) => [b, a]));
    const options = (k: Record<string, string>, i: Record<string, string>) => {
      const given = { foreignKeys: Object.keys(k).length > 0 ? k : undefined, indexes: Object.keys(i).length > 0 ? i : undefined };
      return given.foreignKeys || given.indexes ? given : undefined;
    };
    return {
      up: [call('renameTable', operation.from, operation.to, options(keys, indexes))],
      down: [call('renameTable', operation.to, operation.from, options(flip(keys), flip(indexes)))],
    };
  },
  entity: (o) => o,
  undoEntity: (o) => ({ op: 'renameTable', from: o.to, to: o.from }),
  form: {
    fields: [
      { key: 'from', label: 'table', kind: 'choice', choices: TABLES },
      { key: 'to', label: 'new name', kind: 'text', placeholder: 'the new table name' },
    ],
    toSpec: (v) => ({ op: 'renameTable', from: text(v.from), to: text(v.to).trim() }),
    fromSpec: (o) => ({ kind: o.op, values: { from: o.from, to: o.to } }),
    summary: (v) => `renameTable ${shown(v.from)} → ${shown(v.to)}`,
  },
  lint: {
    renameTable: ([from, to], sql) => {
      if (typeof from !== 'string' || typeof to !== 'string') return undefined;
      return [
        sql.family === 'mysql' ? `rename table ${sql.quote(from)} to ${sql.quote(to)}` : `alter table ${sql.quote(from)} rename to ${sql.quote(to)}`,
      ];
    },
  },
};

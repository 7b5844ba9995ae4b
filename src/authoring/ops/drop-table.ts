import { TABLE_FIELD, tableOf, text } from './form.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) => k.z.strictObject({ op: k.z.literal('dropTable'), table: s.name(k) });
export type DropTable = s.SpecOf<typeof spec>;

export const dropTable: OperationDef<DropTable> = {
  spec,
  menu: 'drop a table (its data is lost)',
  check(o, { schema }) {
    const referrers = [...schema.tables.values()].filter((t) => t.name !== o.table && t.foreignKeys.some((fk) => fk.references.table === o.table));
    if (referrers.length === 0) return [];
    return [['table', `${referrers.map((t) => t.name).join(', ')} reference ${o.table}: drop those foreign keys first`]];
  },
  // down() creates the table again exactly as the live schema had it: columns, indexes, foreign keys.
  plan({ table: tableName }, { schema, index }) {
    const table = schema.table(index, tableName);
    const columns = table.columns.map((c) => schema.spec(index, tableName, c.name, 'table'));
    schema.tables.delete(tableName);
    const down = [
      call('createTable', tableName, columns),
      ...table.indexes.map((i) => call('createIndex', tableName, i.columns, { name: i.name, unique: i.unique || undefined })),
      ...table.foreignKeys.map((fk) =>
        call('addForeignKey', tableName, fk.columns, fk.references, { name: fk.name, onDelete: fk.onDelete, onUpdate: fk.onUpdate }),
      ),
    ];
    return { up: [call('dropTable', tableName)], down, resolved: { op: 'dropTable', columns } };
  },
  entity: (o) => o,
  undoEntity: (o, r) => (r.op === 'dropTable' ? { op: 'createTable', table: o.table, columns: r.columns } : undefined),
  form: {
    fields: [TABLE_FIELD],
    toSpec: (v) => ({ op: 'dropTable', table: text(v.table).trim() }),
    fromSpec: (o) => ({ kind: o.op, values: { table: o.table } }),
    summary: (v) => `dropTable ${tableOf(v)}`,
  },
  lint: {
    dropTable: ([table], sql) => (typeof table === 'string' ? [`drop table ${sql.quote(table)}`] : undefined),
  },
};

import { NEUTRAL_VALUES } from '../op/column-sql.js';
import { COLUMNS, NOTHING, shown, TABLE_FIELD, tableOf, text } from './form.js';
import { PlanError } from './schema.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) => k.z.strictObject({ op: k.z.literal('dropColumn'), table: s.name(k), column: s.name(k) });
export type DropColumn = s.SpecOf<typeof spec>;

export const dropColumn: OperationDef<DropColumn> = {
  spec,
  menu: 'drop a column (its data is lost)',
  // A column's indexes and foreign keys go first (SQLite refuses to drop an indexed column); down() restores all.
  plan({ table: tableName, column: columnName }, { schema, index }) {
    if (schema.column(index, tableName, columnName).primary)
      throw new PlanError(
        index,
        'column',
        `${tableName}.${columnName} is the primary key; a table keeps its key (drop the table, or write this step as sql)`,
      );
    const column = schema.spec(index, tableName, columnName);
    const table = schema.table(index, tableName);
    const indexes = table.indexes.filter((i) => i.columns.includes(columnName));
    const keys = table.foreignKeys.filter((fk) => fk.columns.includes(columnName));
    table.indexes = table.indexes.filter((i) => !indexes.includes(i));
    table.foreignKeys = table.foreignKeys.filter((fk) => !keys.includes(fk));
    table.columns = table.columns.filter((c) => c.name !== columnName);
    const up = [
      ...keys.map((fk) => call('dropForeignKey', tableName, fk.columns, { name: fk.name })),
      ...indexes.map((i) => call('dropIndex', tableName, i.name, i.constraint ? { unique: true } : undefined)),
      call('dropColumn', tableName, columnName),
    ];
    // A NOT NULL column without a default cannot be added to a table with rows: added nullable, filled, then NOT NULL.
    const restore =
      column.nullable || column.default !== undefined || column.primary
        ? [call('addColumn', tableName, column)]
        : [
            call('addColumn', tableName, { ...column, nullable: true }),
            call('fillColumn', tableName, columnName, NEUTRAL_VALUES[column.type]),
            call('alterColumn', tableName, column),
          ];
    const down = [
      ...restore,
      ...indexes.map((i) => call('createIndex', tableName, i.columns, { name: i.name, unique: i.unique || undefined })),
      ...keys.map((fk) =>
        call('addForeignKey', tableName, fk.columns, fk.references, { name: fk.name, onDelete: fk.onDelete, onUpdate: fk.onUpdate }),
      ),
    ];
    return { up, down, resolved: { op: 'dropColumn', column } };
  },
  entity: (o) => o,
  undoEntity: (o, r) => (r.op === 'dropColumn' ? { op: 'addColumn', table: o.table, column: r.column } : undefined),
  form: {
    fields: [
      TABLE_FIELD,
      {
        key: 'column',
        label: 'column',
        kind: 'choice',
        choices: COLUMNS,
        initial: NOTHING,
        placeholder: '↓ chooses the column to drop',
        refuse: (c, ctx) => (ctx.schema.column(text(ctx.values.table), c)?.primary ? 'the primary key: a table keeps it' : undefined),
      },
    ],
    toSpec: (v) => ({ op: 'dropColumn', table: text(v.table).trim(), column: text(v.column) }),
    fromSpec: (o) => ({ kind: o.op, values: { table: o.table, column: o.column } }),
    summary: (v) => `dropColumn ${tableOf(v)}.${shown(v.column)}`,
  },
  lint: {
    dropColumn: ([table, column], sql) =>
      typeof table === 'string' && typeof column === 'string' ? [`alter table ${sql.quote(table)} drop column ${sql.quote(column)}`] : undefined,
  },
};

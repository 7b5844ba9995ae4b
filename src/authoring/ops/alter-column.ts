import type { ColumnSpec, ColumnType } from '../spec.js';
import { COLUMNS, columnFields, shapeOf, shapeText, TABLE_FIELD, tableOf, text, yes } from './form.js';
import { liveFromColumn, PlanError } from './schema.js';
import { portableDefault } from './shared.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) =>
  k.z.strictObject({ op: k.z.literal('alterColumn'), table: s.name(k), column: s.name(k), ...s.alterable(k) }).superRefine((o, ctx) => {
    const at = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message, input: o });
    if (['type', 'nullable', 'default', 'length', 'precision', 'scale'].every((f) => o[f as keyof typeof o] === undefined))
      at('column', 'say what changes: type, nullable or default');
    for (const [field, message] of s.columnRules(o, o.type === undefined)) at(field, message);
  });
export type AlterColumn = s.SpecOf<typeof spec>;

export const alterColumn: OperationDef<AlterColumn> = {
  spec,
  menu: "change a column's type, nullability or default",
  plan(operation, { schema, index }) {
    const before = schema.spec(index, operation.table, operation.column);
    if (before.primary && operation.nullable === true)
      throw new PlanError(index, 'nullable', `${operation.table}.${operation.column} is the primary key, which cannot be nullable`);
    const { op: _op, table: _table, column: _column, ...changes } = operation;
    const after: ColumnSpec = portableDefault({
      ...before,
      ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined && v !== null)),
    });
    // `default: null` in an alterColumn takes the default away.
    if (operation.default === null) delete after.default;
    Object.assign(schema.column(index, operation.table, operation.column), liveFromColumn(after));
    return {
      up: [call('alterColumn', operation.table, after)],
      down: [call('alterColumn', operation.table, before)],
      resolved: { op: 'alterColumn', before, after },
    };
  },
  entity: (o, r) => (r.op === 'alterColumn' ? { op: 'alterColumn', table: o.table, column: r.after, before: r.before } : undefined),
  undoEntity: (o, r) => (r.op === 'alterColumn' ? { op: 'alterColumn', table: o.table, column: r.before, before: r.after } : undefined),
  form: {
    // A column's own fields, the existing column chosen instead of a new name typed (a change of name is renameColumn).
    fields: [
      TABLE_FIELD,
      { key: 'column', label: 'column', kind: 'choice', choices: COLUMNS },
      ...columnFields('', false).filter((f) => f.key !== 'name' && f.key !== 'unique'),
    ],
    toSpec: (v) => {
      const type = text(v.type) as ColumnType;
      return { op: 'alterColumn', table: text(v.table).trim(), column: text(v.column), type, nullable: yes(v.nullable), ...shapeOf(v, type) };
    },
    fromSpec: (o) => ({
      kind: o.op,
      values: { table: o.table, column: o.column, type: o.type ?? 'string', nullable: o.nullable ? 'yes' : 'no', ...shapeText(o) },
    }),
    summary: (v) => `alterColumn ${tableOf(v)}.${text(v.column) || '…'} → ${text(v.type)}${yes(v.nullable) ? ' null' : ' not null'}`,
    // It starts from the chosen column's current type, nullability and default.
    follow(values, key, ctx) {
      if (key !== 'column' && key !== 'table') return;
      const current = ctx.schema.column(text(values.table), text(values.column));
      if (!current) return;
      Object.assign(values, {
        type: current.type ?? 'string',
        nullable: current.nullable ? 'yes' : 'no',
        default: current.default ?? '',
        length: current.length === undefined ? '' : String(current.length),
        precision: current.precision === undefined ? '' : String(current.precision),
        scale: current.scale === undefined ? '' : String(current.scale),
      });
    },
  },
  lint: {
    alterColumn: ([table, column], sql) =>
      typeof table === 'string' && sql.isFields(column) && typeof column.name === 'string' ? sql.alterColumn(table, column) : undefined,
  },
};

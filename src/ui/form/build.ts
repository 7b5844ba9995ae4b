import type { ColumnDefault, ColumnSpec, ColumnType, Operation, ReferentialAction, Spec } from '../../authoring/spec.js';
import { type FormRecord, list, records, text, type Value } from './fields.js';

// Form records ⇄ the spec's operations. Building keeps whatever was typed (an empty name stays empty) so the engine's
// validation, the one source of problems, names each one next to its field.

const NUMERIC = new Set(['integer', 'bigint', 'float', 'double', 'decimal']);

/** A typed default in the spec's terms: empty is none, `null` is null, numbers and booleans where the type takes them. */
export function defaultOf(typed: string, type: string | undefined): ColumnDefault | undefined {
  const value = typed.trim();
  if (value === '') return undefined;
  if (value === 'null') return null;
  if (type && NUMERIC.has(type) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function defaultText(value: ColumnDefault | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  return typeof value === 'object' ? value.sql : String(value);
}

/** A size as typed: a whole number, or the text itself (the engine says "a whole number"). */
function size(typed: Value | undefined): number | undefined {
  const value = text(typed).trim();
  if (value === '') return undefined;
  return /^\d+$/.test(value) ? Number(value) : (value as unknown as number);
}

const yes = (v: Value | undefined) => v === 'yes';

type Shape = Pick<ColumnSpec, 'default' | 'length' | 'precision' | 'scale'>;

/** The default and sizes typed for a column of `type`: a length for strings, precision and scale for decimals. */
function shape(values: Record<string, Value>, type: ColumnType): Shape {
  const out: Shape = {};
  const fallback = defaultOf(text(values.default), type);
  if (fallback !== undefined) out.default = fallback;
  if (type === 'string' && size(values.length) !== undefined) out.length = size(values.length);
  if (type === 'decimal') Object.assign(out, { precision: size(values.precision), scale: size(values.scale) });
  return out;
}

/** The fields of `shape` as the form shows them, typed text. */
function shapeText(s: Shape): Record<string, Value> {
  const shown = (n: number | undefined) => (n === undefined ? '' : String(n));
  return { default: defaultText(s.default), length: shown(s.length), precision: shown(s.precision), scale: shown(s.scale) };
}

function column(values: Record<string, Value>): ColumnSpec {
  const type = text(values.type) as ColumnType;
  const spec: ColumnSpec = { name: text(values.name).trim(), type };
  if (yes(values.nullable)) spec.nullable = true;
  if (yes(values.primary)) spec.primary = true;
  if (yes(values.unique)) spec.unique = true;
  return { ...spec, ...shape(values, type) };
}

const action = (v: Value | undefined) => (text(v) && v !== '(none)' ? (text(v) as ReferentialAction) : undefined);
const optional = (v: Value | undefined) => text(v).trim() || undefined;

/** The operation a record says, as far as it is filled in. */
export function toOperation(record: FormRecord): Operation {
  const v = record.values;
  const table = text(v.table).trim();
  switch (record.kind) {
    case 'createTable':
      return { op: 'createTable', table, columns: records(v.columns).map((c) => column(c.values)) };
    case 'addColumn':
      return { op: 'addColumn', table, column: column(v) };
    case 'alterColumn': {
      const type = text(v.type) as ColumnType;
      return { op: 'alterColumn', table, column: text(v.column), type, nullable: yes(v.nullable), ...shape(v, type) };
    }
    case 'renameColumn':
      return { op: 'renameColumn', table, from: text(v.from), to: text(v.to).trim() };
    case 'dropColumn':
      return { op: 'dropColumn', table, column: text(v.column) };
    case 'createIndex':
      return { op: 'createIndex', table, columns: list(v.columns), ...(yes(v.unique) ? { unique: true } : {}), name: optional(v.name) };
    case 'dropIndex':
      return { op: 'dropIndex', table, name: text(v.name) };
    case 'addForeignKey':
      return {
        op: 'addForeignKey',
        table,
        columns: list(v.columns),
        references: { table: text(v.refTable), columns: list(v.refColumns) },
        onDelete: action(v.onDelete),
        onUpdate: action(v.onUpdate),
        name: optional(v.name),
      };
    case 'renameTable':
      return { op: 'renameTable', from: text(v.from), to: text(v.to).trim() };
    case 'dropTable':
      return { op: 'dropTable', table };
    case 'sql':
      return { op: 'sql', up: text(v.up), down: text(v.down) };
    case 'backfill': {
      const set = Object.fromEntries(records(v.set).map((a) => [text(a.values.column), text(a.values.expression)]));
      return { op: 'backfill', table, set, where: optional(v.where) };
    }
    case 'column':
    case 'assignment':
      throw new Error(`a ${record.kind} is part of an operation, not one`);
  }
}

/** The spec of the records; fields left undefined are dropped, as JSON would. */
export function toSpec(operations: FormRecord[]): Spec {
  return JSON.parse(JSON.stringify({ operations: operations.map(toOperation) })) as Spec;
}

function columnRecord(c: ColumnSpec, kind: 'column' | 'addColumn', table?: string): FormRecord {
  const values: Record<string, Value> = {
    ...(table !== undefined ? { table } : {}),
    name: c.name,
    type: c.type,
    nullable: c.nullable ? 'yes' : 'no',
    unique: c.unique ? 'yes' : 'no',
    ...shapeText(c),
  };
  if (kind === 'column') values.primary = c.primary ? 'yes' : 'no';
  return { kind, values };
}

/** The record of an operation read back from a file the form (or `new --spec`) wrote. */
export function fromOperation(operation: Operation): FormRecord {
  const o = operation;
  switch (o.op) {
    case 'createTable':
      return { kind: o.op, values: { table: o.table, columns: o.columns.map((c) => columnRecord(c, 'column')) } };
    case 'addColumn':
      return columnRecord(o.column, 'addColumn', o.table);
    case 'alterColumn':
      return {
        kind: o.op,
        values: {
          table: o.table,
          column: o.column,
          type: o.type ?? 'string',
          nullable: o.nullable ? 'yes' : 'no',
          ...shapeText(o),
        },
      };
    case 'renameColumn':
      return { kind: o.op, values: { table: o.table, from: o.from, to: o.to } };
    case 'dropColumn':
      return { kind: o.op, values: { table: o.table, column: o.column } };
    case 'createIndex':
      return { kind: o.op, values: { table: o.table, columns: o.columns, unique: o.unique ? 'yes' : 'no', name: o.name ?? '' } };
    case 'dropIndex':
      return { kind: o.op, values: { table: o.table, name: o.name } };
    case 'addForeignKey':
      return {
        kind: o.op,
        values: {
          table: o.table,
          columns: o.columns,
          refTable: o.references.table,
          refColumns: o.references.columns,
          onDelete: o.onDelete ?? '(none)',
          onUpdate: o.onUpdate ?? '(none)',
          name: o.name ?? '',
        },
      };
    case 'renameTable':
      return { kind: o.op, values: { from: o.from, to: o.to } };
    case 'dropTable':
      return { kind: o.op, values: { table: o.table } };
    case 'sql':
      return { kind: o.op, values: { up: o.up, down: o.down } };
    case 'backfill':
      return {
        kind: o.op,
        values: {
          table: o.table,
          set: Object.entries(o.set).map(([c, e]) => ({ kind: 'assignment' as const, values: { column: c, expression: e } })),
          where: o.where ?? '',
        },
      };
  }
}

/** One line that says what an operation does: "createTable projects (3 columns)". */
export function summary(record: FormRecord): string {
  const v = record.values;
  const t = text(v.table) || '…';
  switch (record.kind) {
    case 'createTable':
      return `createTable ${t} (${records(v.columns)
        .map((c) => text(c.values.name) || '…')
        .join(', ')})`;
    case 'addColumn':
      return `addColumn ${t}.${text(v.name) || '…'} ${text(v.type)}${yes(v.nullable) ? ' null' : ''}`;
    case 'alterColumn':
      return `alterColumn ${t}.${text(v.column) || '…'} → ${text(v.type)}${yes(v.nullable) ? ' null' : ' not null'}`;
    case 'renameColumn':
      return `renameColumn ${t}.${text(v.from) || '…'} → ${text(v.to) || '…'}`;
    case 'dropColumn':
      return `dropColumn ${t}.${text(v.column) || '…'}`;
    case 'createIndex':
      return `createIndex${yes(v.unique) ? ' unique' : ''} on ${t} (${list(v.columns).join(', ') || '…'})`;
    case 'dropIndex':
      return `dropIndex ${text(v.name) || '…'} on ${t}`;
    case 'addForeignKey':
      return `addForeignKey ${t} (${list(v.columns).join(', ') || '…'}) → ${text(v.refTable) || '…'}`;
    case 'renameTable':
      return `renameTable ${text(v.from) || '…'} → ${text(v.to) || '…'}`;
    case 'dropTable':
      return `dropTable ${t}`;
    case 'sql':
      return `sql ${text(v.up).slice(0, 50) || '…'}`;
    case 'backfill':
      return `backfill ${t} set ${
        records(v.set)
          .map((a) => text(a.values.column) || '…')
          .join(', ') || '…'
      }`;
    case 'column':
      return `${text(v.name) || '…'} ${text(v.type)}${yes(v.primary) ? ' primary key' : ''}${yes(v.nullable) ? ' null' : ''}${yes(v.unique) ? ' unique' : ''}${text(v.default) ? ` default ${text(v.default)}` : ''}`;
    case 'assignment':
      return `${text(v.column) || '…'} = ${text(v.expression) || '…'}`;
  }
}

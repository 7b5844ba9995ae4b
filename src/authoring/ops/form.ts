// The form's view of an operation: its fields, and the column fields several operations share. Plain data and
// functions, no terminal: the form (ui/form) draws and edits records of these fields.
import { COLUMN_TYPES, type ColumnDefault, type ColumnSpec, type ColumnType, type ReferentialAction } from '../spec.js';
import type { OperationName } from './index.js';
import type { SchemaAt } from './schema-at.js';

/** What a record of the form is: one of the spec's operations, a column of createTable, or one `set` of a backfill. */
export type RecordKind = OperationName | 'column' | 'assignment';

/** A value being typed or chosen: text, a choice (text too), several choices, or a list of records (createTable's columns). */
export type Value = string | string[] | FormRecord[];

/** One record as the form holds it: every field as typed, so nothing is lost while it is still invalid. */
export interface FormRecord {
  kind: RecordKind;
  values: Record<string, Value>;
}

/** How a field is edited: typed text, one choice of a list, several choices, or a list of records of its own. */
export type FieldKind = 'text' | 'choice' | 'multi' | 'list';

/** Where the choices come from, for the record at hand (the schema as the operations before it leave it). */
export interface ChoiceContext {
  schema: SchemaAt;
  values: Record<string, Value>;
  /** The values of the operation a column or assignment belongs to. */
  parent?: Record<string, Value>;
}

export interface Field {
  key: string;
  label: string;
  kind: FieldKind;
  /** The engine's name for the field in a problem ("column.name", "references.table"), when it differs from `key`. */
  problem?: string;
  choices?: (ctx: ChoiceContext) => string[];
  /** Why a choice must not be taken (the form shows ✗ and the reason beside it), or undefined. */
  refuse?: (choice: string, ctx: ChoiceContext) => string | undefined;
  /** What a choice starts on (and moves to when its choices change); the first choice when absent. */
  initial?: (choices: string[], ctx: ChoiceContext) => string;
  /** For a list field: the kind of its records. */
  of?: RecordKind;
  /** Shown only while this holds (length for strings, precision and scale for decimals). */
  when?: (values: Record<string, Value>) => boolean;
  /** Shown dimmed after an empty field. */
  placeholder?: string;
}

export function text(value: Value | undefined): string {
  return typeof value === 'string' ? value : '';
}

export function list(value: Value | undefined): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : [];
}

export function records(value: Value | undefined): FormRecord[] {
  return Array.isArray(value) ? (value as unknown[]).filter((v): v is FormRecord => typeof v === 'object' && v !== null) : [];
}

export const YES_NO = () => ['no', 'yes'];
export const ACTION_CHOICES = () => ['(none)', 'cascade', 'restrict', 'set null', 'no action'];
export const TYPES = () => [...COLUMN_TYPES];
export const TABLES = (ctx: ChoiceContext) => ctx.schema.tableNames();
export const COLUMNS = (ctx: ChoiceContext) => ctx.schema.columnNames(text(ctx.values.table));
export const PARENT_COLUMNS = (ctx: ChoiceContext) => ctx.schema.columnNames(text(ctx.parent?.table));
// A drop is chosen, never defaulted: the first column is most often the primary key.
export const NOTHING = () => '';

/** The table an operation is on, as a choice of the tables there are. */
export const TABLE_FIELD: Field = { key: 'table', label: 'table', kind: 'choice', choices: TABLES };

/** The columns of that table an index or a foreign key is made of. */
export const COLUMNS_FIELD: Field = { key: 'columns', label: 'columns', kind: 'multi', choices: COLUMNS };

/** The name of an index or a key the operation makes: MikroORM's when left empty. */
export const OPTIONAL_NAME_FIELD: Field = { key: 'name', label: 'name', kind: 'text', placeholder: "optional: MikroORM's name when empty" };

/** A createTable column's foreign key: none, or `table.key` of a table with a one-column primary key (the key pre-filled). */
export const NO_REFERENCE = '(none)';
export const REFERENCES = (ctx: ChoiceContext) => [
  NO_REFERENCE,
  ...ctx.schema.tableNames().flatMap((t) => {
    const keys = ctx.schema.columnNames(t).filter((c) => ctx.schema.column(t, c)?.primary);
    return keys.length === 1 ? [`${t}.${keys[0]}`] : [];
  }),
];

/** The table and column a column's `references` names, if any. */
export function referenceOf(values: Record<string, Value>): { table: string; column: string } | undefined {
  const chosen = text(values.references);
  const dot = chosen.lastIndexOf('.');
  return chosen && chosen !== NO_REFERENCE && dot > 0 ? { table: chosen.slice(0, dot), column: chosen.slice(dot + 1) } : undefined;
}

/** A column that references a key takes the key's type (and length): the form fills them in when the key is chosen. */
export function followReference(values: Record<string, Value>, ctx: ChoiceContext): void {
  const ref = referenceOf(values);
  const key = ref && ctx.schema.column(ref.table, ref.column);
  if (!key?.type) return;
  values.type = key.type;
  if (key.length !== undefined) values.length = String(key.length);
}

const isString = (v: Record<string, Value>) => v.type === 'string';
const isDecimal = (v: Record<string, Value>) => v.type === 'decimal';

/** The fields of a column, as createTable and addColumn ask for them (`prefix` is the engine's path to the column). */
export function columnFields(prefix: string, withPrimary: boolean): Field[] {
  const at = (key: string) => (prefix ? `${prefix}.${key}` : key);
  return [
    { key: 'name', label: 'column', kind: 'text', problem: at('name'), placeholder: 'a new column name' },
    { key: 'type', label: 'type', kind: 'choice', problem: at('type'), choices: TYPES },
    { key: 'nullable', label: 'nullable', kind: 'choice', problem: at('nullable'), choices: YES_NO },
    ...(withPrimary ? [{ key: 'primary', label: 'primary key', kind: 'choice', problem: at('primary'), choices: YES_NO } as Field] : []),
    { key: 'unique', label: 'unique', kind: 'choice', problem: at('unique'), choices: YES_NO },
    { key: 'default', label: 'default', kind: 'text', problem: at('default'), placeholder: 'none (a value, or null)' },
    { key: 'length', label: 'length', kind: 'text', problem: at('length'), when: isString, placeholder: '255' },
    { key: 'precision', label: 'precision', kind: 'text', problem: at('precision'), when: isDecimal },
    { key: 'scale', label: 'scale', kind: 'text', problem: at('scale'), when: isDecimal },
    // A new table's column may point at another table's key (createTable brings the addForeignKey).
    ...(withPrimary ? [{ key: 'references', label: 'references', kind: 'choice', choices: REFERENCES } as Field] : []),
  ];
}

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

export const yes = (v: Value | undefined) => v === 'yes';
export const action = (v: Value | undefined) => (text(v) && v !== '(none)' ? (text(v) as ReferentialAction) : undefined);
export const optional = (v: Value | undefined) => text(v).trim() || undefined;

type Shape = Pick<ColumnSpec, 'default' | 'length' | 'precision' | 'scale'>;

/** The default and sizes typed for a column of `type`: a length for strings, precision and scale for decimals. */
export function shapeOf(values: Record<string, Value>, type: ColumnType): Shape {
  const out: Shape = {};
  const fallback = defaultOf(text(values.default), type);
  if (fallback !== undefined) out.default = fallback;
  if (type === 'string' && size(values.length) !== undefined) out.length = size(values.length);
  if (type === 'decimal') Object.assign(out, { precision: size(values.precision), scale: size(values.scale) });
  return out;
}

/** The fields of `shape` as the form shows them, typed text. */
export function shapeText(s: Shape): Record<string, Value> {
  const shown = (n: number | undefined) => (n === undefined ? '' : String(n));
  return { default: defaultText(s.default), length: shown(s.length), precision: shown(s.precision), scale: shown(s.scale) };
}

/** The column a record of column fields says. */
export function columnOf(values: Record<string, Value>): ColumnSpec {
  const type = text(values.type) as ColumnType;
  const spec: ColumnSpec = { name: text(values.name).trim(), type };
  if (yes(values.nullable)) spec.nullable = true;
  if (yes(values.primary)) spec.primary = true;
  if (yes(values.unique)) spec.unique = true;
  return { ...spec, ...shapeOf(values, type) };
}

/** The record of a column: createTable's (`column`, with primary key) or addColumn's (with its table). */
export function columnRecord(c: ColumnSpec, kind: 'column' | 'addColumn', table?: string): FormRecord {
  const values: Record<string, Value> = {
    ...(table !== undefined ? { table } : {}),
    name: c.name,
    type: c.type,
    nullable: c.nullable ? 'yes' : 'no',
    unique: c.unique ? 'yes' : 'no',
    ...shapeText(c),
  };
  if (kind === 'column') Object.assign(values, { primary: c.primary ? 'yes' : 'no', references: NO_REFERENCE });
  return { kind, values };
}

/** A column's fields in one line: "id integer primary key". */
export function columnSummary(v: Record<string, Value>): string {
  const ref = referenceOf(v);
  return `${text(v.name) || '…'} ${text(v.type)}${yes(v.primary) ? ' primary key' : ''}${yes(v.nullable) ? ' null' : ''}${yes(v.unique) ? ' unique' : ''}${text(v.default) ? ` default ${text(v.default)}` : ''}${ref ? ` → ${ref.table}.${ref.column}` : ''}`;
}

/** `t` of a summary: the table typed, or … */
/** A rename of something a table has, as the form asks for it: the table, which one (`from`, a choice), its new name. */
export function renameInTableForm<Op extends OperationName>(op: Op, from: Field, placeholder: string) {
  return {
    fields: [TABLE_FIELD, from, { key: 'to', label: 'new name', kind: 'text', placeholder } satisfies Field],
    toSpec: (v: Record<string, Value>) => ({ op, table: text(v.table).trim(), from: text(v.from), to: text(v.to).trim() }),
    fromSpec: (o: { op: Op; table: string; from: string; to: string }): FormRecord => ({
      kind: o.op,
      values: { table: o.table, from: o.from, to: o.to },
    }),
  };
}

export const tableOf = (v: Record<string, Value>) => text(v.table) || '…';
/** A field's text for a summary, or … while it is empty. */
export const shown = (v: Value | undefined) => text(v) || '…';

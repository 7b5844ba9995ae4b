import { COLUMN_TYPES, type OperationName } from '../../authoring/spec.js';
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
  /** What a choice starts on (and moves to when its choices change); the first choice when absent. */
  initial?: (choices: string[], ctx: ChoiceContext) => string;
  /** For a list field: the kind of its records. */
  of?: RecordKind;
  /** Shown only while this holds (length for strings, precision and scale for decimals). */
  when?: (values: Record<string, Value>) => boolean;
  /** Shown dimmed after an empty field. */
  placeholder?: string;
}

const YES_NO = () => ['no', 'yes'];
const ACTIONS = () => ['(none)', 'cascade', 'restrict', 'set null', 'no action'];
const TYPES = () => [...COLUMN_TYPES];
const TABLES = (ctx: ChoiceContext) => ctx.schema.tableNames();
const COLUMNS = (ctx: ChoiceContext) => ctx.schema.columnNames(text(ctx.values.table));
const PARENT_COLUMNS = (ctx: ChoiceContext) => ctx.schema.columnNames(text(ctx.parent?.table));
// A drop is chosen, never defaulted: the first column is most often the primary key.
const NOTHING = () => '';
// A backfill walks its table by key and may not set it.
const NOT_KEY = (choices: string[], ctx: ChoiceContext) => choices.find((c) => !ctx.schema.column(text(ctx.parent?.table), c)?.primary) ?? '';

const isString = (v: Record<string, Value>) => v.type === 'string';
const isDecimal = (v: Record<string, Value>) => v.type === 'decimal';

/** The fields of a column, as createTable and addColumn ask for them (`prefix` is the engine's path to the column). */
function columnFields(prefix: string, withPrimary: boolean): Field[] {
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
  ];
}

/** Exactly the fields of each record kind, in the order the form asks for them (DESIGN §5). */
export const FIELDS: Record<RecordKind, Field[]> = {
  createTable: [
    { key: 'table', label: 'table', kind: 'text', placeholder: 'a new table name' },
    { key: 'columns', label: 'columns', kind: 'list', of: 'column' },
  ],
  column: columnFields('', true),
  addColumn: [{ key: 'table', label: 'table', kind: 'choice', choices: TABLES }, ...columnFields('column', false)],
  // A column's own fields, the existing column chosen instead of a new name typed (a change of name is renameColumn).
  alterColumn: [
    { key: 'table', label: 'table', kind: 'choice', choices: TABLES },
    { key: 'column', label: 'column', kind: 'choice', choices: COLUMNS },
    ...columnFields('', false).filter((f) => f.key !== 'name' && f.key !== 'unique'),
  ],
  renameColumn: [
    { key: 'table', label: 'table', kind: 'choice', choices: TABLES },
    { key: 'from', label: 'column', kind: 'choice', choices: COLUMNS },
    { key: 'to', label: 'new name', kind: 'text', placeholder: 'the new column name' },
  ],
  dropColumn: [
    { key: 'table', label: 'table', kind: 'choice', choices: TABLES },
    { key: 'column', label: 'column', kind: 'choice', choices: COLUMNS, initial: NOTHING, placeholder: '↓ chooses the column to drop' },
  ],
  createIndex: [
    { key: 'table', label: 'table', kind: 'choice', choices: TABLES },
    { key: 'columns', label: 'columns', kind: 'multi', choices: COLUMNS },
    { key: 'unique', label: 'unique', kind: 'choice', choices: YES_NO },
    { key: 'name', label: 'name', kind: 'text', placeholder: "optional: MikroORM's name when empty" },
  ],
  dropIndex: [
    { key: 'table', label: 'table', kind: 'choice', choices: TABLES },
    { key: 'name', label: 'index', kind: 'choice', choices: (ctx) => ctx.schema.indexNames(text(ctx.values.table)) },
  ],
  addForeignKey: [
    { key: 'table', label: 'table', kind: 'choice', choices: TABLES },
    { key: 'columns', label: 'columns', kind: 'multi', choices: COLUMNS },
    { key: 'refTable', label: 'references', kind: 'choice', problem: 'references.table', choices: TABLES },
    {
      key: 'refColumns',
      label: 'ref. columns',
      kind: 'multi',
      problem: 'references.columns',
      choices: (ctx) => ctx.schema.columnNames(text(ctx.values.refTable)),
    },
    { key: 'onDelete', label: 'on delete', kind: 'choice', choices: ACTIONS },
    { key: 'onUpdate', label: 'on update', kind: 'choice', choices: ACTIONS },
    { key: 'name', label: 'name', kind: 'text', placeholder: "optional: MikroORM's name when empty" },
  ],
  renameTable: [
    { key: 'from', label: 'table', kind: 'choice', choices: TABLES },
    { key: 'to', label: 'new name', kind: 'text', placeholder: 'the new table name' },
  ],
  dropTable: [{ key: 'table', label: 'table', kind: 'choice', choices: TABLES }],
  sql: [
    { key: 'up', label: 'up SQL', kind: 'text', placeholder: 'what up() runs' },
    { key: 'down', label: 'down SQL', kind: 'text', placeholder: 'what down() runs (empty: nothing)' },
  ],
  backfill: [
    { key: 'table', label: 'table', kind: 'choice', choices: TABLES },
    { key: 'set', label: 'set', kind: 'list', of: 'assignment' },
    { key: 'where', label: 'where', kind: 'text', placeholder: 'optional, e.g. slug is null' },
  ],
  assignment: [
    { key: 'column', label: 'column', kind: 'choice', choices: PARENT_COLUMNS, initial: NOT_KEY, placeholder: '↓ chooses the column to set' },
    { key: 'expression', label: 'expression', kind: 'text', placeholder: 'an SQL expression, e.g. lower(name)' },
  ],
};

/** The fields shown now: those whose condition holds for the values typed so far. */
export function visibleFields(record: FormRecord): Field[] {
  return FIELDS[record.kind].filter((f) => !f.when || f.when(record.values));
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

/** What a choice field starts on for the record at hand. */
export function initialChoice(field: Field, ctx: ChoiceContext): string {
  const choices = field.choices?.(ctx) ?? [];
  return field.initial ? field.initial(choices, ctx) : (choices[0] ?? '');
}

/** A new record with every field empty, choices on their first option (where there is one). */
export function blankRecord(kind: RecordKind, ctx: Omit<ChoiceContext, 'values'>): FormRecord {
  const values: Record<string, Value> = {};
  for (const field of FIELDS[kind]) {
    if (field.kind === 'list' || field.kind === 'multi') values[field.key] = [];
    else if (field.kind === 'text') values[field.key] = '';
    else values[field.key] = initialChoice(field, { ...ctx, values });
  }
  if (kind === 'column' && records(ctx.parent?.columns).length === 0) Object.assign(values, { name: 'id', primary: 'yes' });
  return { kind, values };
}

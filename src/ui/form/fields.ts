import { OPERATIONS } from '../../authoring/ops/index.js';
import {
  type ChoiceContext,
  columnFields,
  type Field,
  type FormRecord,
  PARENT_COLUMNS,
  type RecordKind,
  records,
  text,
  type Value,
} from '../../authoring/ops/form.js';

export type { ChoiceContext, Field, FieldKind, FormRecord, RecordKind, Value } from '../../authoring/ops/form.js';
export { list, records, text } from '../../authoring/ops/form.js';

// A backfill walks its table by key and may not set it.
const NOT_KEY = (choices: string[], ctx: ChoiceContext) => choices.find((c) => !ctx.schema.column(text(ctx.parent?.table), c)?.primary) ?? '';

/** Exactly the fields of each record kind, in the order the form asks for them (DESIGN §5): each operation's own, and its parts'. */
export const FIELDS: Record<RecordKind, Field[]> = {
  ...(Object.fromEntries(Object.entries(OPERATIONS).map(([op, def]) => [op, def.form.fields])) as Record<keyof typeof OPERATIONS, Field[]>),
  column: columnFields('', true),
  assignment: [
    {
      key: 'column',
      label: 'column',
      kind: 'choice',
      choices: PARENT_COLUMNS,
      initial: NOT_KEY,
      placeholder: '↓ chooses the column to set',
      refuse: (c, ctx) => (ctx.schema.column(text(ctx.parent?.table), c)?.primary ? 'the key the backfill walks by' : undefined),
    },
    { key: 'expression', label: 'expression', kind: 'text', placeholder: 'an SQL expression, e.g. lower(name)' },
  ],
};

/** The fields shown now: those whose condition holds for the values typed so far. */
export function visibleFields(record: FormRecord): Field[] {
  return FIELDS[record.kind].filter((f) => !f.when || f.when(record.values));
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

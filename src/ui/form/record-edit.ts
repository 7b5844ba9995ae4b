import type { SchemaSnapshot } from '../../authoring/snapshot.js';
import { toOperations } from './build.js';
import { type ChoiceContext, type Field, FIELDS, type FormRecord, initialChoice, list, text, type Value, visibleFields } from './fields.js';
import type { FormState, RecordPath } from './form-state.js';
import { SchemaAt } from '../../authoring/ops/schema-at.js';
import { OPERATIONS } from '../../authoring/ops/index.js';
import { followReference } from '../../authoring/ops/form.js';

/** Where a record's choices come from: the schema as the operations before its own leave it. */
export function choiceContext(state: FormState, snapshot: SchemaSnapshot, path: RecordPath): ChoiceContext {
  const operation = state.operations[path.op];
  const schema = SchemaAt.of(snapshot, state.operations.slice(0, path.op).flatMap(toOperations));
  if (!path.item) return { schema, values: operation?.values ?? {} };
  const item = (operation?.values[path.item.field] as FormRecord[] | undefined)?.[path.item.index];
  return { schema, values: item?.values ?? {}, parent: operation?.values };
}

/**
 * The values after setting one field: choices that depend on it (a table's columns) move to what is there now, and
 * alterColumn starts from the chosen column's current type, nullability and default.
 */
export function withValue(record: FormRecord, key: string, value: Value, ctx: ChoiceContext): Record<string, Value> {
  const values = { ...record.values, [key]: value };
  const now = { ...ctx, values };
  for (const field of FIELDS[record.kind]) {
    if (field.key === key || !field.choices) continue;
    const choices = field.choices(now);
    if (field.kind === 'choice' && !choices.includes(text(values[field.key]))) values[field.key] = initialChoice(field, now);
    if (field.kind === 'multi') values[field.key] = list(values[field.key]).filter((c) => choices.includes(c));
  }
  if (record.kind in OPERATIONS) OPERATIONS[record.kind as keyof typeof OPERATIONS].form.follow?.(values, key, ctx);
  if (record.kind === 'column' && key === 'references') followReference(values, now);
  return values;
}

/** The engine's problems that belong to a field of the record at `path`: `field` is the problem's path in the spec. */
export function fieldProblems(problems: { index?: number; field: string; message: string }[], path: RecordPath, field: Field): string[] {
  const own = field.problem ?? field.key;
  const prefix = path.item ? `${path.item.field === 'set' ? 'set' : `${path.item.field}[${path.item.index}]`}.` : '';
  return problems
    .filter((p) => p.index === path.op)
    .filter((p) => {
      if (path.item?.field === 'set') return field.key === 'expression' && p.field.startsWith('set.');
      const full = `${prefix}${own}`;
      return p.field === full || p.field.startsWith(`${full}[`) || (p.field.startsWith(`${full}.`) && !path.item);
    })
    .map((p) => p.message);
}

/** The visible fields of a record and the index of `key` among them. */
export function fieldIndex(record: FormRecord, key: string): number {
  return visibleFields(record).findIndex((f) => f.key === key);
}

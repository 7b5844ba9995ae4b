import { operationDef, OPERATIONS, type OperationName } from '../../authoring/ops/index.js';
import { columnSummary, type FormRecord, text } from '../../authoring/ops/form.js';
import type { Operation, Spec } from '../../authoring/spec.js';

// Form records ⇄ the spec's operations, through each operation's entry. Building keeps whatever was typed (an empty
// name stays empty) so the engine's validation, the one source of problems, names each one next to its field.

export { defaultOf } from '../../authoring/ops/form.js';

const isOperation = (kind: FormRecord['kind']): kind is OperationName => kind in OPERATIONS;

/** The operation a record says, as far as it is filled in. */
export function toOperation(record: FormRecord): Operation {
  if (!isOperation(record.kind)) throw new Error(`a ${record.kind} is part of an operation, not one`);
  return OPERATIONS[record.kind].form.toSpec(record.values) as Operation;
}

/** The operations of the spec a record says: its own, then those it brings (addColumn's index). */
export function toOperations(record: FormRecord): Operation[] {
  const brought = isOperation(record.kind) ? (OPERATIONS[record.kind].form as { brings?: Brings }).brings : undefined;
  return [toOperation(record), ...(brought?.operations(record.values) ?? [])];
}

type Brings = {
  field: string;
  operations(values: FormRecord['values']): Operation[];
  takes(values: FormRecord['values'], operation: Operation): FormRecord['values'] | undefined;
};

/** The spec of the records; fields left undefined are dropped, as JSON would. */
export function toSpec(operations: FormRecord[]): Spec {
  return JSON.parse(JSON.stringify({ operations: operations.flatMap(toOperations) })) as Spec;
}

/**
 * The engine's problems, by record: a problem of an operation a record brings is the record's, at the field that
 * asked for it ("indexed").
 */
export function recordProblems<P extends { index?: number; field: string; message: string }>(problems: P[], records: FormRecord[]): P[] {
  const owners = records.flatMap((record, i) => {
    const brought = toOperations(record).length - 1;
    const field = isOperation(record.kind) ? (OPERATIONS[record.kind].form as { brings?: Brings }).brings?.field : undefined;
    return [{ record: i }, ...Array.from({ length: brought }, () => ({ record: i, field }))];
  });
  return problems.map((p) => {
    const owner = p.index === undefined ? undefined : owners[p.index];
    if (!owner) return p;
    return { ...p, index: owner.record, field: 'field' in owner && owner.field ? owner.field : p.field };
  });
}

/** The record of an operation read back from a file the form (or `new --spec`) wrote. */
export function fromOperation(operation: Operation): FormRecord {
  return operationDef(operation).form.fromSpec(operation);
}

/** JSON with every object's keys in order: two operations that say the same thing compare equal. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

/**
 * The records of a file's operations, as they were entered: operations a record's choice brings (addColumn's
 * "indexed", a new table's column "references") go back into that choice where the record then brings exactly
 * them; anything else stays an operation of its own.
 */
export function fromOperations(operations: Operation[]): FormRecord[] {
  const out: FormRecord[] = [];
  for (let i = 0; i < operations.length; ) {
    let record = fromOperation(operations[i]);
    const brings = isOperation(record.kind) ? (OPERATIONS[record.kind].form as { brings?: Brings }).brings : undefined;
    const [own] = toSpec([record]).operations;
    let next = i + 1;
    while (brings && next < operations.length) {
      const values = brings.takes(record.values, operations[next]);
      const candidate = values && { ...record, values };
      if (!candidate || canonical(toSpec([candidate]).operations) !== canonical([own, ...operations.slice(i + 1, next + 1)])) break;
      record = candidate;
      next++;
    }
    out.push(record);
    i = next;
  }
  return out;
}

/** One line that says what an operation does: "createTable projects (3 columns)". */
export function summary(record: FormRecord): string {
  const v = record.values;
  if (isOperation(record.kind)) return OPERATIONS[record.kind].form.summary(v);
  if (record.kind === 'column') return columnSummary(v);
  return `${text(v.column) || '…'} = ${text(v.expression) || '…'}`;
}

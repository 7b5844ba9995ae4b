import { type IndexNamer, MAX_IDENTIFIER, PlanError, planSteps } from './plan.js';
import type { SchemaSnapshot } from './snapshot.js';
import { OPERATION_NAMES, operationDef, planOne } from './ops/index.js';
import { WorkingSchema } from './ops/schema.js';
import { identifierProblem, type Zod } from './ops/spec-kit.js';
import type { Operation, Spec } from './spec.js';
import { specSchema } from './spec-schema.js';

/** One thing wrong with a spec: which operation (by index), which field, and what. */
export interface Problem {
  /** The operation's position in the spec (0-based); undefined for the spec as a whole or the revision's name. */
  index?: number;
  field: string;
  message: string;
}

/** "operation 2 (addColumn), column.name: …" — one line a person can act on. */
export function describeProblem(problem: Problem, operations: unknown[] = []): string {
  if (problem.index === undefined) return `${problem.field}: ${problem.message}`;
  const op = (operations[problem.index] as { op?: unknown } | undefined)?.op;
  return `operation ${problem.index + 1}${typeof op === 'string' ? ` (${op})` : ''}, ${problem.field}: ${problem.message}`;
}

/**
 * Why a revision cannot run on the connected database, as the form and `new` both say it: "cannot run on sqlite:
 * up() and down(): …" when both directions fail alike, the reasons one after the other otherwise.
 */
export function describeCannotRun(dialect: string, reasons: string[]): string {
  const parts = reasons.map((r) => /^(\w+\(\)): (.*)$/.exec(r) ?? [r, '', r]);
  const alike = parts.length > 1 && parts.every((p) => p[2] === parts[0][2] && p[1]);
  return `cannot run on ${dialect}: ${alike ? `${parts.map((p) => p[1]).join(' and ')}: ${parts[0][2]}` : reasons.join(' · ')}`;
}

export { identifierProblem, MAX_IDENTIFIER };

/** The revision's name as it goes into the file name: lower case letters, digits and _. */
export function revisionNameProblem(name: string): string | undefined {
  if (!name) return 'a name is needed, e.g. add_projects';
  if (!/^[a-z0-9][a-z0-9_]*$/.test(name)) return 'use lower-case letters, digits and _ (e.g. add_projects)';
  if (name.length > 100) return 'keep it under 100 characters';
  return undefined;
}

/**
 * Every problem of a spec, before anything is written: shape, names, types, defaults, and the live schema.
 * `fromEntities`: the spec is MikroORM's diff, whose new names are the entities' own (reserved words included, quoted).
 */
export function validateSpec(input: unknown, snapshot: SchemaSnapshot, names: IndexNamer, options: { fromEntities?: boolean } = {}): Problem[] {
  const parsed = specSchema(!options.fromEntities).safeParse(input);
  if (!parsed.success) return shapeProblems(parsed.error.issues, input);
  const operations = (input as Spec).operations;
  const problems: Problem[] = [];
  const own = ownTableProblems(operations, snapshot.ownTables ?? []);
  if (own.length > 0) return own;
  problems.push(...duplicates(operations));
  try {
    planSteps(operations, snapshot, names);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    problems.push({ index: error.index, field: error.field, message: error.message });
  }
  problems.push(...liveProblems(operations, snapshot, names));
  return problems;
}

/** zod's issues as our problems: the operation's index and the field's path (`columns[0].type`), in today's words. */
function shapeProblems(issues: Zod.core.$ZodIssue[], input: unknown): Problem[] {
  // The spec as a whole first: nothing of its operations is worth saying while it has none.
  const whole = issues.filter((issue) => issue.path.length === 0 || (issue.path.length === 1 && issue.path[0] === 'operations'));
  const spec = whole.find((issue) => issue.path.length === 1 || issue.code !== 'unrecognized_keys');
  if (spec) return [{ field: 'operations', message: spec.message }];
  const operations = (input as { operations: unknown[] }).operations;
  return issues.flatMap((issue): Problem[] => {
    if (issue.path.length === 0 && issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ field: key, message: `the spec has no field "${key}"` }));
    const [, at, ...path] = issue.path;
    const index = Number(at);
    const raw = operations[index];
    const field = fieldPath(path);
    if (path.length === 0 && issue.code === 'invalid_type') return [{ index, field: 'op', message: 'each operation is an object' }];
    if (issue.code === 'invalid_union' && field === 'op') {
      const op = (raw as { op?: unknown }).op;
      return [{ index, field: 'op', message: `unknown operation "${String(op)}"; one of ${OPERATION_NAMES.join(', ')}` }];
    }
    if (issue.code === 'unrecognized_keys') {
      const owner =
        path.length === 0 ? `${String((raw as { op: string }).op)} has` : /^column|^columns\[/.test(field) ? 'a column has' : `${field} has`;
      return issue.keys.map((key) => ({ index, field: field ? `${field}.${key}` : key, message: `${owner} no field "${key}"` }));
    }
    return [{ index, field, message: issue.message }];
  });
}

/** `['columns', 0, 'type']` as `columns[0].type`. */
function fieldPath(path: PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`)).join('');
}

/** The same thing created twice in one spec. */
function duplicates(operations: Operation[]): Problem[] {
  const problems: Problem[] = [];
  const made = new Map<string, number>();
  operations.forEach((operation, index) => {
    const created = operationDef(operation).creates?.(operation);
    if (!created) return;
    const earlier = made.get(created.thing);
    if (earlier !== undefined)
      problems.push({ index, field: created.field, message: `${created.thing} is already created by operation ${earlier + 1}` });
    made.set(created.thing, index);
  });
  return problems;
}

/**
 * What the schema says against each operation beyond what stops planning (a table that exists already, a key a backfill
 * would set): every operation is asked, against the schema as the operations before it leave it.
 */
function liveProblems(operations: Operation[], snapshot: SchemaSnapshot, names: IndexNamer): Problem[] {
  const problems: Problem[] = [];
  const schema = new WorkingSchema(snapshot);
  operations.forEach((operation, index) => {
    for (const [field, message] of operationDef(operation).check?.(operation, { snapshot, schema }) ?? []) problems.push({ index, field, message });
    try {
      planOne(operation, index, schema, names);
    } catch {
      // Planning reported the first such problem; the operations after it are still checked.
    }
  });
  return problems;
}

/** migrate-ui's tables and MikroORM's history table are never created, renamed, dropped or changed by a spec. */
function ownTableProblems(operations: Operation[], ownTables: string[]): Problem[] {
  const own = new Set(ownTables.map((t) => t.toLowerCase()));
  const problems: Problem[] = [];
  operations.forEach((operation, index) => {
    const o = operation as unknown as Record<string, unknown>;
    const fields: Array<[string, unknown]> = [
      ['table', o.table],
      ['from', o.from],
      ['to', o.to],
      ['references.table', (o.references as { table?: unknown } | undefined)?.table],
    ];
    for (const [field, name] of fields) {
      if (typeof name === 'string' && own.has(name.toLowerCase()))
        problems.push({
          index,
          field,
          message: `${name} is ${name.startsWith('migrate_ui_') ? "migrate-ui's" : "MikroORM's"} own table; no operation may touch it`,
        });
    }
  });
  return problems;
}

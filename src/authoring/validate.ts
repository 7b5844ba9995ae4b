import { DEFAULT_KINDS } from './op/column-sql.js';
import { type IndexNamer, MAX_IDENTIFIER, PlanError, planSteps } from './plan.js';
import type { SchemaSnapshot } from './snapshot.js';
import { OPERATION_NAMES, OPERATIONS, operationDef, planOne } from './ops/index.js';
import { WorkingSchema } from './ops/schema.js';
import type { ShapeCheck } from './ops/types.js';
import { COLUMN_TYPES, type ColumnSpec, type Operation, type Spec } from './spec.js';

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

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
export { MAX_IDENTIFIER };
const RESERVED = new Set(
  `add all alter and any as asc between both by case cast check collate column constraint create cross current_date current_time
  current_timestamp current_user default delete desc distinct drop else end except exists false fetch for foreign from full grant group
  having in index inner insert intersect into is join key leading left like limit natural not null offset on or order outer primary
  references right select set some table then to trailing true union unique update user using values when where with`.split(/\s+/),
);

/**
 * Why a table, column or index name cannot be used as it is; undefined when it can. Reserved words are refused only
 * where `reserved` (a name the spec gives something new): a table that is there already, `user` say, is named as it is.
 */
export function identifierProblem(name: unknown, reserved = true): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a name is needed';
  if (!IDENTIFIER.test(name)) return `"${name.slice(0, 40)}" is not a plain name: use letters, digits and _ (not starting with a digit)`;
  if (name.length > MAX_IDENTIFIER) return `"${name.slice(0, 20)}…" is ${name.length} characters; PostgreSQL allows ${MAX_IDENTIFIER}`;
  if (reserved && RESERVED.has(name.toLowerCase())) return `"${name}" is a reserved word in SQL`;
  return undefined;
}

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
  if (typeof input !== 'object' || input === null || !Array.isArray((input as Spec).operations)) {
    return [{ field: 'operations', message: 'the spec is an object with an "operations" array' }];
  }
  const operations = (input as Spec).operations as unknown[];
  if (operations.length === 0) return [{ field: 'operations', message: 'add at least one operation' }];
  const problems = operations.flatMap((operation, index) => shapeProblems(operation, index, !options.fromEntities));
  if (problems.length > 0) return problems;
  const own = ownTableProblems(operations as Operation[], snapshot.ownTables ?? []);
  if (own.length > 0) return own;
  problems.push(...duplicates(operations as Operation[]));
  try {
    planSteps(operations as Operation[], snapshot, names);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    problems.push({ index: error.index, field: error.field, message: error.message });
  }
  problems.push(...liveProblems(operations as Operation[], snapshot, names));
  return problems;
}

const COLUMN_FIELDS = ['name', 'type', 'nullable', 'default', 'primary', 'autoincrement', 'unique', 'length', 'precision', 'scale'];

/** `reserved`: whether the names the operation gives something new may not be reserved words. */
function shapeProblems(raw: unknown, index: number, reserved: boolean): Problem[] {
  const at = (field: string, message: string): Problem => ({ index, field, message });
  if (typeof raw !== 'object' || raw === null) return [at('op', 'each operation is an object')];
  const operation = raw as Record<string, unknown>;
  const op = operation.op as Operation['op'];
  if (!OPERATION_NAMES.includes(op)) return [at('op', `unknown operation "${String(operation.op)}"; one of ${OPERATION_NAMES.join(', ')}`)];
  const def = OPERATIONS[op];
  const problems = Object.keys(operation)
    .filter((key) => key !== 'op' && !(def.fields as readonly string[]).includes(key))
    .map((key) => at(key, `${op} has no field "${key}"`));
  const problem = (field: string, message: string) => void problems.push(at(field, message));
  const check: ShapeCheck = {
    operation,
    problem,
    // `creates`: the name is new (a table, column or index the operation makes); otherwise it names what is there.
    name(field, creates = false) {
      const found = identifierProblem(operation[field], creates && reserved);
      if (found) problem(field, found);
    },
    names(field) {
      const list = operation[field];
      if (!Array.isArray(list) || list.length === 0) return problem(field, 'a list of column names is needed');
      list.forEach((n, i) => void (identifierProblem(n, false) && problem(`${field}[${i}]`, identifierProblem(n, false)!)));
      list.forEach((n, i) => void (list.indexOf(n) < i && problem(`${field}[${i}]`, `column ${n} is listed twice`)));
    },
    column: (column, prefix, typeOptional = false) =>
      void problems.push(...columnProblems(column, index, prefix, typeOptional, prefix ? reserved : true)),
    identifier: (value) => identifierProblem(value, false),
    expression(field, value) {
      const found = expressionProblem(value);
      if (found) problem(field, found);
    },
  };
  def.shape(check);
  return problems;
}

/** A backfill's expression is one SQL expression: no statement separator, no comment that could hide the rest. */
function expressionProblem(expression: unknown): string | undefined {
  if (typeof expression !== 'string' || !expression.trim()) return 'an SQL expression is needed';
  if (/;|--|\/\*/.test(expression)) return 'one expression only: no ;, -- or /*';
  return undefined;
}

function columnProblems(raw: unknown, index: number, prefix: string, typeOptional = false, reserved = true): Problem[] {
  const at = (field: string, message: string): Problem => ({ index, field: prefix ? `${prefix}.${field}` : field, message });
  if (typeof raw !== 'object' || raw === null) return [at('name', 'a column is an object { name, type, … }')];
  const column = raw as Record<string, unknown>;
  const problems: Problem[] = [];
  if (prefix) for (const key of Object.keys(column)) if (!COLUMN_FIELDS.includes(key)) problems.push(at(key, `a column has no field "${key}"`));
  const nameProblem = identifierProblem(column.name, reserved);
  if (nameProblem && prefix) problems.push(at('name', nameProblem));
  if (!typeOptional && !COLUMN_TYPES.includes(column.type as ColumnSpec['type']))
    problems.push(at('type', `unknown type "${String(column.type)}"; one of ${COLUMN_TYPES.join(', ')}`));
  for (const flag of ['nullable', 'primary', 'autoincrement', 'unique'])
    if (column[flag] !== undefined && typeof column[flag] !== 'boolean') problems.push(at(flag, 'true or false'));
  if (column.autoincrement === true && !(column.primary === true && ['integer', 'bigint'].includes(String(column.type))))
    problems.push(at('autoincrement', 'only an integer or bigint primary key is numbered by the database'));
  for (const size of ['length', 'precision', 'scale']) {
    if (column[size] !== undefined && !(Number.isInteger(column[size]) && Number(column[size]) >= 0)) problems.push(at(size, 'a whole number'));
  }
  if (column.type === 'decimal' && !typeOptional && (column.precision === undefined || column.scale === undefined))
    problems.push(at('precision', 'decimal needs precision and scale'));
  problems.push(...sizeProblems(column).map(([field, message]) => at(field, message)));
  const value = column.default;
  if (
    !typeOptional &&
    value !== undefined &&
    value !== null &&
    !(typeof value === 'object' && typeof (value as { sql?: unknown }).sql === 'string')
  ) {
    const kinds = DEFAULT_KINDS[column.type as ColumnSpec['type']] ?? [];
    if (!kinds.includes(typeof value as 'string'))
      problems.push(at('default', `a ${String(column.type)} column cannot default to ${JSON.stringify(value)}`));
  }
  if (!typeOptional && value === null && column.nullable === false) problems.push(at('default', 'a NOT NULL column cannot default to null'));
  if (column.primary && column.nullable) problems.push(at('nullable', 'a primary key column cannot be nullable'));
  return problems;
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

/** The largest sizes every database the file runs on takes: MySQL's varchar (utf8mb4) and decimal are the smallest. */
const LIMITS = { length: 16383, precision: 65, scale: 30 };

function sizeProblems(column: Record<string, unknown>): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const size = (field: 'length' | 'precision' | 'scale') => (Number.isInteger(column[field]) ? Number(column[field]) : undefined);
  const [length, precision, scale] = [size('length'), size('precision'), size('scale')];
  if (length !== undefined && (column.type ?? 'string') === 'string' && (length < 1 || length > LIMITS.length))
    problems.push(['length', `a string's length is 1 to ${LIMITS.length} (MySQL's varchar); use text for longer values`]);
  if (precision !== undefined && (precision < 1 || precision > LIMITS.precision))
    problems.push(['precision', `a decimal's precision is 1 to ${LIMITS.precision} (MySQL's limit)`]);
  if (scale !== undefined && scale > LIMITS.scale) problems.push(['scale', `a decimal's scale is at most ${LIMITS.scale} (MySQL's limit)`]);
  else if (scale !== undefined && precision !== undefined && scale > precision)
    problems.push(['scale', `the scale (${scale}) cannot exceed the precision (${precision})`]);
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

// The pieces every operation's spec shape is made of (a name, a list of names, a column, an SQL expression), as zod
// schemas. Only types come from zod here: the operations are loaded by `status` and the TUI's first frame, which do not
// load zod; the schemas are built when a spec is validated (../spec-schema.ts), from the zod given.
import type * as Zod from 'zod';
import { DEFAULT_KINDS } from '../op/column-sql.js';
import { COLUMN_TYPES, type ColumnType } from '../spec.js';
import { MAX_IDENTIFIER } from './schema.js';

export type { Zod };

/** What an operation's spec shape is made with: zod, and whether a name given to something new may be a reserved word. */
export interface Kit {
  z: typeof Zod;
  /** Reserved words are refused in new names (not in MikroORM's diff, whose names are the entities' own). */
  reserved: boolean;
}

/** The spec an operation's shape describes. */
export type SpecOf<F extends (kit: Kit) => Zod.ZodType> = Zod.infer<ReturnType<F>>;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
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

/** One SQL expression: no statement separator, no comment that could hide the rest. */
export function expressionProblem(expression: unknown): string | undefined {
  if (typeof expression !== 'string' || !expression.trim()) return 'an SQL expression is needed';
  if (/;|--|\/\*/.test(expression)) return 'one expression only: no ;, -- or /*';
  return undefined;
}

/** A name the operation gives (`creates`: something new, where reserved words are refused) or refers to. */
export const name = ({ z, reserved }: Kit, creates = false) =>
  z.string({ error: 'a name is needed' }).superRefine((value, ctx) => {
    const found = identifierProblem(value, creates && reserved);
    if (found) ctx.addIssue({ code: 'custom', message: found, input: value });
  });

/** A non-empty list of column names, none twice. */
export const names = (kit: Kit) =>
  kit.z
    .array(name(kit), { error: 'a list of column names is needed' })
    .min(1, { error: 'a list of column names is needed' })
    .superRefine((list, ctx) => {
      list.forEach((n, i) => {
        if (list.indexOf(n) < i) ctx.addIssue({ code: 'custom', path: [i], message: `column ${n} is listed twice`, input: n });
      });
    });

/** One SQL expression. */
export const expression = ({ z }: Kit) =>
  z.string({ error: 'an SQL expression is needed' }).superRefine((value, ctx) => {
    const found = expressionProblem(value);
    if (found) ctx.addIssue({ code: 'custom', message: found, input: value });
  });

/** The fields of a column's definition besides its name (alterColumn's own fields; `type` optional there). */
export const columnFields = ({ z }: Kit) => {
  const flag = () => z.boolean({ error: 'true or false' }).optional();
  const whole = () => z.int({ error: 'a whole number' }).min(0, { error: 'a whole number' }).optional();
  return {
    type: z.enum(COLUMN_TYPES, { error: (issue) => `unknown type "${String(issue.input)}"; one of ${COLUMN_TYPES.join(', ')}` }),
    nullable: flag(),
    default: z
      .union([z.string(), z.number(), z.boolean(), z.null(), z.strictObject({ sql: z.string() })], {
        error: (issue) => `a column cannot default to ${JSON.stringify(issue.input)}`,
      })
      .optional()
      .describe('a literal, or raw SQL ({ "sql": "current_timestamp" }) where a literal cannot say it'),
    primary: flag(),
    autoincrement: flag().describe('an integer or bigint primary key the database numbers (createTable only)'),
    unique: flag(),
    length: whole().describe('for string: the varchar length (255 when left out)'),
    precision: whole().describe('for decimal'),
    scale: whole().describe('for decimal'),
  };
};

/** A column's definition; its name is new (`reserved` words refused as the kit says). */
export const column = (kit: Kit) => {
  return kit.z
    .strictObject({ name: name(kit, true), ...columnFields(kit) }, { error: 'a column is an object { name, type, … }' })
    .superRefine((value, ctx) => {
      for (const [field, message] of columnRules(value, false)) ctx.addIssue({ code: 'custom', path: [field], message, input: value });
    });
};

/** A column as its definition's fields say it, for the rules between them. */
interface ColumnLike {
  type?: ColumnType;
  nullable?: boolean;
  default?: unknown;
  primary?: boolean;
  autoincrement?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
}

/** The largest sizes every database the file runs on takes: MySQL's varchar (utf8mb4) and decimal are the smallest. */
const LIMITS = { length: 16383, precision: 65, scale: 30 };

/** What the fields of one column say against each other: [field, message] each. `typeOptional`: alterColumn without a type. */
export function columnRules(column: ColumnLike, typeOptional: boolean): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  if (column.autoincrement === true && !(column.primary === true && ['integer', 'bigint'].includes(String(column.type))))
    problems.push(['autoincrement', 'only an integer or bigint primary key is numbered by the database']);
  if (column.type === 'decimal' && !typeOptional && (column.precision === undefined || column.scale === undefined))
    problems.push(['precision', 'decimal needs precision and scale']);
  const { length, precision, scale } = column;
  if (length !== undefined && (column.type ?? 'string') === 'string' && (length < 1 || length > LIMITS.length))
    problems.push(['length', `a string's length is 1 to ${LIMITS.length} (MySQL's varchar); use text for longer values`]);
  if (precision !== undefined && (precision < 1 || precision > LIMITS.precision))
    problems.push(['precision', `a decimal's precision is 1 to ${LIMITS.precision} (MySQL's limit)`]);
  if (scale !== undefined && scale > LIMITS.scale) problems.push(['scale', `a decimal's scale is at most ${LIMITS.scale} (MySQL's limit)`]);
  else if (scale !== undefined && precision !== undefined && scale > precision)
    problems.push(['scale', `the scale (${scale}) cannot exceed the precision (${precision})`]);
  const value = column.default;
  if (!typeOptional && value !== undefined && value !== null && typeof value !== 'object') {
    const kinds = DEFAULT_KINDS[column.type ?? 'string'] ?? [];
    if (!kinds.includes(typeof value as 'string'))
      problems.push(['default', `a ${String(column.type)} column cannot default to ${JSON.stringify(value)}`]);
  }
  if (!typeOptional && value === null && column.nullable === false) problems.push(['default', 'a NOT NULL column cannot default to null']);
  if (column.primary && column.nullable) problems.push(['nullable', 'a primary key column cannot be nullable']);
  return problems;
}

/** What alterColumn may change: a column's fields but its name and keys, the type optional (the column keeps its own). */
export const alterable = (kit: Kit) => {
  const { type, nullable, default: value, length, precision, scale } = columnFields(kit);
  return { type: type.optional(), nullable, default: value, length, precision, scale };
};

/** A rename of something a table has (a column, an index): `{ op, table, from, to }`, the new name a new one, not the old. */
export const renameInTable = <const Op extends string>(k: Kit, op: Op) =>
  k.z.strictObject({ op: k.z.literal(op), table: name(k), from: name(k), to: name(k, true) }).superRefine(renamed);

/** A rename's new name is not its old one. */
export function renamed(o: { from: string; to: string }, ctx: Zod.RefinementCtx): void {
  if (o.from === o.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the new name is the old one', input: o });
}

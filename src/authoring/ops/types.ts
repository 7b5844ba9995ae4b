import type { LintShape } from '../../core/lint/shapes.js';
import type { EntityOperation } from '../entities/types.js';
import type { SchemaSnapshot } from '../snapshot.js';
import type { ColumnSpec } from '../spec.js';
import type { Field, FormRecord, Value, ChoiceContext } from './form.js';
import type { Operation } from './index.js';
import type { Kit, Zod } from './spec-kit.js';

type ZodType<S> = Zod.ZodType<S>;
import type { IndexNamer, WorkingSchema } from './schema.js';

/** One call on the operations of a generated file: `await op.<method>(...args)`. */
export interface Call {
  method: string;
  args: unknown[];
}

/** A call with the arguments left out (undefined) dropped, as the file writes it. */
export const call = (method: string, ...args: unknown[]): Call => ({ method, args: args.filter((a) => a !== undefined) });

/** What the live schema supplied for a step (alterColumn's full definitions, a dropped index's columns…). */
export type Resolved =
  | { op: 'alterColumn'; before: ColumnSpec; after: ColumnSpec }
  | { op: 'dropColumn'; column: ColumnSpec }
  | { op: 'createIndex' | 'dropIndex'; name: string; columns: string[]; unique: boolean }
  | { op: 'addForeignKey'; name: string }
  | { op: 'dropTable'; columns: ColumnSpec[] }
  | { op: 'none' };

/** An operation of the spec, resolved against the schema as the revision has it at that point. */
export interface Step {
  index: number;
  operation: Operation;
  /** What up() does for it, in order. */
  up: Call[];
  /** What down() does to undo it, in the order down() runs it (down() runs the steps in reverse). */
  down: Call[];
  /** The column definitions and names the live schema supplied (alterColumn's full definitions, a dropped index's columns). */
  resolved: Resolved;
}

/** What an entry's plan is given: the operation's place, the schema as the steps before leave it, MikroORM's names. */
export interface PlanContext {
  index: number;
  schema: WorkingSchema;
  names: IndexNamer;
  /** A name MikroORM derives (an index's, a foreign key's), refused where PostgreSQL would cut it. */
  derived(field: string, name: string, advice: string): string;
}

/** What an entry's check is given: the live schema, and the schema as the operations before this one leave it. */
export interface CheckContext {
  snapshot: SchemaSnapshot;
  schema: WorkingSchema;
}

/** What an operation does to the schema, up() and down(). */
export interface Planned {
  up: Call[];
  down: Call[];
  resolved?: Resolved;
}

/** How the form asks for an operation and reads it back. */
export interface OperationForm<S> {
  /** The fields in the order the form asks for them (DESIGN §5). */
  fields: Field[];
  /** The operation the values say, as far as they are filled in (an empty name stays empty: validation names it). */
  toSpec(values: Record<string, Value>): S;
  /** The record of an operation read back from a file the form (or `new --spec`) wrote. */
  fromSpec(operation: S): FormRecord;
  /** One line that says what it does: "renameColumn features.title → name". */
  summary(values: Record<string, Value>): string;
  /** Operations the record brings after its own, and the field that asks for them (addColumn's "indexed": a createIndex). */
  brings?: {
    field: string;
    operations(values: Record<string, Value>): Operation[];
    /**
     * Reopening a file: the values with `operation` (the one after the record's own, or after those it took already)
     * asked for by the field, or undefined where the field cannot say it. The form keeps them only where the record
     * then brings exactly the file's operations.
     */
    takes(values: Record<string, Value>, operation: Operation): Record<string, Value> | undefined;
  };
  /** After `key` is set: values that follow it (alterColumn starts from the chosen column's definition). */
  follow?(values: Record<string, Value>, key: string, ctx: ChoiceContext): void;
}

/** Everything about one operation of the spec (Alembic's dispatch tables, as one entry). */
export interface OperationDef<S extends { op: string }> {
  /** The shape of its spec, made from the zod the kit gives (loaded only where a spec is validated). */
  spec(kit: Kit): ZodType<S>;
  /** What the form's menu says of it. */
  menu: string;
  /** The operation as the file and the entities write it (MariaDB's reading of a decimal default), before it is planned. */
  normalize?(operation: S): S;
  /** What it makes that no other operation of the spec may make too (`table projects`), and the field naming it. */
  creates?(operation: S): { thing: string; field: string } | undefined;
  /** Problems the schema shows that do not stop planning (a table that is there already): [field, message] each. */
  check?(operation: S, ctx: CheckContext): Array<[string, string]>;
  /** Resolves it against the working schema, which it changes as the database will be changed; the calls of up() and down(). */
  plan(operation: S, ctx: PlanContext): Planned;
  /** The entity edit for the step; none where the entities do not say it (sql, backfill). */
  entity?(operation: S, resolved: Resolved): EntityOperation | undefined;
  /** The entity edit that takes the step back (the form rewriting a pending revision it wrote). */
  undoEntity?(operation: S, resolved: Resolved): EntityOperation | undefined;
  /** Where the entities should change but no edit is written: the note that says so. */
  entityNote?(operation: S): string;
  form: OperationForm<S>;
  /** The lint's shape of each `op.<method>` this operation's calls bring. */
  lint?: Record<string, LintShape>;
}

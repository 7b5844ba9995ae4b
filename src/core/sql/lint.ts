// The lint: what a revision's SQL risks on a database in use, one line per finding (DESIGN §5 "Lint").
import type { Dialect } from '../url.js';
import { dataLossOf, describeDataLoss, type SchemaLookup } from './data-loss.js';
import { ColumnsBefore } from './lint-columns.js';
import { type Finding, SchemaSoFar } from './lint-walk.js';
import { parseStatement, type Statement } from './statement.js';
import { splitStatements } from './tokens.js';

export type LintRule =
  | 'data-loss'
  | 'not-null-without-default'
  | 'index-not-concurrent'
  | 'narrowing-type'
  | 'rename'
  | 'missing-down'
  | 'empty-down'
  | 'sqlite-rebuild'
  | 'raw-sql'
  | 'backfill-in-schema-revision';

/** One thing about a revision worth a second look before it runs, in one line. */
export interface LintWarning {
  rule: LintRule;
  message: string;
  /** The statement (or, in a file migrate-ui wrote, the operation call) it is about. */
  statement?: string;
}

/** The live schema's declared column types, and nullability, where known. */
export interface ColumnTypes {
  type(table: string, column: string): string | undefined;
  nullable?(table: string, column: string): boolean | undefined;
}

export type LiveSchema = ColumnTypes & SchemaLookup;

export interface RevisionSql {
  dialect: Dialect;
  /** The statements up() runs, in order; each string may hold several. */
  up: string[];
  /** down()'s statements, when known. */
  down?: string[];
  /** False when the class has no down() of its own. */
  hasDown?: boolean;
  live?: LiveSchema;
}

const DOWN_WARNINGS = {
  'missing-down': 'has no down(): it cannot be reverted',
  'empty-down': 'down() does nothing: reverting it leaves what up() changed in place',
} as const;

/** The warning for raw SQL in a revision migrate-ui wrote: the one part of it that is not portable. */
export function rawSqlWarning(): LintWarning {
  return { rule: 'raw-sql', message: 'raw SQL (op.sql) runs as written on every database: it is not portable, try it on the others' };
}

/** The warning for a revision whose down() is missing or does nothing. */
export function downWarning(rule: keyof typeof DOWN_WARNINGS): LintWarning {
  return { rule, message: DOWN_WARNINGS[rule] };
}

const CHANGES_NOTHING = new Set<Statement['kind']>(['select', 'transaction', 'set', 'pragma']);

/** True when a statement changes the schema or the data (a query, a transaction or a setting does not). */
export function changesSomething(text: string, dialect: Dialect): boolean {
  return !CHANGES_NOTHING.has(parseStatement(text, dialect).kind);
}

/**
 * What a revision's statements risk, in statement order: data loss, NOT NULL without a default, PostgreSQL index
 * builds without CONCURRENTLY, narrowing type changes, renames, SQLite table rebuilds; then a missing or empty down().
 */
export function lintRevision(input: RevisionSql): LintWarning[] {
  const { dialect, live } = input;
  const up = input.up.flatMap((sql) => splitStatements(sql, dialect));
  const down = input.down?.flatMap((sql) => splitStatements(sql, dialect));
  const schema = new SchemaSoFar(dialect, new ColumnsBefore(down ?? [], dialect), live);
  const findings: Finding[] = up.flatMap((text, at) => schema.read(parseStatement(text, dialect), text, at));
  findings.push(...schema.rebuilds());
  for (const loss of dataLossOf(up, dialect, live)) {
    const message =
      loss.kind === 'values'
        ? `overwrites ${describeDataLoss(loss)}: no WHERE leaves a row out, and down() cannot bring the old values back`
        : `loses ${describeDataLoss(loss)}: down() can restore the structure, never the data`;
    findings.push({ rule: 'data-loss', message, statement: loss.statement, at: up.indexOf(loss.statement) });
  }
  // Statement order; within one statement, what it loses first.
  const rank = (finding: Finding) => finding.at * 2 + (finding.rule === 'data-loss' ? 0 : 1);
  const warnings: LintWarning[] = findings
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => rank(a.finding) - rank(b.finding) || a.order - b.order)
    .map(({ finding: { rule, message, statement } }) => ({ rule, message, ...(statement !== undefined && { statement }) }));
  if (input.hasDown === false) warnings.push(downWarning('missing-down'));
  else if (down?.length === 0 && up.some((text) => changesSomething(text, dialect))) warnings.push(downWarning('empty-down'));
  return warnings;
}

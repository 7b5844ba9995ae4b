// The lint of a migration file read as text, never imported (DESIGN §4: `status` runs no migration code): the SQL
// strings of its up() and down(), and the operation calls of a file migrate-ui wrote, go through the same rules.
// The file is read through its one reading (revision-file.ts); each operation call's shape comes from the table of
// shapes the caller hands in (authoring's operation table: core holds no operation).
import { REVISION_KINDS } from '../revisions.js';
import { downWarning, type LintWarning, type LiveSchema, lintRevision, rawSqlWarning } from '../sql/lint.js';
import { parseStatement } from '../sql/statement.js';
import { splitStatements, tokenize } from '../sql/tokens.js';
import type { Dialect } from '../url.js';
import { type MethodBody, readRevisionFile } from './revision-file.js';
import { LintSql, type LintShapes } from './shapes.js';

// Statements the parser leaves as `other` that are still SQL a revision runs (functions, triggers, types, grants).
const OTHER_SQL = new Set(['create', 'alter', 'drop', 'grant', 'revoke']);

const BACKFILL_IN_SCHEMA: LintWarning = {
  rule: 'backfill-in-schema-revision',
  message:
    'op.backfill beside schema changes in a Migration: its batches commit one by one, so up() is not one transaction and a failure leaves the schema half changed; make the backfill a DataMigration step (the form and new --spec do)',
};

/** What one method body runs, as far as its text tells. */
interface BodyReading {
  /** It calls `op.sql(…)`: SQL as written, whatever the database. */
  raw?: boolean;
  statements: string[];
  /** It calls `op.backfill(…)`: batches that commit one by one. */
  backfill?: boolean;
  /** True when the body calls anything at all. */
  calls: boolean;
  /** The operation call each statement made from a call stands for, by statement text. */
  calledAs: Map<string, string>;
}

/** True for a string that reads as SQL: two words or more, and a statement the parser knows (`set null` is not one). */
function looksLikeSql(text: string, dialect: Dialect): boolean {
  if (tokenize(text, dialect).length < 2) return false;
  return splitStatements(text, dialect).some((statement) => {
    const parsed = parseStatement(statement, dialect);
    if (parsed.kind === 'set') return tokenize(statement, dialect).length >= 3;
    return parsed.kind !== 'other' || (OTHER_SQL.has(parsed.keyword) && tokenize(statement, dialect).length >= 3);
  });
}

function readBody(body: MethodBody, dialect: Dialect, shapes: LintShapes): BodyReading {
  const reading: BodyReading = { statements: [], calls: body.calls, calledAs: new Map() };
  const sql = new LintSql(dialect);
  for (const part of body.parts) {
    if ('call' in part) {
      const { method, args, text } = part.call;
      const statements = (shapes.get(method)?.(args, sql, dialect) ?? []).flatMap((s) => splitStatements(s, dialect));
      // An `op.sql(…)` is shown as its SQL; any other operation as the call that wrote it.
      if (method === 'backfill') reading.backfill = true;
      if (method !== 'sql') for (const statement of statements) reading.calledAs.set(statement, text);
      else reading.raw = true;
      reading.statements.push(...statements);
    } else if (!part.substituted && looksLikeSql(part.string, dialect)) {
      reading.statements.push(part.string);
    }
  }
  return reading;
}

/** What up() runs (with the parts of a kind whose up() is several methods), and the kind that says so; none without an up(). */
function readUp(methods: Map<string, MethodBody>, dialect: Dialect, shapes: LintShapes) {
  // The first kind whose class is there (its first up() method) says what makes up up().
  const kind = REVISION_KINDS.find((k) => methods.has(k.up[0]));
  const upBody = kind && methods.get(kind.up[0]);
  if (!kind || !upBody) return undefined;
  const [, ...parts] = kind.up;
  const up = readBody(upBody, dialect, shapes);
  for (const part of parts) {
    const body = methods.get(part);
    if (!body) continue;
    const read = readBody(body, dialect, shapes);
    up.statements.push(...read.statements);
    for (const [statement, call] of read.calledAs) up.calledAs.set(statement, call);
    up.raw ||= read.raw;
  }
  if (kind.upActs) up.calls = true;
  return { kind, up };
}

/** The SQL a migration file's up() runs, as far as its text tells (string literals, and the `op.*` calls read with `shapes`). */
export function upStatementsOfSource(source: string, dialect: Dialect, shapes: LintShapes): string[] {
  return readUp(readRevisionFile(source).methods, dialect, shapes)?.up.statements ?? [];
}

/**
 * The lint warnings of a migration file's source, without running it: the SQL string literals (and, in a file
 * migrate-ui wrote, the `op.*` calls, read with `shapes`) of its class's up() and down(). Strings in comments and
 * `${…}` templates are left out.
 */
export function lintSource(source: string, dialect: Dialect, shapes: LintShapes, live?: LiveSchema): LintWarning[] {
  const { methods } = readRevisionFile(source);
  const reading = readUp(methods, dialect, shapes);
  if (!reading) return [];
  const { kind, up } = reading;
  const downBody = methods.get('down');
  const down = downBody && readBody(downBody, dialect, shapes);
  // down()'s SQL is known when it has some, or when it calls nothing at all.
  const known = down === undefined || (down.statements.length === 0 && down.calls) ? undefined : down.statements;
  const warnings = lintRevision({ dialect, up: up.statements, down: known, hasDown: downBody !== undefined, live }).map((warning) => {
    const call = warning.statement === undefined ? undefined : up.calledAs.get(warning.statement);
    return call === undefined ? warning : { ...warning, statement: call };
  });
  // up() may run what no string shows (knex's builder, a helper): calling anything is doing something.
  if (known?.length === 0 && up.calls && !warnings.some((w) => w.rule === 'empty-down')) warnings.push(downWarning('empty-down'));
  if (up.raw) warnings.push(rawSqlWarning());
  // A schema revision runs in one transaction; a backfill beside its DDL makes it commit batch by batch instead.
  if (kind.kind === 'schema' && up.backfill && up.statements.some((s) => !/^\s*update\b/i.test(s))) warnings.push(BACKFILL_IN_SCHEMA);
  return warnings;
}

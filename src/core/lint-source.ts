// The lint of a migration file read as text, never imported (DESIGN §4: `status` runs no migration code): the SQL
// strings of its up() and down(), and the operation calls of a file migrate-ui wrote, go through the same rules.
// Each operation's entry says the shape of its calls: the lint reads them from the operation table.
import { operationSql } from '../authoring/ops/lint.js';
import { REVISION_KINDS } from './revisions.js';
import { classMethods, Script } from './sql/lint-script-parts.js';
import { scanScript } from './sql/lint-script.js';
import { downWarning, type LintWarning, type LiveSchema, lintRevision, rawSqlWarning } from './sql/lint.js';
import { parseStatement } from './sql/statement.js';
import { splitStatements, tokenize } from './sql/tokens.js';
import type { Dialect } from './url.js';

const SPEC_MARKER = '@migrate-ui spec ';
// Statements the parser leaves as `other` that are still SQL a revision runs (functions, triggers, types, grants).
const OTHER_SQL = new Set(['create', 'alter', 'drop', 'grant', 'revoke']);
// The methods the lint reads: each kind's parts of up() (a Migration's up(), a DataMigration's steps() and the schema
// changes around them), and down().
const METHODS = [...new Set([...REVISION_KINDS.flatMap((kind) => kind.up), 'down'])];

/** What one method body runs, as far as its text tells. */
interface BodyReading {
  /** It calls `op.sql(…)`: SQL as written, whatever the database. */
  raw?: boolean;
  statements: string[];
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

/** The variable `ops(this)` is assigned to in [start, end), if any: `const op = ops(this)`. */
function operationsVariable(script: Script, [start, end]: [number, number]): string | undefined {
  for (let i = start; i + 3 < end; i++) {
    if (script.isName(i) && script.is(i + 1, '=') && script.isName(i + 2, 'ops') && script.is(i + 3, '(')) return script.tokens[i].value;
  }
  return undefined;
}

function readBody(script: Script, source: string, range: [number, number], dialect: Dialect, generated: boolean): BodyReading {
  const reading: BodyReading = { statements: [], calls: false, calledAs: new Map() };
  const op = operationsVariable(script, range) ?? (generated ? 'op' : undefined);
  const [start, end] = range;
  for (let i = start; i < end; i++) {
    const token = script.tokens[i];
    if (
      op !== undefined &&
      script.isName(i, op) &&
      !script.is(i - 1, '.') &&
      script.is(i + 1, '.') &&
      script.isName(i + 2) &&
      script.is(i + 3, '(')
    ) {
      const close = script.close(i + 3);
      const args = script.items(i + 4, close).map(([from, to]) => script.literal(from, to));
      const method = script.tokens[i + 2].value;
      const call = source.slice(token.start, script.tokens[close]?.end ?? source.length);
      const statements = (operationSql(method, args, dialect) ?? []).flatMap((sql) => splitStatements(sql, dialect));
      // An `op.sql(…)` is shown as its SQL; any other operation as the call that wrote it.
      if (method !== 'sql') for (const statement of statements) reading.calledAs.set(statement, call);
      else reading.raw = true;
      reading.statements.push(...statements);
      reading.calls = true;
      i = close;
    } else if (token.kind === 'punctuation' && token.value === '(') {
      reading.calls = true;
    } else if (token.kind === 'string' && !token.substituted && looksLikeSql(token.value, dialect)) {
      reading.statements.push(token.value);
    }
  }
  return reading;
}

/**
 * The lint warnings of a migration file's source, without running it: the SQL string literals (and, in a file
 * migrate-ui wrote, the `op.*` calls) of its class's up() and down(). Strings in comments and `${…}` templates are left out.
 */
export function lintSource(source: string, dialect: Dialect, live?: LiveSchema): LintWarning[] {
  const script = new Script(scanScript(source));
  const methods = classMethods(script, METHODS);
  // The first kind whose class is there (its first up() method) says what makes up up().
  const kind = REVISION_KINDS.find((k) => methods.has(k.up[0]));
  const upRange = kind && methods.get(kind.up[0]);
  if (!kind || !upRange) return [];
  const generated = source.includes(SPEC_MARKER);
  const [, ...parts] = kind.up;
  const up = readBody(script, source, upRange, dialect, generated);
  for (const part of parts) {
    const range = methods.get(part);
    if (!range) continue;
    const read = readBody(script, source, range, dialect, generated);
    up.statements.push(...read.statements);
    for (const [statement, call] of read.calledAs) up.calledAs.set(statement, call);
    up.raw ||= read.raw;
  }
  if (kind.upActs) up.calls = true;
  const downRange = methods.get('down');
  const down = downRange && readBody(script, source, downRange, dialect, generated);
  // down()'s SQL is known when it has some, or when it calls nothing at all.
  const known = down === undefined || (down.statements.length === 0 && down.calls) ? undefined : down.statements;
  const warnings = lintRevision({ dialect, up: up.statements, down: known, hasDown: downRange !== undefined, live }).map((warning) => {
    const call = warning.statement === undefined ? undefined : up.calledAs.get(warning.statement);
    return call === undefined ? warning : { ...warning, statement: call };
  });
  // up() may run what no string shows (knex's builder, a helper): calling anything is doing something.
  if (known?.length === 0 && up.calls && !warnings.some((w) => w.rule === 'empty-down')) warnings.push(downWarning('empty-down'));
  if (up.raw) warnings.push(rawSqlWarning());
  return warnings;
}

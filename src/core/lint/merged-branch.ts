// Two branches each added a revision that touches the same table; after the merge one of them is pending below the
// newest applied one (out of order). Each was written against a schema without the other's change: worth a look before
// it runs. The files are read as text, never imported (DESIGN §4).
import { readFileSync } from 'node:fs';
import { parseStatement, type Statement, type TableRef } from '../sql/statement.js';
import { splitStatements } from '../sql/tokens.js';
import { isApplied, type Revision } from '../timeline.js';
import type { Dialect } from '../url.js';
import { readRevisionFile } from './revision-file.js';
import type { LintShapes } from './shapes.js';
import { upStatementsOfSource } from './source.js';

const nameOf = (ref: TableRef) => ref.name.toLowerCase();

/** The tables a statement changes, or copies rows from, lower-case (a schema left out). */
export function tablesOfStatement(statement: Statement): string[] {
  switch (statement.kind) {
    case 'drop-table':
    case 'truncate':
      return statement.tables.map(nameOf);
    case 'alter-table':
      return [nameOf(statement.table), ...statement.actions.flatMap((a) => (a.kind === 'rename-table' ? [nameOf(a.to)] : []))];
    case 'rename-table':
      return statement.renames.flatMap((r) => [nameOf(r.from), nameOf(r.to)]);
    case 'delete':
    case 'update':
    case 'create-index':
      return [nameOf(statement.table)];
    case 'insert':
      return [nameOf(statement.table), ...(statement.select?.from ? [nameOf(statement.select.from)] : [])];
    case 'create-table':
      return [nameOf(statement.table), ...(statement.select?.from ? [nameOf(statement.select.from)] : [])];
    case 'drop-index':
      return statement.table ? [nameOf(statement.table)] : [];
    default:
      return [];
  }
}

/** knex's schema builder calls whose first argument is a table (`this.getKnex().schema.alterTable('features', …)`). */
const KNEX_TABLE_CALLS = new Set(['createTable', 'createTableIfNotExists', 'alterTable', 'table', 'dropTable', 'dropTableIfExists', 'renameTable']);

/** The tables a revision file's up() touches, as far as its text tells: its SQL, and knex schema builder calls. */
export function tablesOfSource(source: string, dialect: Dialect, shapes: LintShapes): Set<string> {
  const tables = new Set<string>();
  for (const part of readRevisionFile(source).methods.get('up')?.parts ?? [])
    if ('string' in part && part.argumentOf && KNEX_TABLE_CALLS.has(part.argumentOf) && !part.substituted) tables.add(part.string.toLowerCase());
  for (const text of upStatementsOfSource(source, dialect, shapes))
    for (const statement of splitStatements(text, dialect))
      for (const table of tablesOfStatement(parseStatement(statement, dialect))) tables.add(table);
  return tables;
}

/**
 * For each pending revision from a merged branch (`outOfOrder`): a warning per table it shares with applied revisions
 * that sort after it (so they came from the other branch), naming them. By revision name; empty when none is out of order.
 */
export function mergedBranchWarnings(
  revisions: Revision[],
  dialect: Dialect,
  shapes: LintShapes,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Map<string, string[]> {
  const warnings = new Map<string, string[]>();
  const early = revisions.filter((r) => r.outOfOrder && r.path);
  if (early.length === 0) return warnings;
  const known = new Map<string, Set<string>>();
  const tablesOf = (revision: Revision) => {
    let tables = known.get(revision.name);
    if (!tables) {
      try {
        tables = revision.path ? tablesOfSource(read(revision.path), dialect, shapes) : new Set();
      } catch {
        // A file gone since the listing touches nothing we can tell.
        tables = new Set();
      }
      known.set(revision.name, tables);
    }
    return tables;
  };
  for (const revision of early) {
    const mine = tablesOf(revision);
    if (mine.size === 0) continue;
    // Each shared table once, with every applied revision of the other branch that changed it.
    const byTable = new Map<string, string[]>();
    for (const other of revisions) {
      if (!isApplied(other) || other.name <= revision.name || !other.path) continue;
      for (const table of tablesOf(other)) if (mine.has(table)) byTable.set(table, [...(byTable.get(table) ?? []), other.name]);
    }
    if (byTable.size === 0) continue;
    warnings.set(
      revision.name,
      [...byTable.keys()].sort().map((table) => {
        const others = byTable.get(table)!;
        const names = others.length === 1 ? others[0] : `${others.slice(0, -1).join(', ')} and ${others.at(-1)}`;
        return `from a merged branch: it touches ${table}, which ${names} (applied, from the other branch) changed too; check that they agree before applying it out of order`;
      }),
    );
  }
  return warnings;
}

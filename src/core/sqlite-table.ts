// SQLite cannot alter a column's type, nullability or default, nor add a foreign key to a table: the table is
// rebuilt (a new one created, the rows copied, the old one dropped, the new one renamed). This reads the table
// as SQLite has it, and writes the rebuild.

/** Reads rows with one of the fixed introspection statements below (through a migration, or a preview's own connection). */
export type SqlReader = (sql: string) => Promise<Array<Record<string, unknown>>>;

/**
 * A preview runs nothing, so a rebuild cannot ask the database through the migration: the preview's driver carries
 * this instead, a function giving the table as the database has it (read by migrate-ui's own code, read-only).
 */
export const PREVIEW_TABLES = Symbol.for('migrate-ui.preview-tables');

export type TableProvider = (table: string) => Promise<SqliteTable>;

export interface SqliteColumn {
  name: string;
  type: string;
  notNull: boolean;
  /** The default as SQL text, as SQLite stores it; null when there is none. */
  default: string | null;
  /** Position in the primary key, 0 when not part of it. */
  pk: number;
}

export interface SqliteForeignKey {
  columns: string[];
  table: string;
  references: string[];
  onDelete: string;
  onUpdate: string;
}

/** A named check of a table: `constraint name check (expression)`. */
export interface SqliteCheck {
  name: string;
  expression: string;
}

/** A table as SQLite describes it, enough to create it again. */
export interface SqliteTable {
  name: string;
  columns: SqliteColumn[];
  foreignKeys: SqliteForeignKey[];
  /** The CREATE INDEX statements of its indexes (unique ones included), to run again after the rebuild. */
  indexes: string[];
  autoincrement: boolean;
  /** Its named table checks (`constraint name check (…)`), kept by a rebuild. */
  checks?: SqliteCheck[];
  /** The other tables whose foreign keys reference it: dropping it with enforcement on would delete or orphan their rows. */
  referencedBy?: string[];
}

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Reads `table`, and refuses a rebuild that would lose something (a rebuild of a referenced table is checked where it runs). */
export async function readSqliteTable(read: SqlReader, table: string): Promise<SqliteTable> {
  const [created] = await read(`select sql from sqlite_master where type = 'table' and name = ${literal(table)}`);
  if (!created) throw new Error(`table ${table} does not exist`);
  const sql = String(created.sql);
  const { checks, rest } = namedChecks(sql);
  // A named table check is kept; any other (a column's own, unnamed) would be lost.
  const lost = /\b(check|generated|collate)\b/i.exec(rest.replace(/'[^']*'/g, "''"));
  if (lost) throw new Error(`rebuilding ${table} on SQLite would lose its ${lost[1].toUpperCase()} clause; write this step by hand`);
  const triggers = await read(`select name from sqlite_master where type = 'trigger' and tbl_name = ${literal(table)}`);
  if (triggers.length > 0)
    throw new Error(`rebuilding ${table} on SQLite would drop its trigger ${String(triggers[0].name)}; write this step by hand`);
  const referencedBy: string[] = [];
  for (const other of await read(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> ${literal(table)}`)) {
    const refs = await read(`select "table" as parent from pragma_foreign_key_list(${literal(String(other.name))})`);
    if (refs.some((r) => String(r.parent) === table)) referencedBy.push(String(other.name));
  }
  const columns = (
    await read(`select name, type, "notnull" as nn, dflt_value as dflt, pk from pragma_table_info(${literal(table)}) order by cid`)
  ).map(
    (c): SqliteColumn => ({
      name: String(c.name),
      type: String(c.type),
      notNull: Number(c.nn) === 1,
      default: c.dflt == null ? null : String(c.dflt),
      pk: Number(c.pk),
    }),
  );
  const keys = await read(
    `select id, "table" as parent, "from" as child, "to" as target, on_update, on_delete from pragma_foreign_key_list(${literal(table)}) order by id, seq`,
  );
  const foreignKeys: SqliteForeignKey[] = [];
  for (const id of [...new Set(keys.map((k) => Number(k.id)))]) {
    const rows = keys.filter((k) => Number(k.id) === id);
    foreignKeys.push({
      columns: rows.map((r) => String(r.child)),
      table: String(rows[0].parent),
      references: rows.map((r) => String(r.target)),
      onDelete: String(rows[0].on_delete),
      onUpdate: String(rows[0].on_update),
    });
  }
  const indexes = (await read(`select sql from sqlite_master where type = 'index' and tbl_name = ${literal(table)} and sql is not null`)).map((r) =>
    String(r.sql),
  );
  return { name: table, columns, foreignKeys, indexes, autoincrement: /\bautoincrement\b/i.test(sql), checks, referencedBy };
}

/** The named table checks of a CREATE TABLE statement, and the statement without them. */
export function namedChecks(sql: string): { checks: SqliteCheck[]; rest: string } {
  const checks: SqliteCheck[] = [];
  let rest = sql;
  const start = /,\s*constraint\s+(`[^`]+`|"[^"]+"|\[[^\]]+\]|\w+)\s+check\s*\(/gi;
  for (let match = start.exec(rest); match; match = start.exec(rest)) {
    const open = match.index + match[0].length - 1;
    const close = closingParen(rest, open);
    if (close < 0) break;
    checks.push({ name: match[1].replace(/^[`"[]|[`"\]]$/g, ''), expression: rest.slice(open + 1, close).trim() });
    rest = rest.slice(0, match.index) + rest.slice(close + 1);
    start.lastIndex = match.index;
  }
  return { checks, rest };
}

/** The index of the parenthesis closing the one at `open`, strings and quoted names skipped; -1 when there is none. */
function closingParen(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      const end = sql.indexOf(c, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function columnDefinition(column: SqliteColumn, table: SqliteTable, singlePk: boolean): string {
  const parts = [quote(column.name), column.type];
  if (column.notNull || column.pk) parts.push('not null');
  if (singlePk && column.pk) parts.push(table.autoincrement ? 'primary key autoincrement' : 'primary key');
  if (column.default !== null) parts.push(`default ${column.default}`);
  return parts.join(' ');
}

/** The CREATE TABLE statement of a table described as above. */
export function createSqliteTable(table: SqliteTable, name = table.name): string {
  const pk = table.columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  const lines = table.columns.map((c) => columnDefinition(c, table, pk.length === 1));
  if (pk.length > 1) lines.push(`primary key (${pk.map((c) => quote(c.name)).join(', ')})`);
  for (const fk of table.foreignKeys) {
    const actions = [
      fk.onDelete !== 'NO ACTION' ? ` on delete ${fk.onDelete.toLowerCase()}` : '',
      fk.onUpdate !== 'NO ACTION' ? ` on update ${fk.onUpdate.toLowerCase()}` : '',
    ].join('');
    const name = `${table.name}_${fk.columns.join('_')}_foreign`;
    lines.push(
      `constraint ${quote(name)} foreign key (${fk.columns.map(quote).join(', ')}) references ${quote(fk.table)} (${fk.references.map(quote).join(', ')})${actions}`,
    );
  }
  for (const check of table.checks ?? []) lines.push(`constraint ${quote(check.name)} check (${check.expression})`);
  return `create table ${quote(name)} (${lines.join(', ')})`;
}

/** The suffix of the table a rebuild fills: a statement naming it is part of a rebuild. */
export const REBUILT = '__migrate_ui_new';

/**
 * The statements that rebuild `from` as `to` (same name, same column names): a new table, the rows copied
 * column by column, the old table dropped, the new one renamed, the indexes created again.
 */
export function rebuildSqliteTable(from: SqliteTable, to: SqliteTable): string[] {
  const temp = `${to.name}${REBUILT}`;
  const kept = to.columns.filter((c) => from.columns.some((old) => old.name === c.name)).map((c) => quote(c.name));
  return [
    createSqliteTable(to, temp),
    `insert into ${quote(temp)} (${kept.join(', ')}) select ${kept.join(', ')} from ${quote(from.name)}`,
    `drop table ${quote(from.name)}`,
    `alter table ${quote(temp)} rename to ${quote(to.name)}`,
    ...to.indexes,
  ];
}

/** Why a rebuild of a table others reference cannot run here: dropping it with enforcement on deletes or orphans their rows. */
export function referencedRebuildProblem(table: SqliteTable): string {
  return `rebuilding ${table.name} on SQLite needs foreign-key enforcement off (${table.referencedBy?.join(', ')} references it), which cannot change inside a transaction around the revision; run it in a transaction of its own with migrate-ui up, or write this step by hand`;
}

/** Rows that reference a missing row (`pragma foreign_key_check`), counted by table and the table it references. */
export async function foreignKeyViolations(read: SqlReader, tables?: string[]): Promise<Map<string, number>> {
  const rows = tables
    ? (await Promise.all(tables.map((t) => read(`pragma foreign_key_check(${literal(t)})`)))).flat()
    : await read('pragma foreign_key_check');
  const counts = new Map<string, number>();
  for (const { table, parent } of rows) counts.set(`${String(table)} ${String(parent)}`, (counts.get(`${String(table)} ${String(parent)}`) ?? 0) + 1);
  return counts;
}

/** The first rows that reference nothing now and did not before, as one sentence; undefined when there are none. */
export function newViolation(before: Map<string, number>, after: Map<string, number>): string | undefined {
  for (const [key, count] of after) {
    const added = count - (before.get(key) ?? 0);
    if (added <= 0) continue;
    const [table, parent] = key.split(' ');
    return `${added} row${added === 1 ? '' : 's'} of ${table} reference missing rows of ${parent}`;
  }
  return undefined;
}

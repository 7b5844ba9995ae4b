import type { SqlDialect, SqlRunner } from './keyset.js';
import type { Row } from './steps.js';

/** Rows one statement writes at most: each row searches its CASE, so a few hundred keep that cheap. */
const ROWS_PER_STATEMENT = 200;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** An update checked: the columns it sets (key columns aside) and the row it names. */
interface CheckedUpdate {
  columns: string[];
  update: Row;
}

/**
 * Writes a callback step's updates (key columns, plus the columns to set) in few statements instead of one per row:
 * the updates that set the same columns become one `update … set c = case when key = ? then ? … else c end where key
 * in (…)`, which all three databases run as it is (the ELSE gives the CASE the column's type on PostgreSQL). The rows
 * end as one UPDATE per update, in order, leaves them.
 */
export async function writeUpdates(db: SqlRunner, sql: SqlDialect, table: string, keys: string[], updates: Row[], step: number): Promise<void> {
  const checked = updates.map((update) => check(update, keys, step)).filter((u) => u.columns.length > 0);
  for (const group of groups(checked, keys)) {
    const { text, params } = statement(sql, table, keys, group);
    await db.run(text, params);
  }
}

function check(update: Row, keys: string[], step: number): CheckedUpdate {
  const columns = Object.keys(update).filter((c) => !keys.includes(c));
  for (const column of [...columns, ...keys]) {
    if (!IDENTIFIER.test(column)) throw new Error(`step ${step}: an update names column ${JSON.stringify(column)}`);
    if (keys.includes(column) && !(column in update)) throw new Error(`step ${step}: an update lacks key column ${column}`);
  }
  return { columns, update };
}

/**
 * The updates by the columns they set, at most ROWS_PER_STATEMENT in a statement, no row twice among the statements
 * not written yet: those touch other rows, so their order does not matter. A row named again writes them all first.
 */
function groups(updates: CheckedUpdate[], keys: string[]): CheckedUpdate[][] {
  const out: CheckedUpdate[][] = [];
  let open = new Map<string, CheckedUpdate[]>();
  let rows = new Set<string>();
  for (const u of updates) {
    // Values that print alike (5 and '5') count as the same row: a statement too many is harmless.
    const row = keys.map((k) => String(u.update[k])).join('\u0000');
    if (rows.has(row)) {
      out.push(...open.values());
      open = new Map();
      rows = new Set();
    }
    const columns = u.columns.join(',');
    const group = open.get(columns) ?? [];
    open.set(columns, group);
    group.push(u);
    rows.add(row);
    if (group.length === ROWS_PER_STATEMENT) {
      out.push(group);
      open.delete(columns);
    }
  }
  out.push(...open.values());
  return out;
}

function statement(sql: SqlDialect, table: string, keys: string[], group: CheckedUpdate[]): { text: string; params: unknown[] } {
  const quoted = keys.map((k) => sql.quote(k));
  const params: unknown[] = [];
  const keyValues = (update: Row) => keys.map((k) => update[k]);
  const sets = group[0].columns.map((column) => {
    const branches = group.map(({ update }) => {
      params.push(...keyValues(update), update[column]);
      return keys.length === 1 ? 'when ? then ?' : `when ${quoted.map((k) => `${k} = ?`).join(' and ')} then ?`;
    });
    const c = sql.quote(column);
    return `${c} = case${keys.length === 1 ? ` ${quoted[0]}` : ''} ${branches.join(' ')} else ${c} end`;
  });
  const where =
    keys.length === 1
      ? `${quoted[0]} in (${group.map(() => '?').join(', ')})`
      : group.map(() => `(${quoted.map((k) => `${k} = ?`).join(' and ')})`).join(' or ');
  params.push(...group.flatMap(({ update }) => keyValues(update)));
  return { text: `update ${table} set ${sets.join(', ')} where ${where}`, params };
}

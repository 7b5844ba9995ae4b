import type { Database } from '../database.js';
import type { SchemaLookup } from '../sql/index.js';

const COLUMNS_SQL = {
  sqlite: `select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' order by m.name, p.cid`,
  postgresql: `select table_name as t, column_name as c from information_schema.columns where table_schema = coalesce(?, current_schema()) order by table_name, ordinal_position`,
  mysql: `select table_name as t, column_name as c from information_schema.columns where table_schema = database() order by table_name, ordinal_position`,
  mariadb: `select table_name as t, column_name as c from information_schema.columns where table_schema = database() order by table_name, ordinal_position`,
};

/** The live schema's columns by table (one query), so the loss check knows what a SQLite table rebuild leaves out. */
export async function readSchemaColumns(db: Database): Promise<SchemaLookup> {
  const rows = await db.query<{ t: string; c: string }>(COLUMNS_SQL[db.dialect], db.dialect === 'postgresql' ? [db.schema ?? null] : []);
  const tables = new Map<string, string[]>();
  for (const row of rows) {
    const list = tables.get(String(row.t)) ?? [];
    list.push(String(row.c));
    tables.set(String(row.t), list);
  }
  return { columns: (table) => tables.get(table) };
}

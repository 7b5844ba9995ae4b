import type { TestDatabase } from './databases.js';

/** A direct connection to a test database, to assert what it holds without going through migrate-ui. */
export interface SqlClient {
  /** Runs one statement; `?` placeholders on every dialect. */
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Opens a plain driver connection (sqlite3, pg, mysql2) to `db`. */
export async function connectSql(db: TestDatabase): Promise<SqlClient> {
  if (db.dialect === 'sqlite') {
    const { default: sqlite3 } = await import('sqlite3');
    const conn = await new Promise<InstanceType<typeof sqlite3.Database>>((resolve, reject) => {
      const c = new sqlite3.Database(db.url.replace(/^sqlite:/, ''), (err) => (err ? reject(err) : resolve(c)));
    });
    await new Promise<void>((resolve, reject) => conn.run('PRAGMA busy_timeout = 15000', (err) => (err ? reject(err) : resolve())));
    return {
      query: (sql, params = []) => new Promise((resolve, reject) => conn.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as any)))),
      close: () => new Promise((resolve, reject) => conn.close((err) => (err ? reject(err) : resolve()))),
    };
  }
  if (db.dialect === 'postgresql') {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    return {
      async query(sql, params = []) {
        let n = 0;
        return (
          await client.query(
            sql.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows;
      },
      close: () => client.end(),
    };
  }
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection({ uri: db.url });
  return {
    async query(sql, params = []) {
      const [rows] = await conn.query(sql, params);
      return rows as any;
    },
    close: () => conn.end(),
  };
}

/** Opens a connection, runs `fn` with it and closes it. */
export async function withSql<T>(db: TestDatabase, fn: (sql: SqlClient) => Promise<T>): Promise<T> {
  const sql = await connectSql(db);
  try {
    return await fn(sql);
  } finally {
    await sql.close();
  }
}

/** A row of the example's features table: what the tests name, and any other column with its value. */
export type FeatureRow = { id: string; user_id: string; name: string } & Record<string, unknown>;

/** Inserts rows into the example's features table, active and created and updated at 0. */
export async function insertFeatures(db: TestDatabase, rows: FeatureRow[]): Promise<void> {
  await withSql(db, async (sql) => {
    for (const { id, user_id, name, ...more } of rows) {
      const columns = Object.keys(more).map((c) => `${c}, `);
      const marks = columns.map(() => '?, ');
      await sql.query(
        `insert into features (id, user_id, name, ${columns.join('')}is_active, created_at, updated_at) values (?, ?, ?, ${marks.join('')}?, 0, 0)`,
        [id, user_id, name, ...Object.values(more), true],
      );
    }
  });
}

const TABLES_SQL: Record<TestDatabase['dialect'], string> = {
  sqlite: `select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`,
  postgresql: `select table_name as name from information_schema.tables where table_schema = current_schema()`,
  mariadb: `select table_name as name from information_schema.tables where table_schema = database()`,
};

/** The names of the tables in `db`, sorted. */
export async function tableNames(db: TestDatabase): Promise<string[]> {
  const rows = await withSql(db, (sql) => sql.query<{ name: string }>(TABLES_SQL[db.dialect]));
  return rows.map((r) => String(r.name)).sort();
}

/** The revision names recorded in MikroORM's table, in the order they were applied (duplicates kept). */
export async function recordedRevisions(db: TestDatabase): Promise<string[]> {
  const rows = await withSql(db, (sql) => sql.query<{ name: string }>('select name from mikro_orm_migrations order by id'));
  return rows.map((r) => String(r.name));
}

const FOREIGN_KEYS_SQL: Record<TestDatabase['dialect'], string> = {
  sqlite: `select "from" as col, "table" as ref_table, "to" as ref_column from pragma_foreign_key_list(?)`,
  postgresql: `select kcu.column_name as col, ccu.table_name as ref_table, ccu.column_name as ref_column
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema() and tc.table_name = ?`,
  mariadb: `select column_name as col, referenced_table_name as ref_table, referenced_column_name as ref_column
    from information_schema.key_column_usage where table_schema = database() and table_name = ? and referenced_table_name is not null`,
};

/** The foreign keys of `table` in `db`, as `column → table.column`, sorted. */
export async function foreignKeys(db: TestDatabase, table: string): Promise<string[]> {
  const rows = await withSql(db, (sql) => sql.query<{ col: string; ref_table: string; ref_column: string }>(FOREIGN_KEYS_SQL[db.dialect], [table]));
  return rows.map((r) => `${r.col} → ${r.ref_table}.${r.ref_column}`).sort();
}

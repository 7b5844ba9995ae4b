// A database of its own on a PostgreSQL or MySQL/MariaDB server, created now and dropped by drop(): what the tests
// (helpers/databases.ts) and the benchmarks (bench/lib/util.js) run on. Plain JavaScript, as bench/ runs under node.
import { randomBytes } from 'node:crypto';

/** Runs one statement on a connection of its own to `serverUrl` (an admin's: create and drop database). */
async function adminStatement(dialect, serverUrl, sql, connectTimeoutMs) {
  if (dialect === 'postgresql') {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: serverUrl, ...(connectTimeoutMs ? { connectionTimeoutMillis: connectTimeoutMs } : {}) });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const mysql = await import('mysql2/promise');
  const client = await mysql.createConnection({ uri: serverUrl, ...(connectTimeoutMs ? { connectTimeout: connectTimeoutMs } : {}) });
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates `prefix_<random>` on the server `serverUrl` points at; its URL is `serverUrl` with the new database's name. */
export async function createServerDatabase(dialect, serverUrl, prefix) {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminStatement(dialect, serverUrl, `create database ${name}`, 3000);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      adminStatement(
        dialect,
        serverUrl,
        dialect === 'postgresql' ? `drop database if exists ${name} with (force)` : `drop database if exists ${name}`,
      ),
  };
}

import { randomBytes } from 'node:crypto';

export type TestDialect = 'sqlite' | 'postgresql' | 'mariadb';

export const PG_URL = process.env.MIGRATE_UI_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.MIGRATE_UI_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';

/** A database of the test file's own, created now and dropped by drop(). */
export interface TestDatabase {
  dialect: TestDialect;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function createPg(): Promise<TestDatabase> {
  const { default: pg } = await import('pg');
  const name = `mui_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return {
    dialect: 'postgresql',
    url: withDatabase(PG_URL, name),
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function createMysql(): Promise<TestDatabase> {
  const mysql = await import('mysql2/promise');
  const name = `mui_${randomBytes(5).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return {
    dialect: 'mariadb',
    url: withDatabase(MYSQL_URL, name),
    async drop() {
      const c = await mysql.createConnection({ uri: MYSQL_URL });
      try {
        await c.query(`drop database if exists ${name}`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Creates a fresh database for `dialect`. SQLite always works (a temp file). A server that cannot be
 * reached gives null (the caller skips, saying so in one line) — except under CI=true, where it throws.
 */
export async function createTestDatabase(dialect: TestDialect, sqliteDir?: string): Promise<TestDatabase | null> {
  if (dialect === 'sqlite') {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = sqliteDir ?? mkdtempSync(join(tmpdir(), 'mui-sqlite-'));
    return { dialect, url: `sqlite:${join(dir, 'test.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  try {
    return dialect === 'postgresql' ? await createPg() : await createMysql();
  } catch (error) {
    const message = `${dialect} is unreachable (${(error as Error).message.split('\n')[0]})`;
    if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires every database`);
    console.warn(`skipping ${dialect} tests: ${message}`);
    return null;
  }
}

export const DIALECTS: TestDialect[] = ['sqlite', 'postgresql', 'mariadb'];

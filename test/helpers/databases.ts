import { createServerDatabase } from './server-database.js';

export type TestDialect = 'sqlite' | 'postgresql' | 'mariadb';

export const PG_URL = process.env.MIGRATE_UI_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.MIGRATE_UI_TEST_MYSQL ?? 'mysql://root@127.0.0.1:3306/test';

/** A database of the test file's own, created now and dropped by drop(). */
export interface TestDatabase {
  dialect: TestDialect;
  url: string;
  drop(): Promise<void>;
}

async function createServer(dialect: 'postgresql' | 'mariadb'): Promise<TestDatabase> {
  const { url, drop } = await createServerDatabase(dialect, dialect === 'postgresql' ? PG_URL : MYSQL_URL, 'mui');
  return { dialect, url, drop };
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
    return await createServer(dialect);
  } catch (error) {
    const message = `${dialect} is unreachable (${(error as Error).message.split('\n')[0]})`;
    if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires every database`);
    console.warn(`skipping ${dialect} tests: ${message}`);
    return null;
  }
}

export const DIALECTS: TestDialect[] = ['sqlite', 'postgresql', 'mariadb'];

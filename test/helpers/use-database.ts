import { afterAll, beforeAll, type TestContext } from 'vitest';
import { createTestDatabase, type TestDatabase, type TestDialect } from './databases.js';

/**
 * Gives the enclosing describe block a database of its own for `dialect` (created in beforeAll,
 * dropped in afterAll). Call the returned function in a test: it skips the test when the server is
 * unreachable (createTestDatabase already said so in one line; under CI=true it throws instead).
 */
export function useTestDatabase(dialect: TestDialect): (ctx: TestContext) => TestDatabase {
  let db: TestDatabase | null = null;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.drop();
  });
  return (ctx) => {
    if (!db) ctx.skip(`${dialect} is unreachable`);
    return db!;
  };
}

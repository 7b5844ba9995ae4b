import { afterAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { installed, projectCopy, runV7 } from './v7-fixture.js';

// verify and diff on MikroORM 7.2.1 and Node 22 (the fixture compat/v7): the port's schema snapshot and comparator
// of the other major. Run with `npx vitest run -c test/compat/vitest.config.ts test/compat/v7-verify.test.ts`.

const run = (args: string[], dir: string, url: string) => runV7(args, dir, url, { timeoutMs: 120_000 });

describe.skipIf(!installed).each(DIALECTS)('verify and diff on MikroORM 7, %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const { dir, remove } = projectCopy('verify-');
  afterAll(remove);

  test('verify proves the six revisions and the entities at head; diff base head lists the three tables, diff head entities none', async (ctx) => {
    const db = database(ctx);
    const verify = await run(['verify', '--json'], dir, db.url);
    expect(verify.code, verify.stderr).toBe(0);
    const report = JSON.parse(verify.stdout);
    expect(report.revisions).toHaveLength(6);
    for (const r of report.revisions) expect(r.status).toBe('reversible');
    expect(report.entities).toEqual({ inSync: true, schemaDiff: [] });
    const diff = JSON.parse((await run(['diff', 'base', 'head', '--json'], dir, db.url)).stdout);
    expect(diff.changes.map((c: { table: string }) => c.table)).toEqual(['channel', 'features', 'users']);
    expect(diff.sql.join('\n')).toMatch(/create table .features./);
    expect(JSON.parse((await run(['diff', 'head', 'entities', '--json'], dir, db.url)).stdout).changes).toEqual([]);
  });
});

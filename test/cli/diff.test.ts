import { describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { EXAMPLE_REVISIONS } from '../helpers/project.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

const [, CHANNEL, FEATURES, SLUG, , SLUG_INDEX] = EXAMPLE_REVISIONS;

// diff A B on each database: what it says equals what replaying the revisions on a real database gives, its SQL takes
// A to B, and `diff db head` finds what someone changed by hand.
describe.each(DIALECTS)('diff on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  test('diff A B equals diff db B with the database replayed to A, both ways; base → head lists every table', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db);
    for (const [a, b] of [
      [CHANNEL, SLUG_INDEX],
      [SLUG, CHANNEL],
      [FEATURES, SLUG],
    ]) {
      expectOk(await cli.run(['down', 'base', '--yes']));
      expectOk(await cli.run(['up', a]));
      const replayed = await cli.json(['diff', a, b, '--json']);
      const live = await cli.json(['diff', 'db', b, '--json']);
      expect(replayed.changes.length, `${a} → ${b}`).toBeGreaterThan(0);
      expect(replayed.changes).toEqual(live.changes);
      expect(replayed.from).toEqual({ point: a, revision: a });
    }
    const all = await cli.json(['diff', 'base', 'head', '--json']);
    expect(all.changes).toEqual(['channel', 'features', 'users'].map((table) => ({ change: 'added', kind: 'table', table })));
    const text = await cli.run(['diff', 'base', 'head', '--no-color']);
    expect(text.stdout).toContain(`base → head (${SLUG_INDEX}) on ${dialect}: 3 difference(s)`);
    expect(text.stdout).toContain('+ table features');
  });

  test('--sql takes A to B: run on a database at A, diff db B finds nothing left', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db);
    expectOk(await cli.run(['down', 'base', '--yes']));
    expectOk(await cli.run(['up', FEATURES]));
    const sql = expectOk(await cli.run(['diff', FEATURES, 'head', '--sql']))
      .stdout.trim()
      .split('\n');
    expect(sql.join('\n')).toMatch(/slug/);
    await withSql(db, async (c) => {
      for (const statement of sql) await c.query(statement);
    });
    const after = await cli.json(['diff', 'db', 'head', '--json']);
    expect(after.changes).toEqual([]);
  });

  test('diff db head finds a column added by hand; head and entities agree', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db);
    expectOk(await cli.run(['down', 'base', '--yes']));
    expectOk(await cli.run(['up']));
    await withSql(db, (c) => c.query('alter table features add column hand_made integer null'));
    const drift = await cli.json(['diff', 'db', 'head', '--json']);
    expect(drift.changes).toEqual([{ change: 'removed', kind: 'column', table: 'features', name: 'hand_made' }]);
    const text = await cli.run(['diff', 'db', 'head', '--no-color']);
    expect(text.stdout).toMatch(/- column features\.hand_made int/);
    expect((await cli.json(['diff', 'head', 'entities', '--json'])).changes).toEqual([]);
    await withSql(db, (c) => c.query('alter table features drop column hand_made'));
  });
});

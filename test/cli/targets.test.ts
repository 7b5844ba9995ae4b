import { describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { recordedRevisions } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Every TARGET form of DESIGN §3, walked up and down one database. Each step checks what the
// command printed and what MikroORM's table holds afterwards.
// The databases run side by side; the steps on one database run in order.
describe.concurrent.each(DIALECTS)('TARGET forms on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  const step = async (ctx: Parameters<typeof database>[0], args: string[], key: 'applied' | 'reverted', expected: string[], recorded: string[]) => {
    const db = database(ctx);
    const out = await cliOn(db).json([...args, ...(key === 'reverted' ? ['--yes'] : [])]);
    expect(out[key], JSON.stringify(out)).toEqual(expected);
    expect(await recordedRevisions(db)).toEqual(recorded);
  };

  it('up +N applies the next N', (ctx) => step(ctx, ['up', '+2'], 'applied', R.slice(0, 2), R.slice(0, 2)));

  it('up with a unique substring applies up to and including it', (ctx) => step(ctx, ['up', 'add_features'], 'applied', [R[2]], R.slice(0, 3)));

  it('up with a unique prefix applies up to and including it', (ctx) => step(ctx, ['up', 'Migration20260104'], 'applied', [R[3]], R.slice(0, 4)));

  it('up head applies the rest', (ctx) => step(ctx, ['up', 'head'], 'applied', R.slice(4), R));

  it('down -N reverts the last N, newest first', (ctx) => step(ctx, ['down', '-2'], 'reverted', [R[5], R[4]], R.slice(0, 4)));

  it('down without a TARGET reverts one (-1)', (ctx) => step(ctx, ['down'], 'reverted', [R[3]], R.slice(0, 3)));

  it('down X by exact name makes X the current revision', async (ctx) => {
    await step(ctx, ['down', R[0]], 'reverted', [R[2], R[1]], [R[0]]);
    expect((await cliOn(database(ctx)).json(['status'])).current).toBe(R[0]);
  });

  it('up X by exact name applies up to and including X', (ctx) => step(ctx, ['up', R[2]], 'applied', [R[1], R[2]], R.slice(0, 3)));

  it('down 0 reverts everything', (ctx) => step(ctx, ['down', '0'], 'reverted', [R[2], R[1], R[0]], []));

  it('up base applies everything, like head', (ctx) => step(ctx, ['up', 'base'], 'applied', R, R));

  it('down base reverts everything', (ctx) => step(ctx, ['down', 'base'], 'reverted', [...R].reverse(), []));

  it('up 0 applies everything, like head', (ctx) => step(ctx, ['up', '0'], 'applied', R, R));

  it('an ambiguous TARGET exits 2 naming it, and changes nothing', async (ctx) => {
    const db = database(ctx);
    const lines = expectShortError(await cliOn(db).run(['down', 'feature_slug', '--yes']), 2);
    expect(lines[0]).toMatch(/^migrate-ui: target "feature_slug" is ambiguous: /);
    expect(await recordedRevisions(db)).toEqual(R);
  });

  it('an unknown TARGET exits 2 naming it', async (ctx) => {
    const lines = expectShortError(await cliOn(database(ctx)).run(['up', 'no_such_revision']), 2);
    expect(lines[0]).toBe('migrate-ui: no revision matches "no_such_revision"');
  });

  it('up -1 and down +1 exit 2', async (ctx) => {
    const cli = cliOn(database(ctx));
    expect(expectShortError(await cli.run(['up', '-1']), 2)[0]).toBe('migrate-ui: up takes +N, not -1');
    expect(expectShortError(await cli.run(['down', '+1', '--yes']), 2)[0]).toBe('migrate-ui: down takes -N, not +1');
    expect(await recordedRevisions(database(ctx))).toEqual(R);
  });

  it('up at head has nothing to do and exits 0', async (ctx) => {
    const up = expectOk(await cliOn(database(ctx)).run(['up', 'head']));
    expect(up.stderr.trim()).toBe('nothing to do');
  });
});

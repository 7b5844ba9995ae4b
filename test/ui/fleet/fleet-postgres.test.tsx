import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { keys, plain, pressAndWait, waitForFrame } from '../../helpers/ink.js';
import { EXAMPLE_REVISIONS } from '../../helpers/project.js';
import { renderRoot, targetRow } from '../../helpers/render-fleet.js';
import { withSql } from '../../helpers/sql.js';
import { useUiExample } from '../../helpers/ui-project.js';
import { useTestDatabase } from '../../helpers/use-database.js';

// A fleet of PostgreSQL schemas found by a pattern: the screen lists them, u runs fleet up in each schema, enter opens
// one schema's timeline.
describe('the fleet screen on PostgreSQL schemas', () => {
  const database = useTestDatabase('postgresql');
  const { example, open } = useUiExample();

  test('schemas matched by the pattern, fleet up into each of them, a schema timeline and back', async (ctx) => {
    const db = database(ctx);
    await withSql(db, async (sql) => {
      await sql.query('create schema fleettui_1');
      await sql.query('create schema fleettui_2');
    });
    writeFileSync(join(example.dir, 'fleet.json'), JSON.stringify({ targets: [{ schemas: 'fleettui\\_%' }] }));
    const project = await open(db.url);
    const app = await renderRoot(project, example.dir, { open: true, columns: 100, rows: 24, dbUrl: db.url });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;

    let frame = await waitForFrame(lastFrame, (f) => ['fleettui_1', 'fleettui_2'].every((name) => targetRow(f, name).includes('6 pending')));
    expect(targetRow(frame, 'fleettui_1')).toMatch(/^› ○ fleettui_1\s+base\s+6 pending$/);
    frame = await pressAndWait(stdin, lastFrame, 'u', 'Fleet up: 12 revisions on 2 of 2 targets');
    await pressAndWait(stdin, lastFrame, 'y', 'fleet up: 2 done, 0 failed, 0 not started', 30_000);
    frame = await waitForFrame(lastFrame, (f) => /✓ fleettui_2\s+add_feature_slug_index\s+at head · applied 6$/.test(targetRow(f, 'fleettui_2')));
    for (const schema of ['fleettui_1', 'fleettui_2']) {
      const rows = await withSql(db, (sql) => sql.query<{ name: string }>(`select name from ${schema}.mikro_orm_migrations order by id`));
      expect(rows.map((r) => String(r.name))).toEqual(EXAMPLE_REVISIONS);
    }
    // Nothing landed in public.
    const publicTables = await withSql(db, (sql) =>
      sql.query<{ n: number }>("select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'features'"),
    );
    expect(Number(publicTables[0].n)).toBe(0);

    await pressAndWait(stdin, lastFrame, 'j', (f) => targetRow(f, 'fleettui_2').startsWith('›'));
    frame = await pressAndWait(stdin, lastFrame, keys.enter, 'fleet target fleettui_2');
    frame = await waitForFrame(lastFrame, 'add_feature_slug_index ◀ current');
    expect(plain(frame)).toContain('0 pending');
    frame = await pressAndWait(stdin, lastFrame, keys.esc, (f) => targetRow(f, 'fleettui_2').startsWith('› ✓'));
  });
});

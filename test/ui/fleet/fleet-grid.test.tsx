import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, plain, pressAndWait, waitForFrame } from '../../helpers/ink.js';
import { renderRoot, type SqliteFleet, sqliteFleet, targetRow } from '../../helpers/render-fleet.js';

const NAMES = Array.from({ length: 40 }, (_, i) => `fleettui_${String(i + 1).padStart(2, '0')}`);

/** The lines of the grid: glyphs with a space between them. */
const gridLines = (frame: string) =>
  plain(frame)
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => /^([○✓…?✗▸·] ?)+$/.test(l));

// More targets than rows: one glyph per target, the selected target's line under them; the keys move through it.
describe('the fleet screen with more targets than rows', () => {
  let fleet: SqliteFleet;
  beforeAll(async () => {
    fleet = await sqliteFleet(NAMES);
    await fleet.up('fleettui_02');
  });
  afterAll(() => fleet.close());

  test('a grid of glyphs; ↓ and ↑ move a row, → and ← one target; f filters it; enter opens the selected target', async (ctx) => {
    const app = await renderRoot(fleet.base, fleet.example.dir, { open: true, columns: 80, rows: 16 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    let frame = await waitForFrame(lastFrame, (f) => /targets {2}1 at head · 39 pending · 0 running · 0 failed\n/.test(plain(f)));
    // 39 cells of two columns in 80: two rows for 40 targets.
    expect(gridLines(frame)).toEqual([`○ ✓ ${'○ '.repeat(36)}○`, '○']);
    expect(targetRow(frame, 'fleettui_01')).toMatch(/^› ○ fleettui_01\s+base\s+6 pending$/);
    expect(plain(frame).split('\n').at(-1)).toMatch(/↑↓ {2}move/);

    frame = await pressAndWait(stdin, lastFrame, keys.down, (f) => targetRow(f, 'fleettui_40').startsWith('›'));
    frame = await pressAndWait(stdin, lastFrame, keys.up, (f) => targetRow(f, 'fleettui_01').startsWith('›'));
    frame = await pressAndWait(stdin, lastFrame, 'l', (f) => targetRow(f, 'fleettui_02').startsWith('›'));
    expect(targetRow(frame, 'fleettui_02')).toMatch(/^› ✓ fleettui_02\s+add_feature_slug_index\s+at head$/);
    frame = await pressAndWait(stdin, lastFrame, '\u001B[C', (f) => targetRow(f, 'fleettui_03').startsWith('›'));
    frame = await pressAndWait(stdin, lastFrame, 'h', (f) => targetRow(f, 'fleettui_02').startsWith('›'));
    frame = await pressAndWait(stdin, lastFrame, 'G', (f) => targetRow(f, 'fleettui_40').startsWith('›'));
    frame = await pressAndWait(stdin, lastFrame, 'g', (f) => targetRow(f, 'fleettui_01').startsWith('›'));

    // u asks once for targets that stand alike.
    frame = await pressAndWait(stdin, lastFrame, 'u', 'Run fleet up?');
    expect(plain(frame)).toContain('Fleet up: 234 revisions on 39 of 40 targets');
    expect(plain(frame)).toContain(
      [
        '  ○ 39 targets (fleettui_01, fleettui_03, … fleettui_40)  6 pending each:',
        '      create_users, add_channel_table, add_features_table, add_feature_slug,',
        '      backfill_feature_slug, add_feature_slug_index',
        '  ✓ 1 target at head: nothing to do there',
      ].join('\n'),
    );
    await pressAndWait(stdin, lastFrame, 'n', 'cancelled: nothing ran');

    // Filtered to pending: 39 targets, still more than the rows.
    frame = await pressAndWait(stdin, lastFrame, 'f', 'f filters: pending');
    expect(gridLines(frame)).toEqual([`${'○ '.repeat(38)}○`]);
    frame = await pressAndWait(stdin, lastFrame, 'l', (f) => targetRow(f, 'fleettui_03').startsWith('›'));

    frame = await pressAndWait(stdin, lastFrame, keys.enter, 'fleet target fleettui_03');
    await waitForFrame(lastFrame, 'current base (nothing applied) · 6 pending');
    frame = await pressAndWait(stdin, lastFrame, keys.esc, 'f filters: pending');
    expect(targetRow(frame, 'fleettui_03')).toMatch(/^› ○ fleettui_03/);
  });
});

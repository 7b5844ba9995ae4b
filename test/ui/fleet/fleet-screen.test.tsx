import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostname } from 'node:os';
import { acquireLock } from '../../../src/core/lock.js';
import { databaseOf } from '../../../src/core/project.js';
import { keys, plain, pressAndWait, waitForFrame } from '../../helpers/ink.js';
import { openProject } from '../../helpers/ui-project.js';
import { renderRoot, type SqliteFleet, sqliteFleet, targetRow } from '../../helpers/render-fleet.js';
import { EXAMPLE_REVISIONS } from '../../helpers/project.js';

const SLUG = 'Migration20260104090000_add_feature_slug';
const HEAD = EXAMPLE_REVISIONS.at(-1)!;

// The fleet screen on a fleet of SQLite files: a row per target with its state, f filters, enter opens a target's own
// timeline and esc comes back, u asks and runs fleet up with the rows following it.
describe('the fleet screen', () => {
  let fleet: SqliteFleet;
  beforeAll(async () => {
    fleet = await sqliteFleet(['fleettui_a', 'fleettui_b', 'fleettui_c']);
    await fleet.up('fleettui_a');
    await fleet.up('fleettui_b', SLUG);
    // Not a database: the target cannot be read.
    writeFileSync(join(fleet.example.dir, 'tenants', 'fleettui_c.sqlite'), 'this is not a database, it is a note');
  });
  afterAll(() => fleet.close());

  test('rows show each target; f cycles all, pending, failed, running; enter opens a target timeline and esc comes back', async (ctx) => {
    const app = await renderRoot(fleet.base, fleet.example.dir, { open: true, columns: 100, rows: 24 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;

    // The three targets are read side by side; on a loaded machine any of them can be the last to arrive.
    let frame = await waitForFrame(
      lastFrame,
      (f) =>
        targetRow(f, 'fleettui_c').includes('unreadable') &&
        targetRow(f, 'fleettui_b').includes('2 pending') &&
        targetRow(f, 'fleettui_a').includes('at head'),
    );
    expect(targetRow(frame, 'fleettui_a')).toMatch(/^› ✓ fleettui_a\s+add_feature_slug_index\s+at head$/);
    expect(targetRow(frame, 'fleettui_b')).toMatch(/^ {2}○ fleettui_b\s+add_feature_slug\s+2 pending$/);
    expect(targetRow(frame, 'fleettui_c')).toMatch(/^ {2}\? fleettui_c\s+base\s+unreadable: /);
    expect(plain(frame)).toContain('fleet  fleet.json · 3 targets, 4 at once');
    expect(plain(frame)).toContain('targets  1 at head · 1 pending · 0 running · 1 failed');
    expect(plain(frame)).toContain('── 3 targets · f filters: all ');
    expect(plain(frame).split('\n').at(-1)).toMatch(/enter {2}open .*u {2}up all .*f {2}filter/);

    frame = await pressAndWait(stdin, lastFrame, 'f', 'f filters: pending');
    expect(plain(frame)).toContain('── 1 pending of 3 targets');
    expect([targetRow(frame, 'fleettui_a'), targetRow(frame, 'fleettui_c')]).toEqual(['', '']);
    expect(targetRow(frame, 'fleettui_b')).toMatch(/^› ○ fleettui_b/);
    frame = await pressAndWait(stdin, lastFrame, 'f', 'f filters: failed');
    expect(targetRow(frame, 'fleettui_c')).toMatch(/^› \? fleettui_c/);
    expect(targetRow(frame, 'fleettui_b')).toBe('');
    frame = await pressAndWait(stdin, lastFrame, 'f', 'no target is running now (f shows the next filter)');
    frame = await pressAndWait(stdin, lastFrame, 'f', 'f filters: all');
    expect(targetRow(frame, 'fleettui_a')).not.toBe('');

    // enter on b: b's own project, its timeline and its keys; esc closes it and brings the fleet back.
    await pressAndWait(stdin, lastFrame, 'j', (f) => targetRow(f, 'fleettui_b').startsWith('›'));
    frame = await pressAndWait(stdin, lastFrame, keys.enter, 'fleet target fleettui_b');
    frame = await waitForFrame(lastFrame, (f) => /add_feature_slug ◀ current/.test(plain(f)));
    expect(plain(frame)).toContain('2 pending');
    expect(plain(frame).split('\n').at(-1)).toMatch(/^ esc {2}fleet {2}enter {2}details/);
    frame = await pressAndWait(stdin, lastFrame, keys.enter, 'Migration20260104090000_add_feature_slug.ts');
    frame = await pressAndWait(stdin, lastFrame, keys.esc, 'add_feature_slug ◀ current');
    frame = await pressAndWait(stdin, lastFrame, keys.esc, 'targets  ');
    expect(targetRow(frame, 'fleettui_b')).toMatch(/^› ○ fleettui_b/);
    expect(plain(frame)).not.toContain('fleet target');
    expect(await fleet.history('fleettui_b')).toEqual(EXAMPLE_REVISIONS.slice(0, 4));
  });

  test('u lists the targets and revisions; n runs nothing; y runs fleet up and the rows follow it to the end', async (ctx) => {
    const app = await renderRoot(fleet.base, fleet.example.dir, { open: true, columns: 100, rows: 24 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    await waitForFrame(
      lastFrame,
      (f) =>
        targetRow(f, 'fleettui_b').includes('2 pending') &&
        targetRow(f, 'fleettui_c').includes('unreadable') &&
        targetRow(f, 'fleettui_a').includes('at head'),
    );

    let frame = await pressAndWait(stdin, lastFrame, 'u', 'Run fleet up? y yes · n no · enter = no');
    expect(plain(frame)).toContain('Fleet up: 2 revisions on 1 of 3 targets, 4 at once');
    expect(plain(frame)).toContain('○ fleettui_b  2 pending: backfill_feature_slug, add_feature_slug_index');
    expect(plain(frame)).toContain('? fleettui_c  not read yet or unreadable');
    expect(plain(frame)).toContain('✓ 1 target at head: nothing to do there');
    await pressAndWait(stdin, lastFrame, 'n', 'cancelled: nothing ran');
    await pressAndWait(stdin, lastFrame, 'u', 'Run fleet up?');
    await pressAndWait(stdin, lastFrame, keys.enter, 'cancelled: nothing ran');
    expect(await fleet.history('fleettui_b')).toEqual(EXAMPLE_REVISIONS.slice(0, 4));

    await pressAndWait(stdin, lastFrame, 'u', 'Run fleet up?');
    frame = await pressAndWait(stdin, lastFrame, 'y', 'fleet up: 2 done, 1 failed, 0 not started; fleettui_c:', 20_000);
    frame = await waitForFrame(lastFrame, (f) => targetRow(f, 'fleettui_b').includes('at head'));
    expect(targetRow(frame, 'fleettui_b')).toMatch(/✓ fleettui_b\s+add_feature_slug_index\s+at head · applied 2/);
    expect(targetRow(frame, 'fleettui_a')).toMatch(/✓ fleettui_a\s+add_feature_slug_index\s+at head$/);
    expect(targetRow(frame, 'fleettui_c')).toMatch(/✗ fleettui_c .*/);
    expect(await fleet.history('fleettui_b')).toEqual(EXAMPLE_REVISIONS);
    expect(await fleet.history('fleettui_a')).toEqual(EXAMPLE_REVISIONS);
    expect(HEAD).toMatch(/add_feature_slug_index$/);
  });

  test('a lock held on a target by another run shows who holds it, under the running filter, and goes when it is released', async (ctx) => {
    const app = await renderRoot(fleet.base, fleet.example.dir, { open: true, columns: 120, rows: 24 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    await waitForFrame(lastFrame, (f) => targetRow(f, 'fleettui_a').includes('at head'));
    const other = await openProject(fleet.example.configPath, fleet.url('fleettui_a'));
    ctx.onTestFinished(() => other.close());
    const lock = await acquireLock(databaseOf(other), { timeoutMs: 1000 });
    try {
      const frame = await waitForFrame(lastFrame, (f) => targetRow(f, 'fleettui_a').includes('locked by'), 15_000);
      expect(targetRow(frame, 'fleettui_a')).toMatch(
        new RegExp(`^› ▸ fleettui_a\\s+add_feature_slug_index\\s+locked by pid ${process.pid} on ${hostname()} since \\d\\d:\\d\\d:\\d\\d$`),
      );
      expect(plain(frame)).toContain('targets  1 at head · 0 pending · 1 running · 1 failed');
      await pressAndWait(stdin, lastFrame, 'f', 'f filters: pending');
      await pressAndWait(stdin, lastFrame, 'f', 'f filters: failed');
      const running = await pressAndWait(stdin, lastFrame, 'f', 'f filters: running');
      expect(targetRow(running, 'fleettui_a')).toMatch(/^› ▸ fleettui_a/);
    } finally {
      await lock.release();
    }
    // r reads every target at once.
    await pressAndWait(stdin, lastFrame, 'r', 'no target is running now', 15_000);
  });
});

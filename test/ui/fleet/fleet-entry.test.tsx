import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, plain, press, pressAndWait, waitForFrame } from '../../helpers/ink.js';
import { EXAMPLE_REVISIONS } from '../../helpers/project.js';
import { renderRoot, type SqliteFleet, sqliteFleet, targetRow } from '../../helpers/render-fleet.js';
import { sqlRevision } from '../../helpers/ui-project.js';

const SLOW_1 = 'Migration20260107090000_fleettui_slow_one';
const SLOW_2 = 'Migration20260108090000_fleettui_slow_two';

// F on the timeline opens the fleet screen where a fleet file is; ctrl-c and q during a fleet up stop it after the
// revisions in progress, as the CLI does.
describe('reaching and leaving the fleet screen', () => {
  let fleet: SqliteFleet;
  beforeAll(async () => {
    fleet = await sqliteFleet(['fleettui_x', 'fleettui_y']);
    // Two slow revisions after the example's: a stop lands while the first one runs.
    fleet.example.addRevision(
      SLOW_1,
      sqlRevision(SLOW_1, 'create table slow_one (id integer primary key)', 'drop table slow_one', { delayMs: 1500 }),
    );
    fleet.example.addRevision(
      SLOW_2,
      sqlRevision(SLOW_2, 'create table slow_two (id integer primary key)', 'drop table slow_two', { delayMs: 1500 }),
    );
    await fleet.up('fleettui_x', EXAMPLE_REVISIONS.at(-1));
    await fleet.up('fleettui_y', EXAMPLE_REVISIONS.at(-1));
  });
  afterAll(() => fleet.close());

  test('F on the timeline opens the fleet screen, esc goes back to the timeline; without a fleet file F is no key', async (ctx) => {
    const app = await renderRoot(fleet.base, fleet.example.dir, { columns: 200, rows: 24 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    let frame = await waitForFrame(lastFrame, (f) => / F {2}fleet /.test(plain(f).split('\n').at(-1) ?? ''));
    expect(plain(frame)).toContain('current base (nothing applied)');
    frame = await pressAndWait(stdin, lastFrame, 'F', (f) => targetRow(f, 'fleettui_y').includes('2 pending'));
    expect(plain(frame)).toContain('fleet  fleet.json · 2 targets, 4 at once');
    // ? lists the fleet screen's keys.
    frame = await pressAndWait(stdin, lastFrame, '?', 'Fleet: every target of fleet.json');
    expect(plain(frame)).toContain("the selected target's own timeline");
    frame = await pressAndWait(stdin, lastFrame, 'G', '▸ running (here or by another process, with its data migration');
    await pressAndWait(stdin, lastFrame, keys.esc, (f) => targetRow(f, 'fleettui_x') !== '');
    frame = await pressAndWait(stdin, lastFrame, keys.esc, 'current base (nothing applied)');
    expect(targetRow(frame, 'fleettui_x')).toBe('');
  });

  test('no fleet file: F does nothing and is not in the status bar (help says when it works)', async (ctx) => {
    const other = await sqliteFleet(['fleettui_none']);
    ctx.onTestFinished(() => other.close());
    rmSync(join(other.example.dir, 'fleet.json'));
    const app = await renderRoot(other.base, other.example.dir, { columns: 200, rows: 24 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    let frame = lastFrame() ?? '';
    expect(plain(frame)).not.toMatch(/ F {2}fleet /);
    press(stdin, 'F');
    frame = await pressAndWait(stdin, lastFrame, 'r', 'refreshed: files and database read again');
    expect(plain(frame)).not.toContain('targets  ');
    await pressAndWait(stdin, lastFrame, '?', 'Keys — esc, ? or q closes');
    frame = await pressAndWait(stdin, lastFrame, 'j', 'F             fleet: every target of fleet.json');
    expect(plain(frame)).toMatch(
      /F {13}fleet: every target of fleet\.json, its state, and fleet up \(with fleet\.json beside the config, or a fleet the config exports\)/,
    );
  });

  test('a fleet the config exports (no fleet.json): F opens it, and the header names the export', async (ctx) => {
    const exported = await sqliteFleet(['fleettui_exp'], { exported: true });
    ctx.onTestFinished(() => exported.close());
    const app = await renderRoot(exported.base, exported.example.dir, { columns: 200, rows: 24 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    await waitForFrame(lastFrame, (f) => / F {2}fleet /.test(plain(f).split('\n').at(-1) ?? ''));
    const frame = await pressAndWait(stdin, lastFrame, 'F', (f) => targetRow(f, 'fleettui_exp').includes(`${EXAMPLE_REVISIONS.length} pending`));
    expect(plain(frame)).toContain(`fleet  the fleet exported by ${exported.example.configPath} · 1 target`);
  });

  test('ctrl-c during fleet up: every running target stops after its current revision, then the app leaves (exit 0)', async (ctx) => {
    const signals = new EventEmitter();
    const app = await renderRoot(fleet.base, fleet.example.dir, { open: true, columns: 100, rows: 24, signals });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    await waitForFrame(lastFrame, (f) => ['fleettui_x', 'fleettui_y'].every((name) => targetRow(f, name).includes('2 pending')));
    await pressAndWait(stdin, lastFrame, 'u', 'Fleet up: 4 revisions on 2 of 2 targets');
    // Both targets inside their first slow revision (on a loaded machine one may still be opening its project).
    const frame = await pressAndWait(stdin, lastFrame, 'y', (f) =>
      ['fleettui_x', 'fleettui_y'].every((name) => new RegExp(`▸ ${name} .*→ fleettui_slow_one`).test(plain(f))),
    );
    expect(plain(frame)).toMatch(/── fleet up: 0 of 2 done · 2 running · 0 failed · ctrl-c stops it/);
    expect(plain(frame).split('\n').at(-1)).toContain('ctrl-c  stop');
    press(stdin, keys.ctrlC);
    await waitForFrame(() => String(app.exitCode()), '0', 15_000);
    expect(await fleet.history('fleettui_x')).toEqual([...EXAMPLE_REVISIONS, SLOW_1]);
    expect(await fleet.history('fleettui_y')).toEqual([...EXAMPLE_REVISIONS, SLOW_1]);
  });

  test('q during fleet up asks; n keeps it running to the end; q then quits at once', async (ctx) => {
    const app = await renderRoot(fleet.base, fleet.example.dir, { open: true, columns: 100, rows: 24 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    await waitForFrame(lastFrame, (f) => ['fleettui_x', 'fleettui_y'].every((name) => targetRow(f, name).includes('1 pending')));
    await pressAndWait(stdin, lastFrame, 'u', 'Fleet up: 2 revisions on 2 of 2 targets');
    await pressAndWait(stdin, lastFrame, 'y', (f) => /▸ fleettui_x .*→ fleettui_slow_two/.test(plain(f)));
    let _frame = await pressAndWait(stdin, lastFrame, 'q', 'A run is in progress.');
    _frame = await pressAndWait(stdin, lastFrame, 'n', 'ctrl-c stops it');
    expect(app.exitCode()).toBeUndefined();
    await waitForFrame(lastFrame, 'fleet up: 2 done, 0 failed, 0 not started', 15_000);
    _frame = await waitForFrame(lastFrame, (f) => /✓ fleettui_x\s+fleettui_slow_two\s+at head · applied 1$/.test(targetRow(f, 'fleettui_x')));
    await waitForFrame(lastFrame, (f) => /✓ fleettui_y\s+fleettui_slow_two\s+at head · applied 1$/.test(targetRow(f, 'fleettui_y')));
    press(stdin, 'q');
    await waitForFrame(() => String(app.exitCode()), '0');
    expect(await fleet.history('fleettui_y')).toEqual([...EXAMPLE_REVISIONS, SLOW_1, SLOW_2]);
  });
});

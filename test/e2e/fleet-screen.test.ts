import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { EXAMPLE_REVISIONS } from '../helpers/project.js';
import { type SqliteFleet, sqliteFleet } from '../helpers/render-fleet.js';
import { Tmux } from '../helpers/tmux.js';

// `migrate-ui fleet`, the real binary in a real terminal: the fleet screen, its filter, a target's timeline and back.
describe('migrate-ui fleet in a terminal', () => {
  let fleet: SqliteFleet;
  let tmux: Tmux;
  beforeAll(async () => {
    fleet = await sqliteFleet(['fleettui_e1', 'fleettui_e2', 'fleettui_e3']);
    await fleet.up('fleettui_e1');
    await fleet.up('fleettui_e2', EXAMPLE_REVISIONS[3]);
  });
  afterEach(() => tmux?.kill());
  afterAll(() => fleet.close());

  it('opens on the fleet screen; f filters; enter opens a target timeline, esc comes back; q exits 0', async () => {
    tmux = new Tmux();
    tmux.start(`node ${BIN} fleet`, { cwd: fleet.example.dir, columns: 80, rows: 24 });
    let screen = await tmux.waitFor((s) => /○ fleettui_e3\s+base\s+6 pending/.test(s), 20_000);
    expect(screen).toMatch(/› ✓ fleettui_e1\s+add_feature_slug_index\s+at head/);
    expect(screen).toMatch(/○ fleettui_e2\s+add_feature_slug\s+2 pending/);
    expect(screen).toContain('fleet  fleet.json · 3 targets, 4 at once');
    expect(screen).toContain('targets  1 at head · 2 pending · 0 running · 0 failed');
    expect(screen.trimEnd().split('\n').at(-1)).toMatch(/enter {2}open {2}u {2}up all {2}f {2}filter .*q {2}quit/);

    screen = await tmux.press('f', '── 2 pending of 3 targets · f filters: pending');
    expect(screen).not.toContain('fleettui_e1');
    screen = await tmux.press('j', /› ○ fleettui_e3/);
    screen = await tmux.press('k', /› ○ fleettui_e2/);

    screen = await tmux.press('Enter', 'fleet target fleettui_e2');
    screen = await tmux.waitFor('add_feature_slug ◀ current');
    expect(screen).toMatch(/○ pending\s+backfill_feature_slug/);
    expect(screen.trimEnd().split('\n').at(-1)).toMatch(/^ esc {2}fleet {2}enter {2}details/);
    screen = await tmux.press('Escape', 'f filters: pending');
    expect(screen).toMatch(/› ○ fleettui_e2/);
    screen = await tmux.press(['f', 'f', 'f'], '── 3 targets · f filters: all');
    screen = await tmux.press('q', 'EXIT=0');
    expect(await fleet.history('fleettui_e2')).toEqual(EXAMPLE_REVISIONS.slice(0, 4));
  });
});

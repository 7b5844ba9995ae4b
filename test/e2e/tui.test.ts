import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { Tmux } from '../helpers/tmux.js';

const USERS = 'Migration20260101090000_create_users';
const FEATURES = 'Migration20260103090000_add_features_table';
const INDEX = 'Migration20260106090000_add_feature_slug_index';
/** A row shows a revision's slug (no class prefix, no timestamp). */
const slug = (name: string) => name.replace(/^Migration\d{14}_/, '');
const SELECTED = (name: string) => (s: string) => s.split('\n').some((l) => l.startsWith('›') && l.includes(slug(name)));

// The real binary in a real terminal (tmux): what a person sees and types.
describe('migrate-ui in a terminal', () => {
  let dir: string;
  let dbUrl: string;
  let tmux: Tmux;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mui-e2e-'));
    dbUrl = `sqlite:${join(dir, 'e2e.sqlite')}`;
  });
  afterEach(() => tmux?.kill());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens, navigates, shows details, upgrades, helps, follows another process, downgrades and quits', async () => {
    tmux = new Tmux();
    tmux.start(`node ${BIN} --db ${dbUrl}`, { cwd: ROOT });
    let screen = await tmux.waitFor('current base (nothing applied) · 6 pending', 20_000);
    expect(screen).toContain('enter  details');
    expect(screen).toMatch(/› ◇ base\s+base — the empty database ◀ current/);

    for (const name of [USERS, 'add_channel_table', FEATURES]) await tmux.press('j', SELECTED(name));
    screen = await tmux.press('Enter', 'drop table `features`;');
    // A long checkout path wraps onto the next line (indented under the value): read it unwrapped.
    expect(screen.replace(/\n {12}/g, '')).toContain(`${FEATURES}.ts`);
    await tmux.press('Escape', 'enter  details');

    screen = await tmux.press('u', 'Apply 3 revisions?  y yes · n no · enter = no');
    expect(screen).toContain(`Upgrade to ${FEATURES}: 3 revisions will be applied`);
    screen = await tmux.press('y', '✓ done: 3 revisions applied');
    expect(screen).toMatch(new RegExp(`✓ applied\\s+${slug(FEATURES)} ◀ current`));
    await tmux.press('Escape', 'enter  details');

    screen = await tmux.press('?', 'Keys — esc, ? or q closes');
    expect(screen).toContain('downgrade: revert every revision after the selected one');
    await tmux.press('Escape', 'enter  details');

    // Another process applies the rest while the app is open: the timeline shows it within 2 s.
    const up = await runCli(['up', '--db', dbUrl], { cwd: ROOT });
    expect(up.code).toBe(0);
    const seenBy = Date.now() + 2000;
    screen = await tmux.waitFor(`current ${INDEX} · 0 pending`, 2000);
    expect(Date.now()).toBeLessThanOrEqual(seenBy);
    expect(SELECTED(FEATURES)(screen)).toBe(true);

    screen = await tmux.press('d', 'Revert 3 revisions and lose that data?  y yes · n no · enter = no');
    expect(screen).toContain('column features.slug (no values)');
    screen = await tmux.press('y', '✓ done: 3 revisions reverted');
    expect(screen).toContain(`current ${FEATURES} · 3 pending`);
    await tmux.press('Escape', 'enter  details');

    screen = await tmux.press('q', 'EXIT=0');
    // The alternate screen is gone: no frame is left behind in the shell.
    expect(screen).not.toContain('enter  details');
    const status = await runCli(['status', '--json', '--db', dbUrl], { cwd: ROOT });
    expect(JSON.parse(status.stdout).current).toBe(FEATURES);
  });

  it('follows resizes, writes no colour with --no-color, and ctrl-c exits with 0', async () => {
    tmux = new Tmux();
    tmux.start(`node ${BIN} --db ${dbUrl} --no-color`, { cwd: ROOT, columns: 120, rows: 40 });
    let screen = await tmux.waitFor(/current .* · \d+ pending/, 20_000);
    expect(screen.split('\n').find((l) => l.startsWith('──'))?.length).toBe(120);
    tmux.resize(80, 24);
    screen = await tmux.waitFor(
      (s) =>
        s
          .split('\n')
          .find((l) => l.startsWith('──'))
          ?.trimEnd().length === 80,
    );
    expect(screen.split('\n').filter((l) => l.trim()).length).toBeLessThanOrEqual(24);
    expect(screen).toContain('q  quit');
    const coloured = tmux.screen(true);
    expect(coloured).not.toMatch(/\u001B\[(3[0-7]|9[0-7]|38;)/);
    await tmux.press('C-c', 'EXIT=0');
  });

  it('uses colours by default', async () => {
    // Whatever the test before left: at least one revision applied, so there is a green ✓ to see.
    expect((await runCli(['up', '+1', '--db', dbUrl])).code).toBe(0);
    tmux = new Tmux();
    // A terminal that says its background is dark (COLORFGBG, as rxvt and Konsole set it): applied revisions in green
    // (tmux may merge styles into one SGR).
    tmux.start(`node ${BIN} --db ${dbUrl}`, { cwd: ROOT, env: { NO_COLOR: '', COLORFGBG: '15;0' } });
    await tmux.waitFor(/current Migration\d+/, 20_000);
    expect(tmux.screen(true)).toMatch(/\u001B\[[0-9;]*32m✓/);
    await tmux.press('q', 'EXIT=0');
    tmux.kill();
    // A light one: blue (green has 2.2:1 on xterm's white); none said: the terminal's own colour, never green or cyan.
    for (const background of ['0;15', '']) {
      tmux = new Tmux();
      tmux.start(`env -u COLORFGBG ${background ? `COLORFGBG='${background}'` : ''} node ${BIN} --db ${dbUrl}`, { cwd: ROOT, env: { NO_COLOR: '' } });
      await tmux.waitFor(/current Migration\d+/, 20_000);
      const screen = tmux.screen(true);
      if (background) expect(screen).toMatch(/\u001B\[[0-9;]*34m✓/);
      else expect(screen).not.toMatch(/\u001B\[[0-9;]*3[2346]m/);
      await tmux.press('q', 'EXIT=0');
      tmux.kill();
    }
  });

  it('"/users" and enter typed in one burst filter the list; enter a second later applies nothing', async () => {
    const burst = `sqlite:${join(dir, 'burst.sqlite')}`;
    tmux = new Tmux();
    tmux.start(`node ${BIN} --db ${burst}`, { cwd: ROOT });
    await tmux.waitFor('current base (nothing applied) · 6 pending', 20_000);
    tmux.send('/users', 'Enter');
    await tmux.waitFor('filter "users"');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    tmux.send('Enter');
    const screen = await tmux.waitFor('checksum  not applied yet');
    expect(screen).not.toContain('Apply');
    await tmux.press('q', 'EXIT=0');
    const status = await runCli(['status', '--json', '--db', burst]);
    expect(JSON.parse(status.stdout).pending).toBe(6);
  });
});

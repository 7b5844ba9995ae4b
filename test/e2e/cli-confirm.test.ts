import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, runJson } from '../helpers/cli.js';
import { Tmux } from '../helpers/tmux.js';

// `down` in a terminal asks before it loses data; no answer but y runs it.
describe('migrate-ui down in a terminal', () => {
  let dir: string;
  let dbUrl: string;
  let tmux: Tmux;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mui-confirm-'));
    dbUrl = `sqlite:${join(dir, 'confirm.sqlite')}`;
    expect((await runCli(['up', '--db', dbUrl])).code).toBe(0);
    expect((await runCli(['seed', '--rows', '3', '--db', dbUrl])).code).toBe(0);
  });
  afterEach(() => tmux?.kill());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const applied = async () => (await runJson(['status', '--db', dbUrl])).revisions.filter((r: { status: string }) => r.status === 'applied').length;

  it('lists what is lost and cancels on enter', async () => {
    tmux = new Tmux();
    tmux.start(`node ${BIN} down base --db ${dbUrl}`, { cwd: ROOT, columns: 140 });
    const screen = await tmux.waitFor('Continue? [y/N]', 20_000);
    expect(screen).toContain('down reverts 6 revision(s) and loses data:');
    expect(screen).toContain('drops table users (empty)');
    expect(screen).toContain('drops table features and its 3 rows');
    expect(screen).toContain('drops column features.slug (no values)');
    await tmux.press('Enter', 'EXIT=0');
    expect(tmux.screen()).toContain('cancelled; nothing changed');
    expect(await applied()).toBe(6);
  });

  it('reverts everything after y', async () => {
    tmux = new Tmux();
    tmux.start(`node ${BIN} down base --db ${dbUrl}`, { cwd: ROOT, columns: 140 });
    await tmux.waitFor('Continue? [y/N]', 20_000);
    tmux.send('y', 'Enter');
    const screen = await tmux.waitFor('EXIT=0', 20_000);
    expect(screen).toContain('reverted Migration20260101090000_create_users');
    expect(await applied()).toBe(0);
  });
});

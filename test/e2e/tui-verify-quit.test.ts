import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { waitFor } from '../helpers/processes.js';
import { Tmux } from '../helpers/tmux.js';
import { sqlRevision, uiExample } from '../helpers/ui-project.js';

const SLOW = 'Migration20260107090000_slow_table';

// `v` verifies on a scratch database; leaving the app while it runs (q, ctrl-c) drops that database on the way out
// instead of leaving it to the next run's sweep.
describe('quitting the TUI while v verifies (SQLite, the real binary in tmux)', () => {
  const example = uiExample();
  // up() waits 4 s: the proof of this revision is still running when the key is pressed.
  example.addRevision(SLOW, sqlRevision(SLOW, 'create table slow_table (id integer primary key)', 'drop table slow_table', { delayMs: 4000 }));
  let tmux: Tmux;
  const dirs: string[] = [];
  afterEach(() => tmux?.kill());
  afterAll(() => {
    example.remove();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const scratchFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('migrate_ui_scratch_'));

  it.each([
    ['q', 'q'],
    ['ctrl-c', 'C-c'],
  ])('%s mid-verify quits at once and leaves no scratch file', async (_, key) => {
    const dir = mkdtempSync(join(tmpdir(), 'mui-verify-quit-'));
    dirs.push(dir);
    // The scratch SQLite file goes to the temp folder: this one, so the test sees it.
    const scratchDir = join(dir, 'tmp');
    mkdirSync(scratchDir);
    tmux = new Tmux();
    tmux.start(`node ${BIN} --config ${example.configPath} --db sqlite:${join(dir, 'app.sqlite')}`, {
      cwd: example.dir,
      env: { TMPDIR: scratchDir },
    });
    await tmux.waitFor('current base (nothing applied) · 7 pending', 20_000);
    await tmux.press('G', (s) => s.split('\n').some((l) => l.startsWith('›') && l.includes('slow_table')));
    // The proof of the slow revision has begun: its up() waits, the scratch file exists.
    const proving = await tmux.press('v', `${SLOW}: up`, 30_000);
    expect(proving).not.toContain('proven');
    const during = await waitFor(async () => scratchFiles(scratchDir).length > 0 && scratchFiles(scratchDir), 'the scratch file');
    expect(during.some((f) => f.endsWith('.sqlite'))).toBe(true);
    await tmux.press(key, 'EXIT=0', 10_000);
    expect(scratchFiles(scratchDir)).toEqual([]);
  });
});

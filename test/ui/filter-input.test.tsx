import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { keys, press, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { ENTER_GUARD_MS } from '../../src/ui/confirm/confirm-screen.js';
import { renderApp, rowOf, type RenderedApp } from '../helpers/render-app.js';
import { sqliteExample, type SqliteExample } from '../helpers/ui-project.js';

const USERS = 'Migration20260101090000_create_users';
const CHANNEL = 'Migration20260102090000_add_channel_table';
const SLUG = 'Migration20260104090000_add_feature_slug';
const INDEX = 'Migration20260106090000_add_feature_slug_index';

/** Keys as a terminal delivers a burst: several reads before the app has drawn anything. */
function burst(stdin: { write(data: string): void }, ...reads: string[]): void {
  for (const read of reads) stdin.write(read);
}

/** The filter input's line: what was typed, then the cursor. */
const typed = (text: string) => `/ ${text}█`;

// A focused text input consumes printable keys: nothing in the app needs to know that q must not quit while typing.
describe('the filter input has the keys while it is open (SQLite)', () => {
  let env: SqliteExample;
  let project: Project;
  let app: RenderedApp | undefined;

  beforeAll(async () => {
    env = await sqliteExample(CHANNEL);
    ({ project } = env);
  });
  afterEach(() => {
    app?.unmount();
    app = undefined;
  });
  afterAll(async () => {
    await env.close();
  });

  it('types q, j, ?, / (and u, d) into the filter; esc leaves the input and clears it; then q quits again', async () => {
    app = await renderApp(project);
    const { stdin, lastFrame } = app;
    let frame = await pressAndWait(stdin, lastFrame, '/', typed(''));
    let text = '';
    for (const key of ['q', 'j', '?', '/', 'u', 'd']) {
      text += key;
      frame = await pressAndWait(stdin, lastFrame, key, typed(text));
      expect(frame).not.toContain('Keys —');
      expect(frame).not.toContain('Apply ');
      expect(frame).not.toContain('Revert ');
      expect(app.exitCode()).toBeUndefined();
    }
    expect(frame).toContain('no revision matches "qj?/ud"');
    // The status bar shows what the keys do now: no "q quit" or "? help" while they are typed.
    expect(frame).toMatch(/↑↓\s+move\s+enter\s+keep\s+esc\s+clear\s*$/m);
    expect(frame).not.toMatch(/q\s+quit/);

    frame = await pressAndWait(stdin, lastFrame, keys.esc, (f) => !f.includes('█') && rowOf(f, USERS) !== '');
    expect(frame).not.toContain('filter "');
    expect(rowOf(frame, CHANNEL)).toMatch(/^› /);
    expect(frame).toContain('q  quit');
    press(stdin, 'q');
    await waitForFrame(() => String(app!.exitCode()), '0');
  });

  it('takes keys typed together ("q?j" in one read) as text, one by one', async () => {
    app = await renderApp(project);
    const { stdin, lastFrame } = app;
    await pressAndWait(stdin, lastFrame, '/', typed(''));
    const frame = await pressAndWait(stdin, lastFrame, 'q?j', typed('q?j'));
    expect(frame).not.toContain('Keys —');
    expect(app.exitCode()).toBeUndefined();
    // "slug" and enter in one read: typed, then enter keeps the filter (\r is enter, not text).
    await pressAndWait(stdin, lastFrame, `${keys.backspace}${keys.backspace}${keys.backspace}slug\r`, 'filter "slug"');
    expect(lastFrame()).not.toContain('█');
  });

  it('reads keys typed faster than they are read one by one: "kk\\r" moves up twice, then enter opens the details', async () => {
    app = await renderApp(project);
    const { stdin, lastFrame } = app;
    await pressAndWait(stdin, lastFrame, 'G', (f) => rowOf(f, INDEX).startsWith('›'));
    const frame = await pressAndWait(stdin, lastFrame, 'kk\r', 'checksum  not applied yet');
    // The details of the revision two above the last: its name heads the screen.
    expect(frame).toMatch(new RegExp(`^${SLUG}\\n  state`, 'm'));
  });

  // Keys of one burst go where the keys before them sent the focus; the last test applies a revision, so it stays last.
  it('"/data" in one read is a filter reading "data", not a downgrade', async () => {
    app = await renderApp(project);
    burst(app.stdin, '/', 'd', 'ata');
    const frame = await waitForFrame(app.lastFrame, '/ data█');
    await new Promise((r) => setTimeout(r, 300));
    expect(app.lastFrame()).toContain('/ data█');
    expect(frame).not.toContain('Revert');
  });

  it('"/users" and enter in one read keep the filter and open nothing; enter again opens the details, never a run', async () => {
    app = await renderApp(project);
    burst(app.stdin, '/', 'users', '\r');
    await waitForFrame(app.lastFrame, 'filter "users"');
    await new Promise((r) => setTimeout(r, 300));
    expect(app.lastFrame()).not.toContain('Apply');
    expect(app.lastFrame()).toContain('4 pending');
  });

  it('enter pressed at once after the question appears is ignored, even where enter means yes', async () => {
    app = await renderApp(project);
    burst(app.stdin, 'j', 'u');
    await waitForFrame(app.lastFrame, 'Apply 1 revision?  y yes · n no · enter = yes');
    press(app.stdin, keys.enter);
    await new Promise((r) => setTimeout(r, 100));
    expect(app.lastFrame()).toContain('Apply 1 revision?');
    expect((await project.timeline()).current).toBe(CHANNEL);
    await new Promise((r) => setTimeout(r, ENTER_GUARD_MS));
    press(app.stdin, keys.enter);
    await waitForFrame(app.lastFrame, '✓ done: 1 revision applied');
    expect((await project.timeline()).current).toBe('Migration20260103090000_add_features_table');
  });
});

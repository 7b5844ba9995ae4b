import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { keys, press, waitForFrame } from '../helpers/ink.js';
import { ENTER_GUARD_MS } from '../../src/ui/confirm/confirm-screen.js';
import { renderApp, type RenderedApp } from '../helpers/render-app.js';
import { sqliteExample, type SqliteExample } from '../helpers/ui-project.js';

const CHANNEL = 'Migration20260102090000_add_channel_table';

/** Keys as a terminal delivers a burst: several reads before the app has drawn anything. */
function burst(stdin: { write(data: string): void }, ...reads: string[]): void {
  for (const read of reads) stdin.write(read);
}

describe('keys that arrive in one read go where the keys before them sent the focus (SQLite)', () => {
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

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { frameLines, keys, plain, pressAndWait } from '../helpers/ink.js';
import { renderApp } from '../helpers/render-app.js';
import { sqliteExample, type SqliteExample } from '../helpers/ui-project.js';

// Ink decides its colour support when it loads: styles (inverse, bold) are written only when it thinks it has them.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const INVERSE = '\u001B[7m';

/** The raw line of the frame whose text contains `text`. */
const lineWith = (frame: string, text: string) => frame.split('\n').find((l) => plain(l).includes(text)) ?? '';

// One look for "this is where you are": the timeline's inverse bar, also on the form's menu, list and choices.
describe('the focus looks the same on every screen', () => {
  let env: SqliteExample;
  let project: Project;
  beforeAll(async () => {
    env = await sqliteExample('+4');
    ({ project } = env);
  });
  afterAll(async () => {
    await env.close();
  });

  it('timeline row, form menu and form choice are drawn inverse, the others not', async () => {
    const app = await renderApp(project, { color: true, columns: 100, rows: 30 });
    let frame = app.lastFrame()!;
    expect(lineWith(frame, '◀ current')).toContain(INVERSE);
    expect(lineWith(frame, 'create_users')).not.toContain(INVERSE);
    await pressAndWait(app.stdin, app.lastFrame, 'n', (f) => plain(f).includes('› name'));
    await pressAndWait(app.stdin, app.lastFrame, 'add_x', (f) => plain(f).includes('add_x'));
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, (f) => plain(f).includes('Add an operation'));
    const menu = frameLines(frame).filter((l) => /^(›| ) (createTable|addColumn)\b/.test(plain(l)));
    expect(menu.map((l) => l.includes(INVERSE))).toEqual([true, false]);
    // addColumn: the table is a choice; the highlighted one is inverse too.
    await pressAndWait(app.stdin, app.lastFrame, keys.down, (f) => plain(f).includes('› addColumn'));
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, (f) => plain(f).includes('▸ '));
    expect(lineWith(frame, '▸ ')).toContain(INVERSE);
    app.unmount();
  });
});

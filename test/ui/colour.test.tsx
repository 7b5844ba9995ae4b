import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { keys, plain, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { renderApp } from '../helpers/render-app.js';
import { sqliteExample, type SqliteExample } from '../helpers/ui-project.js';

// Ink decides its colour support when it loads: make it think the terminal has colours, then check the app's own switch.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
  delete process.env.COLORFGBG;
});

const COLOUR = /\u001B\[(3[0-7]|9[0-7]|38;)/;

describe('colours', () => {
  let env: SqliteExample;
  let project: Project;
  beforeAll(async () => {
    env = await sqliteExample('+2');
    ({ project } = env);
  });
  afterAll(async () => {
    await env.close();
  });

  it('colours states from the 16-colour palette (no yellow, no white) when colour is on', async () => {
    process.env.MIGRATE_UI_BACKGROUND = 'dark';
    try {
      const app = await renderApp(project, { color: true });
      const frame = await waitForFrame(app.lastFrame, (f) => plain(f).includes('✓ applied'));
      expect(frame).toMatch(/\u001B\[32m✓ /);
      expect(frame).not.toMatch(/\u001B\[(33|37|97|93)m/);
      app.unmount();
    } finally {
      delete process.env.MIGRATE_UI_BACKGROUND;
    }
  });

  // Which foreground colours each background allows (palette.test.ts checks their contrast on the common palettes).
  const ALLOWED = { unknown: ['31', '35'], dark: ['31', '35', '32', '36'], light: ['31', '35', '34'] };
  for (const [background, allowed] of Object.entries(ALLOWED)) {
    it(`draws only ${allowed.join(', ')} when the background is ${background}, and no faint text`, async () => {
      if (background !== 'unknown') process.env.MIGRATE_UI_BACKGROUND = background;
      try {
        const app = await renderApp(project, { color: true });
        const frame = await waitForFrame(app.lastFrame, (f) => plain(f).includes('✓ applied'));
        const used = new Set([...frame.matchAll(/\u001B\[(3[0-7]|9[0-7])m/g)].map((m) => m[1]));
        for (const code of used) expect(allowed, `colour ${code}`).toContain(code);
        expect(frame).not.toMatch(/\u001B\[2m/);
        app.unmount();
      } finally {
        delete process.env.MIGRATE_UI_BACKGROUND;
      }
    });
  }

  // Issue 21: the form, the watch screen and the run view's rule were faint (1.88:1 on Solarized light).
  it('the form, the watch screen and the run view draw quiet text in italics, never faint, on either background', async () => {
    // The run comes last: after it, the watch screen has a data migration to show.
    for (const background of ['dark', 'light']) {
      process.env.MIGRATE_UI_BACKGROUND = background;
      const app = await renderApp(project, { color: true, columns: 100, rows: 30 });
      try {
        await waitForFrame(app.lastFrame, (f) => plain(f).includes('✓ applied'));
        const italic = (text: string) => new RegExp(String.raw`\u001B\[3m[^\u001B]*` + text);
        let frame = await pressAndWait(app.stdin, app.lastFrame, 'n', 'lower-case letters, digits and _');
        expect(frame).toMatch(italic('lower-case letters, digits and _'));
        expect(frame).not.toMatch(/\u001B\[2m/);
        frame = await pressAndWait(app.stdin, app.lastFrame, 'x_y', '› name          x_y');
        frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'Add an operation');
        expect(frame).toMatch(italic('a new table with its columns'));
        frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, '› table');
        expect(frame).toMatch(italic('a new table name'));
        expect(frame).not.toMatch(/\u001B\[2m/);
        await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'Operations, in the order they run');
        await pressAndWait(app.stdin, app.lastFrame, keys.esc, '› name');
        await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'Throw this draft away?');
        await pressAndWait(app.stdin, app.lastFrame, 'y', 'nothing was written');
        frame = await pressAndWait(app.stdin, app.lastFrame, 'w', 'No data migration has run on this database yet');
        expect(frame).toMatch(italic('No data migration has run'));
        expect(frame).not.toMatch(/\u001B\[2m/);
        await pressAndWait(app.stdin, app.lastFrame, keys.esc, (f) => plain(f).includes('✓ applied'));
        if (background === 'light') {
          await pressAndWait(app.stdin, app.lastFrame, 'G', (f) => /^› /m.test(plain(f)));
          await pressAndWait(app.stdin, app.lastFrame, 'u', /Apply \d+ revisions\?/);
          frame = await pressAndWait(app.stdin, app.lastFrame, 'y', '✓ done', 30_000);
          expect(plain(frame)).toMatch(/^─{20,}$/m);
          expect(frame).not.toMatch(/\u001B\[2m/);
        }
      } finally {
        app.unmount();
        delete process.env.MIGRATE_UI_BACKGROUND;
      }
    }
  }, 90_000);

  it('writes no colour at all with NO_COLOR / --no-color, only bold and inverse', async () => {
    const app = await renderApp(project, { color: false });
    const frame = await waitForFrame(app.lastFrame, (f) => plain(f).includes('✓ applied'));
    expect(frame).not.toMatch(COLOUR);
    expect(frame).toMatch(/\u001B\[7m/);
    app.unmount();
  });
});

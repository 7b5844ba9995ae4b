import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { plain, waitForFrame } from '../helpers/ink.js';
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

  it('writes no colour at all with NO_COLOR / --no-color, only bold and inverse', async () => {
    const app = await renderApp(project, { color: false });
    const frame = await waitForFrame(app.lastFrame, (f) => plain(f).includes('✓ applied'));
    expect(frame).not.toMatch(COLOUR);
    expect(frame).toMatch(/\u001B\[7m/);
    app.unmount();
  });
});

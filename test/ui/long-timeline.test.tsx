import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { keys, press, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { renderApp, rowNames, rowOf, shownName } from '../helpers/render-app.js';
import { bigProject, openProject } from '../helpers/ui-project.js';

const COUNT = 2000;

// A timeline of 2,000 revisions: only a window of it is ever drawn, and the frame never outgrows the terminal.
describe(`a timeline of ${COUNT} revisions`, () => {
  let big: ReturnType<typeof bigProject>;
  let db: TestDatabase;
  let project: Project;

  beforeAll(async () => {
    big = bigProject(COUNT);
    db = (await createTestDatabase('sqlite'))!;
    project = await openProject(big.configPath, db.url);
    await project.runner().run({ direction: 'up', target: '+40' });
  });
  afterAll(async () => {
    await project.close();
    await db.drop();
    big.remove();
  });

  it('renders around the current revision, scrolls to the end and back, and stays inside 100×30', async () => {
    const app = await renderApp(project, { columns: 100, rows: 30 });
    const { stdin, lastFrame } = app;
    const name = (n: number) => big.names[n - 1];
    let frame = await waitForFrame(lastFrame, (f) => rowOf(f, name(40)).startsWith('›'));
    expect(frame).toContain(`current ${name(40)} · ${COUNT - 40} pending`);
    expect(frame).toMatch(new RegExp(`── \\d+–\\d+ of ${COUNT + 1} `));

    frame = await pressAndWait(stdin, lastFrame, 'G', (f) => rowOf(f, name(COUNT)).startsWith('›'));
    expect(frame).toContain(`of ${COUNT + 1}`);
    expect(rowNames(frame).at(-1)).toBe(shownName(name(COUNT)));
    frame = await pressAndWait(stdin, lastFrame, keys.pageUp, (f) => !rowNames(f).includes(shownName(name(COUNT))));
    frame = await pressAndWait(stdin, lastFrame, keys.pageDown, (f) => rowOf(f, name(COUNT)).startsWith('›'));
    frame = await pressAndWait(stdin, lastFrame, 'k', (f) => rowOf(f, name(COUNT - 1)).startsWith('›'));
    frame = await pressAndWait(stdin, lastFrame, 'g', (f) => rowOf(f, '◇ base').startsWith('›'));
    expect(frame).toMatch(new RegExp(`── 1–\\d+ of ${COUNT + 1} `));
    for (let i = 0; i < 5; i++) {
      const before = lastFrame();
      press(stdin, keys.pageDown);
      await waitForFrame(lastFrame, (f) => f !== before);
    }
    frame = lastFrame()!;
    expect(rowNames(frame)).toContain(shownName(name(5 * 23)));

    frame = await pressAndWait(stdin, lastFrame, '/', '/ █');
    press(stdin, 'step_1999');
    frame = await waitForFrame(lastFrame, '── 1 row');
    expect(rowNames(frame)).toEqual([shownName(name(1999))]);
    await pressAndWait(stdin, lastFrame, keys.esc, `of ${COUNT + 1}`);

    const frames = app.sizedFrames();
    expect(frames.length).toBeGreaterThan(10);
    for (const f of frames) {
      const lines = f.split('\n');
      expect(lines.length).toBeLessThanOrEqual(29);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
      expect(rowNames(f).length).toBeLessThanOrEqual(24);
    }
    app.unmount();
  });
});

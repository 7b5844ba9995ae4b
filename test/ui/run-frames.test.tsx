import { describe, expect, test } from 'vitest';
import { press, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { renderApp, rowOf, selectRow } from '../helpers/render-app.js';
import { useUiExample } from '../helpers/ui-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

const INDEX = 'Migration20260106090000_add_feature_slug_index';
const REVISIONS = 6;

// The run view draws the run's events on its 100 ms beat (or with a batch's frame), not one frame per event: the
// lock, the plan and each revision's start and end would otherwise each cost a whole-screen redraw.
describe('the run view’s frames on sqlite', () => {
  const database = useTestDatabase('sqlite');
  const { open } = useUiExample();

  test('six quick revisions take a frame per beat, plus one per timeline read, not one per event', async (ctx) => {
    const project = await open(database(ctx).url);
    const app = await renderApp(project);
    ctx.onTestFinished(() => app.unmount());
    await selectRow(app, INDEX);
    press(app.stdin, 'u');
    await waitForFrame(app.lastFrame, `Apply ${REVISIONS} revisions?`);
    const before = app.frames.length;
    const started = Date.now();
    const frame = await pressAndWait(app.stdin, app.lastFrame, 'y', `✓ done: ${REVISIONS} revisions applied`);
    const seconds = (Date.now() - started) / 1000;
    // The outcome's frame already shows every revision done and the timeline caught up.
    expect(rowOf(frame, INDEX)).toMatch(/✓ applied .*◀ current/);
    // Each line as the timeline shows it: the slug, then the date.
    expect(frame.match(/^ {2}✓ \S+ +\d{4}-\d{2}-\d{2} {2}(\d+ ms|\d+\.\d s)$/gm)).toHaveLength(REVISIONS);
    // The key's frame, the beats, the timeline's reads (at most one per revision), the outcome, and one for the
    // clock's 30 s tick should it fall here. Drawn per event, the same run took 16 frames in 0.2 s here (two events
    // per revision, the lock's and the plan's).
    expect(app.frames.length - before).toBeLessThanOrEqual(1 + Math.ceil(seconds * 10) + REVISIONS + 1 + 1);
  });
});

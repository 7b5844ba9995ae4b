// Runs one revision from the TUI, as a person does: the app rendered as `migrate-ui` renders it (its maxFps) on a fake
// 100×30 terminal, the selection moved from the current revision down to it, `u`, then `y`; timed from `y` reaching
// stdin to the first frame that shows the run's outcome ("✓ done"). Needs dist/.
import { performance } from 'node:perf_hooks';
import { plain, renderApp, sleep } from './terminal.js';
import { ROOT } from './util.js';

const TIMEOUT_MS = 600_000;

/** Applies `revision` (the one after the current) from the TUI; returns the time from `y` to "✓ done" and the run's own duration. */
export async function runInTui(project, revision) {
  // The app makes its runner through project.runner(): tap it for the run's own duration, as the app's listeners see it.
  const makeRunner = project.runner.bind(project);
  let runMs;
  project.runner = () => {
    const runner = makeRunner();
    runner.events.on('event', (event) => {
      if (event.type === 'run:done') runMs = event.durationMs;
    });
    return runner;
  };
  const { app, stdout, stdin } = await renderApp({ project, cwd: ROOT });
  try {
    // The timeline's rows show the slug (the name without `Migration<timestamp>_`); the selected one's full name below.
    const slug = revision.replace(/^Migration\d+_/, '');
    const selected = (text) => text.split('\n').some((line) => line.startsWith('›') && line.includes(` ${slug} `));
    await waitForText(stdout, 'the timeline', (text) => text.includes('current ') && text.includes(slug));
    await press(stdout, stdin, 'j', 'the selection on the revision', selected);
    await press(stdout, stdin, 'u', 'the confirmation', (text) => text.includes('Apply 1 revision?'));
    const started = performance.now();
    const shown = await press(stdout, stdin, 'y', 'the outcome', (text) => text.includes('✓ done'), TIMEOUT_MS);
    return { ms: shown - started, runMs };
  } finally {
    app.unmount();
  }
}

/** Types `key` and waits for the first frame after it that passes `test`; returns that frame's time. */
async function press(stdout, stdin, key, what, test, ms = 10_000) {
  stdout.clear();
  stdin.type(key);
  const at = await stdout.frameWhere(test, ms);
  if (at === null) throw new Error(`${what} never showed after "${key}"; last output:\n${plain(stdout.recent).slice(-3000)}`);
  return at;
}

async function waitForText(stdout, what, test, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!test(plain(stdout.recent))) {
    if (Date.now() > deadline) throw new Error(`${what} never showed; last output:\n${plain(stdout.recent).slice(-3000)}`);
    await sleep(20);
  }
}

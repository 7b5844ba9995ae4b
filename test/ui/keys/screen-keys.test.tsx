import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../../src/core/lock.js';
import { databaseOf, type Project } from '../../../src/core/project.js';
import { CONTEXTS, helpEntries, statusHints, type Context, type Flag } from '../../../src/ui/keys/keymap.js';
import { SCREEN_KEYS, type KeyScreen } from '../../../src/ui/keys/screen-keys.js';
import { fitHints, hintGap } from '../../../src/ui/status-bar.js';
import { frameLines, keys, pressAndWait, waitForFrame } from '../../helpers/ink.js';
import { renderApp, rowOf, type RenderedApp } from '../../helpers/render-app.js';
import { openProject, sqliteExample, type SqliteExample } from '../../helpers/ui-project.js';

const CHANNEL = 'Migration20260102090000_add_channel_table';
const FEATURES = 'Migration20260103090000_add_features_table';
const HELP = 'Keys — esc, ? or q closes';

/** The status bar the declaration of `screen` gives, without the contexts the screen has switched off now. */
function expectedStatus(screen: KeyScreen, flags: Flag[], off: Context[] = []): string {
  const contexts = SCREEN_KEYS[screen].filter((c: Context) => !off.includes(c));
  // The test's terminal is 160 columns wide: every key fits (the bar keeps what fits, help and quit always).
  const all = statusHints(contexts, new Set(flags));
  return fitHints(all, 160)
    .map((h) => ` ${h.keys}  ${h.label}`)
    .join(' '.repeat(hintGap(all, 160)));
}

/** The help overlay's lines for the screen below it: every context the screen declares, in its order, with every binding. */
function expectedHelp(screen: KeyScreen): string[] {
  return SCREEN_KEYS[screen].flatMap((c: Context) => [CONTEXTS[c].title, ...helpEntries([c]).map((e) => `  ${e.keys.padEnd(14)}${e.help}`)]);
}

const statusOf = (frame: string) => frameLines(frame).at(-1) ?? '';

/** Opens the help overlay, checks it lists exactly what `screen` declares, and that its own status bar is the help's; closes it. */
async function checkHelp(app: RenderedApp, screen: KeyScreen, back: string) {
  const frame = await pressAndWait(app.stdin, app.lastFrame, '?', HELP);
  const lines = frameLines(frame);
  const start = lines.findIndex((l) => l.startsWith(` ${HELP}`)) + 1;
  const expected = expectedHelp(screen);
  expect(lines.slice(start, start + expected.length), screen).toEqual(expected);
  // Nothing after the declared contexts but the legend of states (on the timeline) and empty rows.
  expect(lines[start + expected.length] ?? '', screen).toMatch(screen === 'timeline' ? /^States$/ : /^$/);
  expect(statusOf(frame)).toBe(expectedStatus('help', []));
  await pressAndWait(app.stdin, app.lastFrame, keys.esc, (f) => !f.includes(HELP) && f.includes(back));
}

// The status bar and the help overlay of each screen come from the one declaration (SCREEN_KEYS) the router reads too.
describe('the keys each screen declares (SQLite)', () => {
  let env: SqliteExample;
  let project: Project;

  beforeAll(async () => {
    env = await sqliteExample(CHANNEL);
    ({ project } = env);
  });
  afterAll(async () => {
    await env.close();
  });

  it('timeline, filter, details, confirmation, run and the quit dialog show exactly the bindings they declare', async () => {
    const app = await renderApp(project, { columns: 160, rows: 80 });
    const { stdin, lastFrame } = app;
    const other = await openProject(env.example.configPath, env.db.url);
    let lock: Awaited<ReturnType<typeof acquireLock>> | undefined;
    try {
      // The timeline, its list keys on (the filter input off), without and with a kept filter, and while typing one.
      expect(statusOf(lastFrame()!)).toBe(expectedStatus('timeline', [], ['filter']));
      await checkHelp(app, 'timeline', CHANNEL);
      let frame = await pressAndWait(stdin, lastFrame, '/', '/ █');
      expect(statusOf(frame)).toBe(expectedStatus('timeline', [], ['timeline']));
      frame = await pressAndWait(stdin, lastFrame, `feat${keys.enter}`, 'filter "feat"');
      expect(statusOf(frame)).toBe(expectedStatus('timeline', ['filtered'], ['filter']));
      // The filter moved the selection to its first match, and it stays there.
      await pressAndWait(stdin, lastFrame, keys.esc, (f) => !f.includes('filter "') && rowOf(f, FEATURES).startsWith('›'));

      frame = await pressAndWait(stdin, lastFrame, keys.enter, 'checksum  not applied yet');
      expect(statusOf(frame)).toBe(expectedStatus('details', []));
      await checkHelp(app, 'details', 'checksum  not applied yet');
      await pressAndWait(stdin, lastFrame, keys.esc, 'enter  details');

      frame = await pressAndWait(stdin, lastFrame, 'u', 'Apply 1 revision?');
      expect(statusOf(frame)).toBe(expectedStatus('confirm', ['ready']));
      await checkHelp(app, 'confirm', 'Apply 1 revision?');

      // Another run holds the lock: ours waits, running, long enough to look at it and at the quit dialog.
      lock = await acquireLock(databaseOf(other), { timeoutMs: 1000 });
      frame = await pressAndWait(stdin, lastFrame, 'y', 'waiting for the lock held by');
      expect(statusOf(frame)).toBe(expectedStatus('run', ['running']));
      expect(statusOf(frame)).toContain('ctrl-c  stop');
      frame = await pressAndWait(stdin, lastFrame, 'q', 'A run is in progress.');
      expect(statusOf(frame)).toBe(expectedStatus('quit', []));
      await pressAndWait(stdin, lastFrame, 'n', (f) => !f.includes('A run is in progress.') && f.includes('waiting for the lock'));
      await checkHelp(app, 'run', 'waiting for the lock');
      await lock.release();
      frame = await waitForFrame(lastFrame, '✓ done: 1 revision applied');
      expect(statusOf(frame)).toBe(expectedStatus('run', ['finished']));
      expect(app.exitCode()).toBeUndefined();
    } finally {
      await lock?.release();
      await other.close();
      app.unmount();
    }
  });

  it('every screen and dialog declares the app context (ctrl-c is read everywhere), and help lists each context once', () => {
    for (const [screen, contexts] of Object.entries(SCREEN_KEYS)) {
      expect(contexts, screen).toContain('app');
      expect(new Set(contexts).size, screen).toBe(contexts.length);
    }
  });
});

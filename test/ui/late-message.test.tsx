import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Notify, useNotices } from '../../src/ui/use-notices.js';
import { plain, press, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { renderApp, rowOf } from '../helpers/render-app.js';
import { sqliteExample, type SqliteExample } from '../helpers/ui-project.js';

// Issue 21: an answer that comes after an await (a refresh, a plan, a control sent) overwrote the message a later key
// had set meanwhile.
function Line({ hold }: { hold: (n: { notify: Notify; clear: () => void }) => void }) {
  const { notice, notify, clear } = useNotices();
  hold({ notify, clear });
  return <Text>{notice ? notice.text : '(none)'}</Text>;
}

describe('a late message', () => {
  it('does not cover what a later key said; shows where nothing newer was said', async () => {
    let line: { notify: Notify; clear: () => void } = { notify: (() => {}) as unknown as Notify, clear: () => {} };
    const app = render(<Line hold={(n) => (line = n)} />);
    const say = line.notify.later();
    // The next key: it clears the line and says something of its own.
    line.clear();
    line.notify({ kind: 'info', text: 'newer' });
    say({ kind: 'info', text: 'late answer' });
    await waitForFrame(app.lastFrame, 'newer');
    // A late answer after a key that said nothing shows: the person still wants to know how it went.
    const second = line.notify.later();
    line.clear();
    second({ kind: 'info', text: 'late answer' });
    await waitForFrame(app.lastFrame, 'late answer');
    // Answers of the same key: the last one stands.
    const third = line.notify.later();
    third({ kind: 'info', text: 'first' });
    third({ kind: 'info', text: 'second' });
    await waitForFrame(app.lastFrame, 'second');
    app.unmount();
  });

  describe('in the app', () => {
    let env: SqliteExample;
    beforeAll(async () => {
      env = await sqliteExample('+2');
    });
    afterAll(async () => {
      await env.close();
    });

    it('r, then u on base at once: "refreshed" arrives after "nothing to do" and does not replace it', async () => {
      const app = await renderApp(env.project);
      await pressAndWait(app.stdin, app.lastFrame, 'g', (f) => rowOf(f, 'base — the empty database').startsWith('›'));
      // Both keys before the refresh's read can finish: u's answer is the newer one.
      press(app.stdin, 'r');
      press(app.stdin, 'u');
      await waitForFrame(app.lastFrame, 'nothing to do: base is below every revision');
      // The refresh ends within moments; the message line keeps u's answer all along.
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        expect(plain(app.lastFrame() ?? '')).not.toContain('refreshed: files and database read again');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(plain(app.lastFrame() ?? '')).toContain('nothing to do: base is below every revision');
      app.unmount();
    });
  });
});

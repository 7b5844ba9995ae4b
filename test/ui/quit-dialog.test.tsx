import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { QuitDialog } from '../../src/ui/quit-dialog.js';
import { resize } from '../helpers/ink.js';

// The dialog opened by q during a run stays open when the run ends meanwhile: then it must not say a run is in progress.
describe('the quit dialog', () => {
  const frame = (running: boolean) => {
    const app = render(<QuitDialog height={10} running={running} onQuit={() => {}} onStay={() => {}} />);
    resize(app.stdout, 80, 12);
    const text = app.lastFrame() ?? '';
    app.unmount();
    return text;
  };

  it('during a run: says the run stops after the current revision', () => {
    const text = frame(true);
    expect(text).toContain('A run is in progress.');
    expect(text).toContain('y quit after the current revision · n keep running · enter = n');
  });

  it('once the run is over: says so, and never "A run is in progress"', () => {
    const text = frame(false);
    expect(text).toContain('The run is over.');
    expect(text).toContain('y quit · n stay · enter = n');
    expect(text).not.toContain('in progress');
  });
});

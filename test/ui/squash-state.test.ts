import { describe, expect, it } from 'vitest';
import type { Squash, SquashPlan } from '../../src/authoring/squash.js';
import type { Revision } from '../../src/core/timeline.js';
import { squashLines, squashPrompt } from '../../src/ui/squash/squash-lines.js';
import { INITIAL_SQUASH, squashFinished, squashReducer, type SquashState } from '../../src/ui/squash/squash-state.js';
import { makeTheme } from '../../src/ui/theme.js';

const A = 'Migration20260101090000_a';
const B = 'Migration20260102090000_b';
const plan: SquashPlan = {
  revision: `${B}_squashed`,
  path: `/p/migrations/${B}_squashed.ts`,
  range: [{ name: A } as Revision, { name: B } as Revision],
  base: null,
};
const draft: Squash = { revision: plan.revision, path: plan.path, source: 'export class X {\n}\n', replaces: [A, B], base: null, operations: [] };
const theme = makeTheme(false, undefined);
const text = (state: SquashState) => squashLines(plan, state, theme, '/p').map((l) => l.text);

// The squash screen's states, without rendering: what each step shows and which keys it takes.
describe('the squash screen state', () => {
  it('drafts, asks once, writes, then ends proven or refused; a y before the draft or a second y does nothing', () => {
    let state = squashReducer(INITIAL_SQUASH, { type: 'step', step: 'draft' });
    expect(squashReducer(state, { type: 'write' })).toBe(state);
    expect(text(state)[0]).toBe('… building the schemas before and after the range on a scratch database');
    expect(squashPrompt(state)).toContain('drafting the squash');
    state = squashReducer(state, { type: 'drafted', draft });
    expect(state.phase).toBe('asking');
    expect(squashPrompt(state)).toBe('Write the squash?  y yes · n no · enter = no');
    expect(text(state)).toEqual(expect.arrayContaining([`migrations/${B}_squashed.ts (not written yet)`, 'export class X {', '}']));
    // Asked, the draft reads as done: no step is still "building".
    expect(text(state)[0]).toBe('✓ drafted from the schemas before and after the range (on a scratch database; nothing written)');
    expect(text(state).some((line) => line.startsWith('…'))).toBe(false);
    state = squashReducer(state, { type: 'write' });
    expect(state.phase).toBe('writing');
    expect(squashReducer(state, { type: 'write' })).toBe(state);
    expect(squashFinished(state)).toBe(false);
    // Writing then proving: the step that runs is the last one, the earlier ones done.
    const proving = squashReducer(squashReducer(state, { type: 'step', step: 'write' }), { type: 'step', step: 'prove' });
    expect(text(proving).slice(0, 2)).toEqual([
      '✓ file written',
      '… proving it on a fresh scratch database: the revisions before the range and the squash must give the same schema',
    ]);
    const refused = squashReducer(squashReducer(state, { type: 'step', step: 'prove' }), {
      type: 'refused',
      line: `the squashed revision ${plan.revision} does not rebuild the originals' schema: column a.x: type differs`,
      hint: 'Nothing was written; squash a shorter range, or write that part by hand.',
      changes: ['column a.x: type differs', 'index ix_a_x: missing'],
    });
    expect(squashFinished(refused)).toBe(true);
    expect(squashPrompt(refused)).toBe('esc or enter: back to the timeline');
    expect(text(refused).slice(0, 5)).toEqual([
      `✗ not proven: the squashed revision ${plan.revision} does not rebuild the originals' schema: column a.x: type differs`,
      '    column a.x: type differs',
      '    index ix_a_x: missing',
      'Nothing was written; squash a shorter range, or write that part by hand.',
      'nothing was written',
    ]);
    const proven = squashReducer(state, { type: 'written', squash: { ...draft, operations: [{ op: 'dropTable', table: 'a' }] } });
    expect(text(proven).slice(0, 2)).toEqual([
      `✓ wrote migrations/${B}_squashed.ts: 1 operation replacing 2 revisions`,
      `✓ proven on a scratch database: the same schema as ${B}, and down() gives back an empty database`,
    ]);
    expect(text(proven)).toContain(`  - ${A}`);
  });
});

import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../../src/ui/form/line-diff.js';

describe('the entities diff', () => {
  it('prints a changed line as its removal, then its addition (as diff does)', () => {
    const before = 'a\nb\n  name!: string;\nc\nd';
    const after = 'a\nb\n  name?: string;\n  slug?: string;\nc\nd';
    expect(lineDiff(before, after).map((l) => `${l.mark}${l.text}`)).toEqual([
      ' a',
      ' b',
      '-  name!: string;',
      '+  name?: string;',
      '+  slug?: string;',
      ' c',
      ' d',
    ]);
  });
});

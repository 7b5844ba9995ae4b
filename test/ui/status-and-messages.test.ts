import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { statusHints } from '../../src/ui/keys/keymap.js';
import { noticeLines } from '../../src/ui/message-bar.js';
import { bodyHeightOf } from '../../src/ui/screen-frame.js';
import { fitHints, hintGap } from '../../src/ui/status-bar.js';

const timeline = statusHints(['timeline', 'global'], new Set());
const shown = (width: number) => fitHints(timeline, width).map((h) => h.keys);
const barWidth = (width: number) => {
  const hints = fitHints(timeline, width);
  return hints.reduce((sum, h) => sum + stringWidth(h.keys) + 3 + stringWidth(h.label), 0) + (hints.length - 1) * hintGap(timeline, width);
};

describe('the status bar', () => {
  it('keeps ? and q at any width, and adds keys in the keymap order as they fit', () => {
    expect(shown(40)).toEqual(['enter', '?', 'q']);
    expect(shown(60)).toEqual(['enter', 'u', 'd', '?', 'q']);
    expect(shown(100)).toEqual(['enter', 'u', 'd', '/', 'n', 'e', 'w', '?', 'q']);
    expect(shown(160)).toEqual(['enter', 'u', 'd', '/', 'n', 'e', 'w', 'r', 'v', 'space', '=', 's', '?', 'q']);
    expect(shown(20)).toEqual(['?', 'q']);
    for (const width of [40, 60, 80, 100, 120, 160]) expect(barWidth(width), `at ${width}`).toBeLessThanOrEqual(width);
  });

  it('offers S (squash) only while a revision is marked, before s, which gives way where both do not fit', () => {
    const marked = statusHints(['timeline', 'global'], new Set(['marked']));
    const shownMarked = (width: number) => fitHints(marked, width).map((h) => h.keys);
    expect(shownMarked(60)).toEqual(['enter', 'u', 'd', '?', 'q']);
    expect(shownMarked(100)).toEqual(['enter', 'u', 'd', '/', 'n', 'e', 'w', '?', 'q']);
    expect(shownMarked(160)).toEqual(['enter', 'u', 'd', '/', 'n', 'e', 'w', 'r', 'v', 'space', '=', 'S', '?', 'q']);
    expect(shownMarked(180)).toEqual(['enter', 'u', 'd', '/', 'n', 'e', 'w', 'r', 'v', 'space', '=', 'S', 's', '?', 'q']);
    for (const width of [40, 60, 80, 100, 120, 160, 180]) {
      const hints = fitHints(marked, width);
      const used = hints.reduce((sum, h) => sum + stringWidth(h.keys) + 3 + stringWidth(h.label), 0) + (hints.length - 1) * hintGap(marked, width);
      expect(used, `at ${width}`).toBeLessThanOrEqual(width);
    }
    // Without a mark the bar is what it was: S is in the help overlay only.
    expect(timeline.map((h) => h.keys)).not.toContain('S');
  });
});

describe('messages', () => {
  it('wrap at spaces to the width, in terminal columns, at most three rows', () => {
    const notice = {
      kind: 'warning' as const,
      text: 'resume sent to the data migration backfill_feature_slug: it continues after the current batch; pid 4242',
    };
    const lines = noticeLines(notice, 40);
    expect(lines[0].startsWith('⚠ ')).toBe(true);
    expect(lines.map((l) => l.slice(2)).join(' ')).toBe(notice.text);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(40);
    const wide = noticeLines({ kind: 'info', text: 'ユーザー一覧を追加 '.repeat(12) }, 30);
    expect(wide.length).toBe(3);
    expect(wide[2].endsWith('…')).toBe(true);
    for (const line of wide) expect(stringWidth(line)).toBeLessThanOrEqual(30);
  });

  it('take their rows from the screen body, so the frame never grows', () => {
    const notice = { kind: 'error' as const, text: 'x '.repeat(50) };
    expect(bodyHeightOf(20, null, 60)).toBe(19);
    expect(bodyHeightOf(20, notice, 60)).toBe(20 - 1 - noticeLines(notice, 60).length);
    expect(noticeLines(notice, 60).length).toBe(2);
  });
});

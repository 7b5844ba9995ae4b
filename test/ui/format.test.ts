import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { columns, fit as padOrCut, truncate, truncateMiddle, wrap } from '../../src/ui/format.js';

// What the terminal shows: every row is measured in columns, where CJK and emoji take two.
describe('text measured in terminal columns', () => {
  it('counts CJK and emoji as two columns and combining marks as none', () => {
    expect(columns('abc')).toBe(3);
    expect(columns('日本語')).toBe(6);
    expect(columns('ok 👍')).toBe(5);
    expect(columns('e\u0301')).toBe(1);
  });

  it('fit pads or cuts to exactly the width, never splitting a wide character', () => {
    for (const text of ['users', 'ユーザーの一覧を表示する', 'emoji 😀😀😀 rows', 'naïve café']) {
      for (const width of [1, 4, 7, 10, 30]) {
        const row = padOrCut(text, width);
        expect(stringWidth(row), `${text} at ${width}`).toBe(width);
        expect(row).not.toMatch(/\uFFFD/);
      }
    }
    expect(padOrCut('日本語テキスト', 6)).toBe('日本… ');
  });

  it('truncate and truncateMiddle keep to the width and mark the cut', () => {
    expect(truncate('users.email', 5)).toBe('user…');
    expect(truncate('日本語テキスト', 7)).toBe('日本語…');
    expect(stringWidth(truncateMiddle('/home/ユーザー/プロジェクト/migrations', 16))).toBeLessThanOrEqual(16);
    expect(truncateMiddle('/home/ユーザー/プロジェクト/migrations', 16)).toMatch(/^\/home.*….*ns$/);
    expect(truncateMiddle('abcdefghij', 5)).toBe('ab…ij');
  });

  it('wrap breaks at spaces and keeps every row within the width', () => {
    expect(wrap('alter table users add column email varchar', 20)).toEqual(['alter table users', 'add column email', 'varchar']);
    const sql = "insert into notes (body) values ('これは日本語のとても長いメモです 🎉🎉🎉 そして続きます')";
    const rows = wrap(sql, 24);
    for (const row of rows) expect(stringWidth(row), row).toBeLessThanOrEqual(24);
    expect(rows.join('').replace(/ /g, '')).toBe(sql.replace(/ /g, ''));
  });
});

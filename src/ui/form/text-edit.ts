// Editing a line of text at a cursor, as a shell's line editor does (readline's keys). Pure: the form keeps the
// text and the cursor, these say what a key makes of them.

/** A line being typed and where its cursor is: `back` characters before the end (0, the usual place, is the end). */
export interface Line {
  text: string;
  back: number;
}

export type LineEdit =
  | { type: 'insert'; text: string }
  | { type: 'erase' }
  | { type: 'left' | 'right' | 'home' | 'end' | 'word-left' | 'word-right' }
  | { type: 'kill-before' | 'kill-after' | 'kill-word' };

const chars = (text: string) => [...text];

/** The index of the start of the word before `at` (words are letters, digits and _). */
function wordStart(cs: string[], at: number): number {
  let i = at;
  while (i > 0 && !/\w/.test(cs[i - 1])) i--;
  while (i > 0 && /\w/.test(cs[i - 1])) i--;
  return i;
}

function wordEnd(cs: string[], at: number): number {
  let i = at;
  while (i < cs.length && !/\w/.test(cs[i])) i++;
  while (i < cs.length && /\w/.test(cs[i])) i++;
  return i;
}

/** The line after one edit at its cursor. */
export function editLine(line: Line, edit: LineEdit): Line {
  const cs = chars(line.text);
  const at = Math.max(0, cs.length - Math.min(line.back, cs.length));
  const to = (text: string[], cursor: number): Line => ({ text: text.join(''), back: text.length - cursor });
  switch (edit.type) {
    case 'insert': {
      const typed = chars(edit.text.replace(/[\r\n\t]+/g, ' '));
      return to([...cs.slice(0, at), ...typed, ...cs.slice(at)], at + typed.length);
    }
    case 'erase':
      return at === 0 ? line : to([...cs.slice(0, at - 1), ...cs.slice(at)], at - 1);
    case 'left':
      return to(cs, Math.max(0, at - 1));
    case 'right':
      return to(cs, Math.min(cs.length, at + 1));
    case 'home':
      return to(cs, 0);
    case 'end':
      return to(cs, cs.length);
    case 'word-left':
      return to(cs, wordStart(cs, at));
    case 'word-right':
      return to(cs, wordEnd(cs, at));
    case 'kill-before':
      return to(cs.slice(at), 0);
    case 'kill-after':
      return to(cs.slice(0, at), at);
    case 'kill-word': {
      const start = wordStart(cs, at);
      return to([...cs.slice(0, start), ...cs.slice(at)], start);
    }
  }
}

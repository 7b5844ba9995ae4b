import type { Key } from 'ink';
import { keyName, type Keypress } from './key-name.js';

/** An escape sequence at the start: CSI (`ESC [ … final`), SS3 (`ESC O x`), or ESC and one character (meta). */
const ESCAPE_SEQUENCE = /^\u001B(?:\[[0-?]*[ -/]*[@-~]|O.|[^[O])?/u;

/** Control characters that are keys of their own. */
const CONTROL: Record<string, string> = { '\r': 'enter', '\n': 'enter', '\t': 'tab', '\x7f': 'backspace', '\b': 'backspace', '\x03': 'ctrl-c' };

/**
 * Splits what the terminal sent in one read into keys: keys typed faster than they are read arrive together
 * (tmux sends `k`, `k`, Enter as "kk\r"). Characters come one by one; an escape sequence stays whole.
 */
export function splitKeys(chunk: string): string[] {
  const keys: string[] = [];
  let rest = chunk;
  while (rest) {
    const sequence = rest.startsWith('\u001B') ? ESCAPE_SEQUENCE.exec(rest)![0] : String.fromCodePoint(rest.codePointAt(0)!);
    keys.push(sequence);
    rest = rest.slice(sequence.length);
  }
  return keys;
}

/** One key of a split chunk, named the way keyName() names the keys Ink parses itself. */
function keypressOf(key: string): Keypress {
  if (key in CONTROL) return { name: CONTROL[key], text: '' };
  if (key === '\u001B') return { name: 'esc', text: '' };
  // Ink delivers escape sequences as keys of their own, parsed; one met inside a chunk is kept whole and never typed.
  if (key.startsWith('\u001B') || /^[\u0000-\u001F]$/.test(key)) return { name: undefined, text: '' };
  return { name: key, text: key };
}

const SPECIAL: Array<keyof Key> = [
  'upArrow',
  'downArrow',
  'leftArrow',
  'rightArrow',
  'pageUp',
  'pageDown',
  'home',
  'end',
  'return',
  'escape',
  'tab',
  'backspace',
  'delete',
  'ctrl',
  'meta',
];

/** The keys in what Ink read: one key Ink recognised, or each key of a chunk of several. */
export function keypresses(input: string, key: Key): Keypress[] {
  if (SPECIAL.some((flag) => key[flag])) return [{ name: keyName(input, key), text: '' }];
  return splitKeys(input).map(keypressOf);
}

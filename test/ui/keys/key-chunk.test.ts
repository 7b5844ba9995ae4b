import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { keypresses, splitKeys } from '../../../src/ui/keys/key-chunk.js';
import { inkKey } from '../../helpers/ink.js';

const NONE = inkKey();
const names = (input: string, key: Partial<Key> = {}) => keypresses(input, { ...NONE, ...key }).map((k) => k.name);

describe('splitting a chunk into keys', () => {
  it('splits characters typed together, one key each', () => {
    expect(splitKeys('jjd')).toEqual(['j', 'j', 'd']);
    expect(splitKeys('kk\r')).toEqual(['k', 'k', '\r']);
    expect(splitKeys('a\tb\x7f\n')).toEqual(['a', '\t', 'b', '\x7f', '\n']);
    expect(splitKeys('')).toEqual([]);
  });

  it('keeps escape sequences whole (arrows, PgDn, shift-tab) and characters outside the BMP in one piece', () => {
    expect(splitKeys('k\u001B[Aj')).toEqual(['k', '\u001B[A', 'j']);
    expect(splitKeys('\u001B[6~\u001B[Z\u001BOB')).toEqual(['\u001B[6~', '\u001B[Z', '\u001BOB']);
    expect(splitKeys('\u001B')).toEqual(['\u001B']);
    expect(splitKeys('a😀b')).toEqual(['a', '😀', 'b']);
  });

  it('names each key: \\r and \\n are enter, \\x7f is backspace, \\t is tab, printable characters type themselves', () => {
    expect(names('kk\r')).toEqual(['k', 'k', 'enter']);
    expect(names('ab\n')).toEqual(['a', 'b', 'enter']);
    expect(names('x\x7f\b')).toEqual(['x', 'backspace', 'backspace']);
    expect(names('a\tb')).toEqual(['a', 'tab', 'b']);
    expect(names('j\x03')).toEqual(['j', 'ctrl-c']);
    expect(keypresses('q/?', NONE)).toEqual([
      { name: 'q', text: 'q' },
      { name: '/', text: '/' },
      { name: '?', text: '?' },
    ]);
    // Only printable characters type text: enter and escape sequences never do.
    expect(keypresses('a\r\u001B[A', NONE).map((k) => k.text)).toEqual(['a', '', '']);
  });

  it('leaves a key Ink parsed itself as one key', () => {
    expect(names('', { upArrow: true })).toEqual(['up']);
    expect(names('\r', { return: true })).toEqual(['enter']);
    expect(names('', { tab: true, shift: true })).toEqual(['shift-tab']);
    expect(names('', { tab: true })).toEqual(['tab']);
    expect(names('c', { ctrl: true })).toEqual(['ctrl-c']);
    expect(names('G', { shift: true })).toEqual(['G']);
    expect(keypresses('', { ...NONE, escape: true, meta: true })).toEqual([{ name: 'esc', text: '' }]);
  });
});

import type { Key } from 'ink';

/** A key as the keymap names it: `up`, `pagedown`, `enter`, `esc`, `ctrl-c`, or the character typed (`j`, `G`, `/`). */
export type KeyName = string;

/** Names the key Ink reported, in the keymap's terms; undefined for keys the keymap cannot bind. */
export function keyName(input: string, key: Key): KeyName | undefined {
  if (key.ctrl && input === 'c') return 'ctrl-c';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.backspace || key.delete) return 'backspace';
  if (key.tab) return 'tab';
  if (key.ctrl || key.meta) return undefined;
  return input.length === 1 ? input : undefined;
}

const LABELS: Record<string, string> = { up: '↑', down: '↓', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End', ' ': 'space' };

/** How a key is written on screen. */
export function keyLabel(name: KeyName): string {
  return LABELS[name] ?? name;
}

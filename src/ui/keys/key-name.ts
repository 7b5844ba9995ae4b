import type { Key } from 'ink';

/** A key as the keymap names it: `up`, `pagedown`, `enter`, `esc`, `tab`, `shift-tab`, `ctrl-c`, or the character typed (`j`, `G`, `/`). */
export type KeyName = string;

/** One key read from the terminal: its name for the keymap and the text it types. */
export interface Keypress {
  /** Undefined for keys the keymap cannot bind. */
  name: KeyName | undefined;
  /** The printable character it types; '' for keys that type nothing (enter, arrows, esc, ctrl-…). */
  text: string;
}

/** Names the key Ink reported, in the keymap's terms; undefined for keys the keymap cannot bind. */
export function keyName(input: string, key: Key): KeyName | undefined {
  if (key.ctrl && input === 'c') return 'ctrl-c';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow || key.rightArrow)
    return `${key.ctrl ? 'ctrl-' : key.meta ? 'alt-' : key.shift ? 'shift-' : ''}${key.leftArrow ? 'left' : 'right'}`;
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.backspace || key.delete) return 'backspace';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.ctrl && /^[a-z]$/.test(input)) return `ctrl-${input}`;
  if (key.meta && /^[a-z]$/.test(input)) return `alt-${input}`;
  if (key.ctrl || key.meta) return undefined;
  return input.length === 1 ? input : undefined;
}

/** True for a key that types a character (a text input takes it as text): `q`, `/`, space; not `enter` or `up`. */
export function typesText(name: KeyName): boolean {
  return [...name].length === 1 && !/[\u0000-\u001F\u007F]/.test(name);
}

const LABELS: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  ' ': 'space',
  'shift-left': '⇧←',
  'shift-right': '⇧→',
  'ctrl-left': 'ctrl-←',
  'ctrl-right': 'ctrl-→',
  'alt-left': 'alt-←',
  'alt-right': 'alt-→',
};

/** How a key is written on screen. */
export function keyLabel(name: KeyName): string {
  return LABELS[name] ?? name;
}

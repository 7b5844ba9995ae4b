import type { Keypress } from './key-name.js';
import { bindingFor, CONTEXTS, type Command, type Context, type Flag } from './keymap.js';

export type Handlers = Partial<Record<Command, () => void>>;

/** What one context does with keys now: its commands, whether it reads keys at all, the flags its bindings depend on. */
export interface ContextKeys {
  handlers: Handlers;
  /** False while the context is switched off (the timeline's list while its filter input is open); true when left out. */
  isActive?: boolean | (() => boolean);
  flags?: ReadonlySet<Flag>;
  /**
   * Receives each printable key of an `input` context; it takes them even without this (a widget may type them itself).
   * A screen context's (type-ahead in a list) consumes the key only when it returns true.
   */
  onText?: (text: string) => unknown;
}

/**
 * Whether a context reads keys now. A function is asked at each key: a screen whose contexts follow its own state
 * (the form: a text field or a choice has focus) stays right for keys read before the next render.
 */
export function contextActive(keys: ContextKeys | undefined): boolean {
  const active = keys?.isActive ?? true;
  return typeof active === 'function' ? active() : active;
}

const NO_FLAGS: ReadonlySet<Flag> = new Set();

/** Runs the command the keymap binds to `key` in `context`; an input context also consumes every printable key. `beforeCommand` runs before either. */
export function handleKey(context: Context, keys: ContextKeys, key: Keypress, beforeCommand: () => void): boolean {
  const binding = key.name === undefined ? undefined : bindingFor(context, key.name, keys.flags ?? NO_FLAGS);
  const handler = binding && keys.handlers[binding.command];
  if (handler) {
    beforeCommand();
    handler();
    return true;
  }
  if (!key.text) return false;
  if (CONTEXTS[context].layer !== 'input') return keys.onText?.(key.text) === true;
  // Typing is an action too: the message about the one before goes.
  beforeCommand();
  keys.onText?.(key.text);
  return true;
}

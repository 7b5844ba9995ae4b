import type { Keypress } from './key-name.js';
import { bindingFor, CONTEXTS, type Command, type Context, type Flag } from './keymap.js';

export type Handlers = Partial<Record<Command, () => void>>;

/** What one context does with keys now: its commands, whether it reads keys at all, the flags its bindings depend on. */
export interface ContextKeys {
  handlers: Handlers;
  /** False while the context is switched off (the timeline's list while its filter input is open); true when left out. */
  isActive?: boolean;
  flags?: ReadonlySet<Flag>;
  /** Receives each printable key of an `input` context. It takes them even without this (a widget may type them itself). */
  onText?: (text: string) => void;
}

const NO_FLAGS: ReadonlySet<Flag> = new Set();

/** Runs the command the keymap binds to `key` in `context`; an input context also consumes every printable key. */
export function handleKey(context: Context, keys: ContextKeys, key: Keypress, beforeCommand: () => void): boolean {
  const binding = key.name === undefined ? undefined : bindingFor(context, key.name, keys.flags ?? NO_FLAGS);
  const handler = binding && keys.handlers[binding.command];
  if (handler) {
    beforeCommand();
    handler();
    return true;
  }
  if (CONTEXTS[context].layer !== 'input' || !key.text) return false;
  keys.onText?.(key.text);
  return true;
}

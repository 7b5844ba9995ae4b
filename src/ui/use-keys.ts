import { createContext, useCallback, useContext, useLayoutEffect, useRef } from 'react';
import { useInput, type Key } from 'ink';
import { keyName } from './key-name.js';
import { bindingFor, type Command, type Context, type Flag } from './keymap.js';

export type Handlers = Partial<Record<Command, () => void>>;

interface Options {
  isActive: boolean;
  flags?: ReadonlySet<Flag>;
  /** Receives what was typed when no binding takes it (text inputs only). */
  onText?: (text: string) => void;
}

interface Entry extends Options {
  handlers: Handlers;
  /** The component that registered it, so one leaving never removes its successor's keys. */
  owner: object;
}

/** Who reads which key: the first active context in this order that binds the key runs it. Dialogs come first. */
const PRIORITY: Context[] = ['quit', 'help', 'filter', 'timeline', 'details', 'confirm', 'run', 'global', 'app'];
const NO_FLAGS: ReadonlySet<Flag> = new Set();

/** The one owner of input: screens register their handlers while they render; one stdin listener routes each key. */
export class KeyRouter {
  readonly entries = new Map<Context, Entry>();
  beforeCommand: () => void = () => {};

  /** Routes one key through the keymap to the handler of the first active context that binds it. */
  press(input: string, key: Key): void {
    const active = PRIORITY.map((c) => [c, this.entries.get(c)] as const).filter((pair): pair is readonly [Context, Entry] =>
      Boolean(pair[1]?.isActive),
    );
    const name = keyName(input, key);
    for (const [context, entry] of active) {
      const binding = name === undefined ? undefined : bindingFor(context, name, entry.flags ?? NO_FLAGS);
      const handler = binding && entry.handlers[binding.command];
      if (handler) {
        this.beforeCommand();
        handler();
        return;
      }
    }
    const text = active[0]?.[1].onText;
    if (text && input && !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab) text(input);
  }

  /** True when the topmost active context takes typed text. */
  takesText(): boolean {
    const top = PRIORITY.map((c) => this.entries.get(c)).find((e) => e?.isActive);
    return Boolean(top?.onText);
  }
}

const RouterContext = createContext<KeyRouter | null>(null);
export const KeyRouterProvider = RouterContext.Provider;

/**
 * Registers the keys of one context (of a screen below the router, or of the app itself with `own`).
 * Written while rendering, so a key read right after a frame already sees that frame's handlers.
 */
export function useKeys(context: Context, handlers: Handlers, options: Options, own?: KeyRouter): void {
  const router = useContext(RouterContext) ?? own;
  const owner = useRef({}).current;
  router?.entries.set(context, { ...options, handlers, owner });
  // A layout effect's cleanup runs in the very commit that removes the screen: no key reaches a screen that is gone.
  useLayoutEffect(
    () => () => {
      if (router?.entries.get(context)?.owner === owner) router.entries.delete(context);
    },
    [router, context, owner],
  );
}

/** Creates the app's key router and its single stdin listener; call once, at the top, on every render. */
export function useKeyRouter(beforeCommand: () => void): KeyRouter {
  const router = useRef(new KeyRouter()).current;
  router.beforeCommand = beforeCommand;
  const onInput = useCallback(
    (input: string, key: Key) => {
      if (router.takesText() || input.length <= 1 || key.ctrl || key.meta) return router.press(input, key);
      // Keys typed faster than they are read can arrive together ("jjd"): each counts, after the screen caught up with the last.
      const [first, ...rest] = [...input];
      router.press(first, { ...key, shift: /[A-Z]/.test(first) });
      for (const ch of rest) setImmediate(() => router.press(ch, { ...key, shift: /[A-Z]/.test(ch) }));
    },
    [router],
  );
  useInput(onInput);
  return router;
}

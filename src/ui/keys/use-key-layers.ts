import { useContext, useLayoutEffect, useRef } from 'react';
import { contextActive, handleKey, type ContextKeys } from './context-keys.js';
import type { KeyRouter } from './key-router.js';
import { KeyRouterContext } from './use-key-router.js';
import type { Context } from './keymap.js';
import { liveKeys, type KeyScreen, type LiveKeys, type ScreenContextKeys } from './screen-keys.js';

/**
 * Subscribes the keys of some contexts to the router (of the screen's tree, or `own` for the app itself), the way Ink's
 * useInput subscribes to stdin: in an effect, honouring `isActive`. A layout effect runs in the commit that draws a
 * frame, so a key read right after that frame already reaches its handlers; the handlers are always the latest ones.
 */
export function useKeyLayers(contexts: Partial<Record<Context, ContextKeys>>, isActive = true, own?: KeyRouter): void {
  const router = useContext(KeyRouterContext) ?? own;
  const latest = useRef({ contexts, isActive });
  useLayoutEffect(() => {
    latest.current = { contexts, isActive };
  });
  const names = Object.keys(contexts).join(' ');
  useLayoutEffect(() => {
    if (!router || !names) return;
    const removals = (names.split(' ') as Context[]).map((context) =>
      router.add({
        context,
        isActive: () => latest.current.isActive && contextActive(latest.current.contexts[context]),
        handle: (key) => {
          const keys = latest.current.contexts[context];
          return keys !== undefined && handleKey(context, keys, key, () => router.beforeCommand());
        },
      }),
    );
    return () => {
      for (const remove of removals) remove();
    };
  }, [router, names]);
}

/** Reads the keys of the contexts a screen declares in SCREEN_KEYS (while `isActive`); returns what its status bar shows. */
export function useScreenKeys<S extends KeyScreen>(screen: S, own: ScreenContextKeys<S>, isActive = true): LiveKeys {
  useKeyLayers(own, isActive);
  return liveKeys(screen, own);
}

import { useLayoutEffect } from 'react';
import type { Handlers } from './context-keys.js';
import type { KeyRouter } from './key-router.js';
import { SCREEN_KEYS, type KeyScreen } from './screen-keys.js';
import { useKeyLayers } from './use-key-layers.js';

/**
 * The keys the app reads itself (`global`: help, quit; `app`: ctrl-c), and the router's scope: only the contexts
 * that `shown` (the screen, or the dialog over it) declares read keys.
 */
export function useAppKeys(router: KeyRouter, shown: KeyScreen, handlers: { global: Handlers; app: Handlers }): void {
  useLayoutEffect(() => {
    router.scope = new Set(SCREEN_KEYS[shown]);
  }, [router, shown]);
  useKeyLayers({ global: { handlers: handlers.global }, app: { handlers: handlers.app } }, true, router);
}

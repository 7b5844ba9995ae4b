import { liveKeys, type KeyScreen, type LiveKeys, type ScreenContextKeys } from './screen-keys.js';
import { useKeyLayers } from './use-key-layers.js';

/** Reads the keys of the contexts a screen declares in SCREEN_KEYS (while `isActive`); returns what its status bar shows. */
export function useScreenKeys<S extends KeyScreen>(screen: S, own: ScreenContextKeys<S>, isActive = true): LiveKeys {
  useKeyLayers(own, isActive);
  return liveKeys(screen, own);
}

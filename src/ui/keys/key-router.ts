import type { Keypress } from './key-name.js';
import { CONTEXTS, LAYERS, type Context } from './keymap.js';

/** One reader of keys: a context's handler while it is active. */
export interface KeyLayer {
  context: Context;
  isActive(): boolean;
  /** Handles the key; true when it consumed it, so no layer below sees it. */
  handle(key: Keypress): boolean;
}

const rank = (layer: KeyLayer) => LAYERS.indexOf(CONTEXTS[layer.context].layer);

/** The one owner of input: routes each key through the active layers, by priority, until one consumes it. */
export class KeyRouter {
  private readonly layers: KeyLayer[] = [];
  /** The contexts the screen shown now declares; a layer of any other context reads nothing. Null: every context. */
  scope: ReadonlySet<Context> | null = null;
  /** Runs before any command a key triggers and any text typed: the app clears its last message. */
  beforeCommand: () => void = () => {};

  /** Adds a layer; returns what removes it. */
  add(layer: KeyLayer): () => void {
    this.layers.push(layer);
    return () => {
      const i = this.layers.indexOf(layer);
      if (i >= 0) this.layers.splice(i, 1);
    };
  }

  /** The layers that read keys now, first reader first: by layer (dialog, input, screen, global, app), the newest first within one. */
  active(): KeyLayer[] {
    const live = this.layers.filter((l) => (!this.scope || this.scope.has(l.context)) && l.isActive());
    return live.reverse().sort((a, b) => rank(a) - rank(b));
  }

  /** Routes one key; true when a layer consumed it. */
  press(key: Keypress): boolean {
    return this.active().some((layer) => layer.handle(key));
  }
}

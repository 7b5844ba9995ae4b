import { type ContextKeys, contextActive } from './context-keys.js';
import type { Context, Flag } from './keymap.js';

/**
 * The key contexts of each screen and dialog, in the order its help lists them. The one declaration routing (only
 * these contexts read keys while it is shown), the status bar and the help overlay all read.
 */
export const SCREEN_KEYS = {
  timeline: ['timeline', 'filter', 'global', 'app'],
  details: ['details', 'global', 'app'],
  confirm: ['confirm', 'global', 'app'],
  stamp: ['stamp', 'global', 'app'],
  squash: ['squash', 'global', 'app'],
  run: ['run', 'app', 'global'],
  watch: ['watch', 'global', 'app'],
  fleet: ['fleet', 'global', 'app'],
  'fleet-confirm': ['fleet-confirm', 'global', 'app'],
  proof: ['proof', 'global', 'app'],
  form: ['form-list', 'form-menu', 'form-field', 'text-input', 'form-write', 'form-discard', 'form-preview', 'app'],
  help: ['help', 'app'],
  quit: ['quit', 'app'],
} as const satisfies Record<string, readonly Context[]>;

export type KeyScreen = keyof typeof SCREEN_KEYS;

/** The contexts whose keys the app itself handles, on every screen that declares them. */
type AppContext = 'global' | 'app';

/** The keys a screen handles itself: one entry for each context it declares, except the app's. */
export type ScreenContextKeys<S extends KeyScreen> = Record<Exclude<(typeof SCREEN_KEYS)[S][number], AppContext>, ContextKeys>;

/** What a screen's status bar shows: its declared contexts that are not switched off now, and the flags they set. */
export interface LiveKeys {
  contexts: Context[];
  flags: ReadonlySet<Flag>;
}

/** The live keys of `screen` from the keys it handles itself (those switched off are left out). */
export function liveKeys<S extends KeyScreen>(screen: S, own: ScreenContextKeys<S>): LiveKeys {
  const keys: Partial<Record<Context, ContextKeys>> = own;
  const contexts = SCREEN_KEYS[screen].filter((c) => contextActive(keys[c]));
  return { contexts, flags: new Set(contexts.flatMap((c) => [...(keys[c]?.flags ?? [])])) };
}

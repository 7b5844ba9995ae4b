import { createContext } from 'react';
import type { KeyRouter } from './key-router.js';

/** The app's key router, for the screens below it. */
export const KeyRouterContext = createContext<KeyRouter | null>(null);

import { createContext, useContext } from 'react';
import type { RevisionStatus } from '../core/index.js';

type Colour = 'green' | 'red' | 'magenta' | 'cyan' | 'blue' | 'yellow';

/** Colours from the terminal's own 16-colour palette (so light and dark themes both keep them readable); none under NO_COLOR. */
export interface Theme {
  color: boolean;
  status: Record<RevisionStatus, Colour | undefined>;
  error: Colour | undefined;
  warning: Colour | undefined;
  ok: Colour | undefined;
  accent: Colour | undefined;
}

export const GLYPH: Record<RevisionStatus | 'base', string> = {
  applied: '✓',
  pending: '○',
  missing: '?',
  modified: '!',
  broken: '✗',
  base: '◇',
};

export function makeTheme(color: boolean): Theme {
  // No yellow or white: unreadable on light backgrounds; magenta marks "look at this" on both.
  const c = <T extends Colour>(name: T) => (color ? name : undefined);
  return {
    color,
    status: { applied: c('green'), pending: undefined, missing: c('magenta'), modified: c('magenta'), broken: c('red') },
    error: c('red'),
    warning: c('magenta'),
    ok: c('green'),
    accent: c('cyan'),
  };
}

const ThemeContext = createContext<Theme>(makeTheme(true));
export const ThemeProvider = ThemeContext.Provider;

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

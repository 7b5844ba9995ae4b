import { createContext, useContext } from 'react';
import type { RevisionStatus } from '../core/index.js';

type Colour = 'green' | 'red' | 'magenta' | 'cyan' | 'blue';

/** The terminal's background, when it says (COLORFGBG) or the person does (MIGRATE_UI_BACKGROUND). */
export type Background = 'dark' | 'light';

/**
 * Colours from the terminal's own 16-colour palette; none under NO_COLOR. Every one has at least 3:1 contrast (WCAG)
 * on xterm's default palette and on Solarized, each light and dark (test/ui/palette.test.ts holds the palettes).
 */
export interface Theme {
  color: boolean;
  status: Record<RevisionStatus, Colour | undefined>;
  error: Colour | undefined;
  warning: Colour | undefined;
  ok: Colour | undefined;
  /** Titles and the highlighted choice. */
  accent: Colour | undefined;
  /** The ℹ messages. */
  info: Colour | undefined;
  /** Hints, placeholders and other quiet text (drawn italic in it, never faint: see PALETTES). */
  muted: Colour | undefined;
}

export const GLYPH: Record<RevisionStatus | 'base', string> = {
  applied: '✓',
  pending: '○',
  missing: '?',
  modified: '!',
  broken: '✗',
  base: '◇',
};

/**
 * The background from the environment: MIGRATE_UI_BACKGROUND=light|dark, else COLORFGBG ("15;0", "0;default;15": its
 * last field is the background's palette index; 7 and 9–15 are light). Undefined when neither says.
 */
export function backgroundOf(env: NodeJS.ProcessEnv): Background | undefined {
  const chosen = env.MIGRATE_UI_BACKGROUND?.trim().toLowerCase();
  if (chosen === 'light' || chosen === 'dark') return chosen;
  const index = Number(env.COLORFGBG?.split(';').at(-1));
  if (!env.COLORFGBG || !Number.isInteger(index) || index < 0 || index > 15) return undefined;
  return index === 7 || index >= 9 ? 'light' : 'dark';
}

/** What each role is drawn in: green and cyan only on a dark background, blue only on a light one (below 3:1 otherwise). */
// Quiet text keeps the terminal's own text colour on every background: faint text falls below 3:1 (1.88:1 on
// Solarized light), and no 16-colour entry is both quiet and readable everywhere (bright black is Solarized dark's
// own background). It is told apart by italics instead.
const PALETTES: Record<Background | 'either', { ok: Colour | undefined; accent: Colour | undefined; muted: Colour | undefined }> = {
  dark: { ok: 'green', accent: 'cyan', muted: undefined },
  light: { ok: 'blue', accent: 'blue', muted: undefined },
  // Only red and magenta keep 3:1 on both backgrounds (they mark errors and warnings); the rest is the terminal's own text colour.
  either: { ok: undefined, accent: undefined, muted: undefined },
};

export function makeTheme(color: boolean, background?: Background): Theme {
  const c = <T extends Colour | undefined>(name: T) => (color ? name : undefined);
  const { ok, accent, muted } = PALETTES[background ?? 'either'];
  return {
    color,
    status: { applied: c(ok), pending: undefined, missing: c('magenta'), modified: c('magenta'), broken: c('red') },
    error: c('red'),
    warning: c('magenta'),
    ok: c(ok),
    accent: c(accent),
    info: c(accent),
    muted: c(muted),
  };
}

const ThemeContext = createContext<Theme>(makeTheme(true));
export const ThemeProvider = ThemeContext.Provider;

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

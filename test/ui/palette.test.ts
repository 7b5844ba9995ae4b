import { describe, expect, it } from 'vitest';
import { backgroundOf, makeTheme, type Background, type Theme } from '../../src/ui/theme.js';

// The 16 colours of the common palettes, in ANSI order (black, red, green, yellow, blue, magenta, cyan, white).
const XTERM = ['#000000', '#cd0000', '#00cd00', '#cdcd00', '#0000ee', '#cd00cd', '#00cdcd', '#e5e5e5'];
const SOLARIZED = ['#073642', '#dc322f', '#859900', '#b58900', '#268bd2', '#d33682', '#2aa198', '#eee8d5'];
const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

interface Palette {
  name: string;
  background: Background;
  colours: string[];
  bg: string;
  fg: string;
}

const PALETTES: Palette[] = [
  { name: 'xterm default light', background: 'light', colours: XTERM, bg: '#ffffff', fg: '#000000' },
  { name: 'xterm default dark', background: 'dark', colours: XTERM, bg: '#000000', fg: '#ffffff' },
  { name: 'Solarized light', background: 'light', colours: SOLARIZED, bg: '#fdf6e3', fg: '#657b83' },
  { name: 'Solarized dark', background: 'dark', colours: SOLARIZED, bg: '#002b36', fg: '#839496' },
];

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Every colour a theme draws text in. */
function colours(theme: Theme): string[] {
  return [...Object.values(theme.status), theme.error, theme.warning, theme.ok, theme.accent, theme.info, theme.muted].filter(
    (c): c is NonNullable<typeof c> => !!c,
  );
}

describe('colours on light and dark palettes', () => {
  for (const background of [undefined, 'dark', 'light'] as const) {
    const palettes = PALETTES.filter((p) => background === undefined || p.background === background);
    it(`every colour has at least 3:1 contrast (WCAG) where the background is ${background ?? 'unknown'}`, () => {
      const used = colours(makeTheme(true, background));
      expect(used.length).toBeGreaterThan(0);
      for (const palette of palettes) {
        expect(contrast(palette.fg, palette.bg), `${palette.name}: its own text`).toBeGreaterThanOrEqual(3);
        for (const colour of used) {
          const ratio = contrast(palette.colours[NAMES.indexOf(colour)], palette.bg);
          expect(ratio, `${colour} on ${palette.name}`).toBeGreaterThanOrEqual(3);
        }
      }
    });
  }

  it('reads the background from MIGRATE_UI_BACKGROUND, then COLORFGBG', () => {
    expect(backgroundOf({})).toBeUndefined();
    expect(backgroundOf({ COLORFGBG: '15;0' })).toBe('dark');
    expect(backgroundOf({ COLORFGBG: '0;15' })).toBe('light');
    expect(backgroundOf({ COLORFGBG: '0;default;7' })).toBe('light');
    expect(backgroundOf({ COLORFGBG: '12;8' })).toBe('dark');
    expect(backgroundOf({ COLORFGBG: '0;default' })).toBeUndefined();
    expect(backgroundOf({ COLORFGBG: '15;0', MIGRATE_UI_BACKGROUND: 'light' })).toBe('light');
    expect(backgroundOf({ MIGRATE_UI_BACKGROUND: 'Dark' })).toBe('dark');
  });

  it('keeps green and cyan for dark backgrounds, blue for light ones, neither when the background is unknown', () => {
    expect(makeTheme(true, 'dark').status.applied).toBe('green');
    expect(makeTheme(true, 'light').status.applied).toBe('blue');
    expect(makeTheme(true).status.applied).toBeUndefined();
    expect(colours(makeTheme(false, 'dark'))).toEqual([]);
  });
});

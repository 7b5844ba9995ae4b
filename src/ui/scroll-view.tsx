import { type ReactNode, useCallback, useState } from 'react';
import { Box, Text } from 'ink';
import type { Command } from './keys/keymap.js';
import { useTheme } from './theme.js';

/** One terminal row of text with its style; producers wrap long text into several lines first. */
export interface Line {
  text: string;
  color?: string;
  bold?: boolean;
  /** Secondary text: the palette's muted colour in italics, as <Muted> draws it (faint text falls below 3:1 on Solarized). */
  dim?: boolean;
}

/** The first line shown when scrolled to `offset`, kept inside the text. */
export function clampOffset(offset: number, total: number, height: number): number {
  return Math.max(0, Math.min(offset, total - height));
}

/** Scroll position of a text pane, moved by the keymap's movement commands. */
export function useScroll(initial = 0) {
  const [offset, setOffset] = useState(initial);
  const scroll = useCallback((command: Command, total: number, height: number) => {
    setOffset((o) => {
      const at = clampOffset(o, total, height);
      const by: Partial<Record<Command, number>> = { up: -1, down: 1, 'page-up': -height, 'page-down': height, first: -total, last: total };
      return clampOffset(at + (by[command] ?? 0), total, height);
    });
  }, []);
  return { offset, scroll, reset: useCallback(() => setOffset(0), []) };
}

const SCROLL_COMMANDS = ['up', 'down', 'page-up', 'page-down', 'first', 'last'] as const;

/** Key handlers that scroll a pane of `total` lines shown `height` at a time, for useKeys. */
export function scrollHandlers(
  scroll: (command: Command, total: number, height: number) => void,
  total: number,
  height: number,
): Record<(typeof SCROLL_COMMANDS)[number], () => void> {
  return Object.fromEntries(SCROLL_COMMANDS.map((command) => [command, () => scroll(command, total, height)])) as Record<
    (typeof SCROLL_COMMANDS)[number],
    () => void
  >;
}

/** A window of `height` lines from `lines`; the last row says how much more there is below. */
export function ScrollView({ lines, offset, height, keys = '↓ j PgDn' }: { lines: Line[]; offset: number; height: number; keys?: string }) {
  const start = clampOffset(offset, lines.length, height);
  const more = lines.length - start - height;
  const shown = more > 0 ? lines.slice(start, start + height - 1) : lines.slice(start, start + height);
  const theme = useTheme();
  return (
    <Box flexDirection="column" height={height}>
      {shown.map((line, i) => (
        <Text key={start + i} color={line.color ?? (line.dim ? theme.muted : undefined)} italic={line.dim} bold={line.bold} wrap="truncate-end">
          {line.text || ' '}
        </Text>
      ))}
      {more > 0 ? <Text>{`  ↓ ${more + 1} more lines (${keys})`}</Text> : null}
    </Box>
  );
}

/**
 * A confirmation's body: its title lines (bold, each cut to one row), the scrolling lines under them, and what
 * `children` put below (the question).
 */
export function TitledScrollView({
  title,
  lines,
  offset,
  height,
  children,
}: {
  title: string[];
  lines: Line[];
  offset: number;
  height: number;
  children?: ReactNode;
}) {
  return (
    <Box flexDirection="column">
      {title.map((t, i) => (
        <Text key={i} bold wrap="truncate-end">
          {t}
        </Text>
      ))}
      <ScrollView lines={lines} offset={offset} height={height} />
      {children}
    </Box>
  );
}

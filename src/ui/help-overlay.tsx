import { Box, Text } from 'ink';
import { wrap } from './format.js';
import { helpEntries, type Context } from './keymap.js';
import { ScreenFrame, useBodyHeight } from './screen-frame.js';
import { ScrollView, scrollHandlers, useScroll, type Line } from './scroll-view.js';
import { GLYPH, useTheme } from './theme.js';
import { useKeys } from './use-keys.js';

const TITLES: Partial<Record<Context, string>> = {
  timeline: 'Timeline',
  filter: 'While typing a filter',
  details: 'Details',
  confirm: 'Confirmation',
  run: 'Run',
  global: 'Anywhere',
  app: 'Always',
};

interface Props {
  /** The contexts of the screen under the overlay, in the order to list them. */
  contexts: Context[];
  height: number;
  width: number;
  onClose: () => void;
  onQuit: () => void;
}

/** Every key of the screen below, generated from the keymap (so it always says what the keys do). */
export function HelpOverlay({ contexts, height, width, onClose, onQuit }: Props) {
  const theme = useTheme();
  const { offset, scroll } = useScroll();
  const lines: Line[] = [];
  for (const context of contexts) {
    lines.push({ text: TITLES[context] ?? context, bold: true, color: theme.accent });
    for (const e of helpEntries([context])) {
      for (const [i, text] of wrap(e.help, width - 16).entries()) lines.push({ text: `  ${(i === 0 ? e.keys : '').padEnd(14)}${text}` });
    }
  }
  if (contexts.includes('timeline')) {
    lines.push({ text: 'States', bold: true, color: theme.accent });
    lines.push({ text: `  ${GLYPH.applied} applied  ${GLYPH.pending} pending  ${GLYPH.modified} modified (edited after it was applied)` });
    lines.push({ text: `  ${GLYPH.missing} missing (applied, file gone)  ${GLYPH.broken} broken (the file cannot load)` });
  }
  const body = useBodyHeight(height) - 1;
  useKeys('help', { ...scrollHandlers(scroll, lines.length, body), close: onClose, quit: onQuit }, { isActive: true });
  return (
    <ScreenFrame height={height} contexts={['help']}>
      {() => (
        <Box flexDirection="column">
          <Text bold inverse wrap="truncate-end">
            {' Keys — esc or ? closes '.padEnd(width)}
          </Text>
          <ScrollView lines={lines} offset={offset} height={body} />
        </Box>
      )}
    </ScreenFrame>
  );
}

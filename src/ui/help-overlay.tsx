import { Box, Text } from 'ink';
import { wrap } from './format.js';
import { CONTEXTS, helpEntries, type Context } from './keys/keymap.js';
import { ScreenFrame, useBodyHeight } from './screen-frame.js';
import { SCREEN_KEYS, type KeyScreen } from './keys/screen-keys.js';
import { ScrollView, scrollHandlers, useScroll, type Line } from './scroll-view.js';
import { GLYPH, useTheme } from './theme.js';
import { useScreenKeys } from './keys/use-key-layers.js';

interface Props {
  /** The screen under the overlay: its declared contexts are listed, in their order. */
  screen: KeyScreen;
  height: number;
  width: number;
  onClose: () => void;
}

/** Every key of the screen below, generated from the keymap (so it always says what the keys do). */
export function HelpOverlay({ screen, height, width, onClose }: Props) {
  const theme = useTheme();
  const { offset, scroll } = useScroll();
  const contexts: readonly Context[] = SCREEN_KEYS[screen];
  const lines: Line[] = [];
  for (const context of contexts) {
    lines.push({ text: CONTEXTS[context].title, bold: true, color: theme.accent });
    for (const e of helpEntries([context])) {
      for (const [i, text] of wrap(e.help, width - 16).entries()) lines.push({ text: `  ${(i === 0 ? e.keys : '').padEnd(14)}${text}` });
    }
  }
  if (contexts.includes('timeline')) {
    lines.push({ text: 'States', bold: true, color: theme.accent });
    lines.push({ text: `  ${GLYPH.applied} applied  ${GLYPH.pending} pending  ${GLYPH.modified} modified (edited after it was applied)` });
    lines.push({ text: `  ${GLYPH.missing} missing (applied, file gone)  ${GLYPH.broken} broken (the file cannot load)` });
  }
  if (contexts.includes('fleet')) {
    lines.push({ text: 'Targets', bold: true, color: theme.accent });
    lines.push({ text: "  ✓ at head  ○ pending (how many)  ▸ running (here or by another process, with its data migration's bar)" });
    lines.push({ text: '  ✗ failed (its revision and the error)  ? unreadable (why)  · waiting its turn in fleet up' });
  }
  const body = useBodyHeight(height) - 1;
  const keys = useScreenKeys('help', { help: { handlers: { ...scrollHandlers(scroll, lines.length, body), close: onClose } } });
  return (
    <ScreenFrame height={height} keys={keys}>
      {() => (
        <Box flexDirection="column">
          <Text bold inverse wrap="truncate-end">
            {' Keys — esc, ? or q closes '.padEnd(width)}
          </Text>
          <ScrollView lines={lines} offset={offset} height={body} />
        </Box>
      )}
    </ScreenFrame>
  );
}

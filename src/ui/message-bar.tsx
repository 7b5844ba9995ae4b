import { Box, Text } from 'ink';
import { truncate, wrap } from './format.js';
import { useTheme } from './theme.js';

/** A message for the person at the keyboard. */
export interface Notice {
  kind: 'info' | 'warning' | 'error';
  text: string;
}

const MARK: Record<Notice['kind'], string> = { info: 'ℹ', warning: '⚠', error: '✗' };

/** At most this many rows: a longer message keeps its start, cut at the end of the last row. */
const MOST = 3;

/** The rows a message takes at `width` columns, wrapped at spaces (the continuation indented under the text). */
export function noticeLines(notice: Notice | null, width: number): string[] {
  if (!notice) return [];
  const rows = wrap(notice.text, Math.max(1, width - 2));
  const shown = rows.slice(0, MOST).map((row, i) => `${i === 0 ? MARK[notice.kind] : ' '} ${row}`);
  if (rows.length > MOST) shown[MOST - 1] = `${truncate(shown[MOST - 1], width - 1)}…`;
  return shown;
}

/** The rows under the screen: errors, warnings and answers to the last key, wrapped; nothing when all is well. */
export function MessageBar({ notice, width }: { notice: Notice | null; width: number }) {
  const theme = useTheme();
  if (!notice) return null;
  const colour = notice.kind === 'error' ? theme.error : notice.kind === 'warning' ? theme.warning : theme.info;
  return (
    <Box flexDirection="column">
      {noticeLines(notice, width).map((row, i) => (
        <Text key={i} color={colour} wrap="truncate-end">
          {row}
        </Text>
      ))}
    </Box>
  );
}

import { Text } from 'ink';
import { useTheme } from './theme.js';

/** A one-line message for the person at the keyboard. */
export interface Notice {
  kind: 'info' | 'warning' | 'error';
  text: string;
}

const MARK: Record<Notice['kind'], string> = { info: 'ℹ', warning: '⚠', error: '✗' };

/** One row under the screen: errors, warnings and answers to the last key; nothing when all is well. */
export function MessageBar({ notice }: { notice: Notice | null }) {
  const theme = useTheme();
  if (!notice) return null;
  const colour = notice.kind === 'error' ? theme.error : notice.kind === 'warning' ? theme.warning : theme.accent;
  return (
    <Text color={colour} wrap="truncate-end">
      {`${MARK[notice.kind]} ${notice.text}`}
    </Text>
  );
}

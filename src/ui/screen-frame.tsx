import { createContext, useContext, type ReactNode } from 'react';
import { Box } from 'ink';
import { MessageBar, type Notice } from './message-bar.js';
import type { LiveKeys } from './keys/screen-keys.js';
import { StatusBar } from './status-bar.js';

/** The message the app shows under the screen now, if any. */
export const NoticeContext = createContext<Notice | null>(null);

interface Props {
  height: number;
  /** The screen's live keys (from useScreenKeys), for the status bar. */
  keys: LiveKeys;
  /** Renders the body into the rows left after the message and status bars. */
  children: (bodyHeight: number) => ReactNode;
}

/** Rows left for a screen's body under the message and status bars. */
export function bodyHeightOf(height: number, notice: Notice | null): number {
  return Math.max(1, height - 1 - (notice ? 1 : 0));
}

/** The body height of a screen of `height` rows, with the notice shown now. */
export function useBodyHeight(height: number): number {
  return bodyHeightOf(height, useContext(NoticeContext));
}

/** A screen's frame: its body, then the message bar, then the status bar; never taller than `height`. */
export function ScreenFrame({ height, keys, children }: Props) {
  const notice = useContext(NoticeContext);
  const bodyHeight = bodyHeightOf(height, notice);
  return (
    <Box flexDirection="column" height={height}>
      <Box flexDirection="column" height={bodyHeight}>
        {children(bodyHeight)}
      </Box>
      <MessageBar notice={notice} />
      <StatusBar contexts={keys.contexts} flags={keys.flags} />
    </Box>
  );
}

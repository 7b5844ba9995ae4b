import { createContext, useContext, type ReactNode } from 'react';
import { Box } from 'ink';
import { MessageBar, noticeLines, type Notice } from './message-bar.js';
import type { LiveKeys } from './keys/screen-keys.js';
import { StatusBar } from './status-bar.js';

/** What every screen's frame shares: the message the app shows now, if any, and the terminal's width. */
export interface FrameInfo {
  notice: Notice | null;
  width: number;
}

export const FrameContext = createContext<FrameInfo>({ notice: null, width: 80 });

interface Props {
  height: number;
  /** The screen's live keys (from useScreenKeys), for the status bar. */
  keys: LiveKeys;
  /** Renders the body into the rows left after the message and status bars. */
  children: (bodyHeight: number) => ReactNode;
}

/** Rows left for a screen's body under the message (wrapped to `width`) and the status bar. */
export function bodyHeightOf(height: number, notice: Notice | null, width: number): number {
  return Math.max(1, height - 1 - noticeLines(notice, width).length);
}

/** The body height of a screen of `height` rows, with the notice shown now. */
export function useBodyHeight(height: number): number {
  const { notice, width } = useContext(FrameContext);
  return bodyHeightOf(height, notice, width);
}

/** A screen's frame: its body, then the message bar, then the status bar; never taller than `height`. */
export function ScreenFrame({ height, keys, children }: Props) {
  const { notice, width } = useContext(FrameContext);
  const bodyHeight = bodyHeightOf(height, notice, width);
  return (
    <Box flexDirection="column" height={height}>
      <Box flexDirection="column" height={bodyHeight}>
        {children(bodyHeight)}
      </Box>
      <MessageBar notice={notice} width={width} />
      <StatusBar contexts={keys.contexts} flags={keys.flags} width={width} />
    </Box>
  );
}

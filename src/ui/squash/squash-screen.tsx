import { Text } from 'ink';
import type { Squash, SquashPlan } from '../../authoring/squash.js';
import type { Project } from '../../core/index.js';
import { wrap } from '../format.js';
import type { Flag } from '../keys/keymap.js';
import { useScreenKeys } from '../keys/use-key-layers.js';
import { ScreenFrame, useBodyHeight } from '../screen-frame.js';
import { scrollHandlers, TitledScrollView, useScroll } from '../scroll-view.js';
import { useTheme } from '../theme.js';
import { squashLines, squashPrompt, squashTitle } from './squash-lines.js';
import { squashFinished } from './squash-state.js';
import { useSquash } from './use-squash.js';

interface Props {
  project: Project;
  plan: SquashPlan;
  cwd: string;
  width: number;
  height: number;
  isActive: boolean;
  /** Called once the squash is written and proven (the timeline reads the files again). */
  onWritten: (squash: Squash) => void;
  /** Called with the write as it starts: it ends proven, refused or failed (never rejects). */
  onWriting?: (done: Promise<unknown>) => void;
  onCancel: () => void;
  onBack: () => void;
}

/**
 * `S`: the squash of a range as `migrate-ui squash` drafts it (the file shown, nothing written); y writes and proves
 * it, n, esc and enter cancel. Then the result: proven, or refused with the schema differences (and no file).
 */
export function SquashScreen({ project, plan, cwd, width, height, isActive, onWritten, onWriting, onCancel, onBack }: Props) {
  const theme = useTheme();
  const { state, write } = useSquash(project, plan, cwd);
  const { offset, scroll, reset } = useScroll();
  const title = wrap(squashTitle(plan), width).slice(0, 2);
  const lines = squashLines(plan, state, theme, cwd);
  const scrollHeight = Math.max(1, useBodyHeight(height) - title.length - 1);
  const finished = squashFinished(state);
  const flags = new Set<Flag>(finished ? ['finished'] : state.phase === 'asking' ? ['ready'] : []);
  const confirm = () => {
    reset();
    const done = write()?.then((squash) => squash && onWritten(squash));
    if (done) onWriting?.(done);
  };
  const keys = useScreenKeys(
    'squash',
    {
      squash: {
        handlers: { ...scrollHandlers(scroll, lines.length, scrollHeight), confirm, cancel: finished ? onBack : onCancel, back: onBack },
        flags,
      },
    },
    isActive && state.phase !== 'writing',
  );
  return (
    <ScreenFrame height={height} keys={keys}>
      {() => (
        <TitledScrollView title={title} lines={lines} offset={offset} height={scrollHeight}>
          <Text bold wrap="truncate-end">
            {squashPrompt(state)}
          </Text>
        </TitledScrollView>
      )}
    </ScreenFrame>
  );
}

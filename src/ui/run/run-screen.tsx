import { Box, Text } from 'ink';
import type { DataControl, Timeline } from '../../core/index.js';
import { controllable, type DataMigrationView } from '../data/data-view.js';
import type { Flag } from '../keys/keymap.js';
import { ScreenFrame, useBodyHeight } from '../screen-frame.js';
import { ScrollView, scrollHandlers, useScroll } from '../scroll-view.js';
import { useTheme } from '../theme.js';
import { windowStart } from '../timeline/list-state.js';
import type { Row } from '../timeline/rows.js';
import { TimelineList } from '../timeline/timeline-list.js';
import { useScreenKeys } from '../keys/use-key-layers.js';
import { runLines, runTitle, spinnerAt } from './run-lines.js';
import { isRunning, type RunState } from './run-state.js';

interface Props {
  run: RunState;
  /** The bars of the run's data migrations. */
  data: DataMigrationView[];
  /** The run's clock beat, which turns the spinner. */
  frame: number;
  timeline: Timeline | null;
  rows: Row[];
  selected: string | null;
  width: number;
  height: number;
  now: number;
  isActive: boolean;
  onBack: () => void;
  /** `p` and `c`: pause, resume or cancel the run's data migration (after its current batch). */
  onControl: (action: DataControl) => void;
}

/** The run: the timeline (its states change as each revision finishes) above one line per revision of the run. */
export function RunScreen({ run, data, frame, timeline, rows, selected, width, height, now, isActive, onBack, onControl }: Props) {
  const theme = useTheme();
  const running = isRunning(run);
  const spinner = spinnerAt(frame);
  const { offset, scroll } = useScroll(Number.MAX_SAFE_INTEGER);
  const { lines, focus: focusLine } = runLines(run, width, spinner, theme, data);
  const body = useBodyHeight(height);
  // The run's lines get what they need (up to 60% of the body); the timeline above gets the rest.
  const panel = Math.min(lines.length, Math.max(4, Math.floor(body * 0.6)));
  const listHeight = body - panel - 2 >= 3 ? body - panel - 2 : 0;
  const live = running ? data.find(controllable) : undefined;
  const flags = new Set<Flag>(running ? ['running'] : ['finished']);
  if (live) flags.add('data');
  if (live?.status === 'paused') flags.add('paused');
  const control = { pause: () => onControl('pause'), resume: () => onControl('resume'), 'cancel-data': () => onControl('cancel') };
  const handlers = { ...scrollHandlers(scroll, lines.length, panel), back: onBack, ...control };
  const keys = useScreenKeys('run', { run: { handlers, flags } }, isActive);
  const rowKeys = rows.map((r) => r.key);
  const focus = run.lines.find((l) => l.state === 'running')?.name ?? selected;
  const focusIndex = Math.max(0, focus ? rowKeys.indexOf(focus) : 0);
  const selectedIndex = selected ? rowKeys.indexOf(selected) : -1;
  const start = windowStart(focusIndex - Math.floor(listHeight / 2), focusIndex, listHeight, rows.length);
  // While running, follow the revision in progress (its bars included); afterwards the person scrolls.
  const panelOffset = running ? (focusLine >= 0 ? focusLine - panel + 2 : lines.length) : offset;
  return (
    <ScreenFrame height={height} keys={keys}>
      {() => (
        <Box flexDirection="column">
          {listHeight > 0 ? (
            <TimelineList
              rows={rows}
              selected={selectedIndex}
              start={start}
              height={listHeight}
              width={width}
              current={timeline?.current ?? null}
              now={now}
              empty=""
            />
          ) : null}
          {listHeight > 0 ? <Text>{'─'.repeat(width)}</Text> : null}
          <Text bold wrap="truncate-end">
            {runTitle(run, width).text}
          </Text>
          <ScrollView lines={lines} offset={panelOffset} height={listHeight > 0 ? panel : Math.max(1, body - 1)} />
        </Box>
      )}
    </ScreenFrame>
  );
}

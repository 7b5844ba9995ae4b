import type { Dispatch } from 'react';
import { Box, Text } from 'ink';
import type { Timeline } from '../../core/index.js';
import { columns, fit, truncateMiddle, wrap } from '../format.js';
import type { Flag } from '../keys/keymap.js';
import { ScreenFrame, useBodyHeight } from '../screen-frame.js';
import { useScreenKeys } from '../keys/use-key-layers.js';
import { selectedIndex, shownStart, type ListAction, type ListState, type ListView } from './list-state.js';
import { BASE, visibleRows, type Row } from './rows.js';
import { TimelineList } from './timeline-list.js';
import { BASE_LABEL } from './revision-label.js';

interface Props {
  timeline: Timeline | null;
  rows: Row[];
  list: ListState;
  /** The list state after the keys read so far (ahead of `list` until the next render). */
  latest: { current: ListState };
  dispatch: Dispatch<ListAction>;
  width: number;
  height: number;
  now: number;
  isActive: boolean;
  onDetails: (key: string) => void;
  onMove: (direction: 'up' | 'down', key: string) => void;
  onRefresh: () => void;
  onNew: () => void;
  onWatch: () => void;
  /** F: the fleet screen (only where there is a fleet file). */
  onFleet?: () => void;
  /** esc on a fleet target's timeline: back to the fleet screen. */
  onLeave?: () => void;
  onReopen: (key: string) => void;
  /** v, space, =: verify the selected revision, mark it, diff the marked one against it. */
  onVerify?: (key: string) => void;
  onMark?: (key: string) => void;
  onDiff?: (key: string) => void;
  /** s: stamp up to the selected revision, or forget the records after an applied one. */
  onStamp?: (key: string) => void;
  /** S: squash the range from the marked revision to the selected one. */
  onSquash?: (key: string) => void;
  /** True while a revision is marked (space): S squashes up to the selected one. */
  marked?: boolean;
  /** A word after a revision's name, by name (marked, not proven). */
  marks?: ReadonlyMap<string, string>;
}

/** How many list rows fit into a body of `bodyHeight` (a rule line above, the selected name's rows below, the filter input while typing). */
export function listHeight(bodyHeight: number, editing: boolean, nameRows = 1): number {
  return Math.max(1, bodyHeight - 1 - nameRows - (editing ? 1 : 0));
}

/** The selected revision's whole name, which its row may show only in part: one row, or two for a name longer than the terminal is wide. */
export function selectedNameLines(row: Row | undefined, width: number): string[] {
  if (!row) return [''];
  const name = row.revision?.name ?? BASE_LABEL;
  const labelled = `selected ${name}`;
  if (columns(labelled) <= width) return [labelled];
  const [first, ...rest] = wrap(name, width);
  return rest.length === 0 ? [first] : [first, truncateMiddle(rest.join(''), width)];
}

/** The timeline: the windowed list of revisions with its filter; the keys of the `timeline` and `filter` contexts. */
export function TimelineScreen(props: Props) {
  const { rows, list, dispatch, width, height } = props;
  const rowKeys = rows.map((r) => r.key);
  const initial = props.timeline?.current ?? BASE;
  const index = selectedIndex(list, { keys: rowKeys, initial });
  const nameLines = selectedNameLines(rows[index], width);
  const h = listHeight(useBodyHeight(height), list.editing, nameLines.length);
  const view: ListView = { keys: rowKeys, initial, height: h };
  const selected = () => view.keys[selectedIndex(props.latest.current, view)];
  const move = (by: number) => dispatch({ type: 'move', by, view });
  const jump = (to: 'first' | 'last') => dispatch({ type: 'jump', to, view });
  const navigation = { up: () => move(-1), down: () => move(1), 'page-up': () => move(-h), 'page-down': () => move(h) };
  const flags = new Set<Flag>([
    ...(list.filter ? (['filtered'] as const) : []),
    ...(props.marked ? (['marked'] as const) : []),
    ...(props.onFleet ? (['fleet'] as const) : []),
    ...(props.onLeave ? (['target'] as const) : []),
  ]);
  const setFilter = (text: string) => dispatch({ type: 'filter-text', text, keys: visibleRows(props.timeline, text).map((r) => r.key) });
  const keys = useScreenKeys(
    'timeline',
    {
      timeline: {
        handlers: {
          ...navigation,
          first: () => jump('first'),
          last: () => jump('last'),
          details: () => selected() !== undefined && props.onDetails(selected()),
          upgrade: () => selected() !== undefined && props.onMove('up', selected()),
          downgrade: () => selected() !== undefined && props.onMove('down', selected()),
          filter: () => dispatch({ type: 'filter-open' }),
          'clear-filter': () => dispatch({ type: 'filter-clear' }),
          refresh: props.onRefresh,
          'new-revision': props.onNew,
          watch: props.onWatch,
          fleet: () => props.onFleet?.(),
          back: () => props.onLeave?.(),
          reopen: () => selected() !== undefined && props.onReopen(selected()),
          verify: () => selected() !== undefined && props.onVerify?.(selected()),
          mark: () => selected() !== undefined && props.onMark?.(selected()),
          diff: () => selected() !== undefined && props.onDiff?.(selected()),
          stamp: () => selected() !== undefined && props.onStamp?.(selected()),
          squash: () => selected() !== undefined && props.onSquash?.(selected()),
        },
        isActive: !list.editing,
        flags,
      },
      // The filter input: while it has focus it takes every printable key as text (q, j, ? and / are typed).
      filter: {
        handlers: {
          ...navigation,
          'keep-filter': () => dispatch({ type: 'filter-keep' }),
          'clear-filter': () => dispatch({ type: 'filter-clear' }),
          erase: () => setFilter(props.latest.current.filter.slice(0, -1)),
        },
        isActive: list.editing,
        onText: (text) => setFilter(props.latest.current.filter + text),
      },
    },
    props.isActive,
  );
  return (
    <ScreenFrame height={height} keys={keys}>
      {() => {
        const start = shownStart(list, view);
        return (
          <Box flexDirection="column">
            <Rule width={width} start={start} shown={Math.min(h, rows.length)} total={rows.length} filter={list.editing ? '' : list.filter} />
            <TimelineList
              rows={rows}
              selected={index}
              start={start}
              height={h}
              width={width}
              current={props.timeline?.current ?? null}
              now={props.now}
              marks={props.marks}
              empty={props.timeline ? (list.filter ? `no revision matches "${list.filter}"` : 'no revisions yet') : 'reading the timeline…'}
            />
            {nameLines.map((line) => (
              <Text key={line}>{line || ' '}</Text>
            ))}
            {list.editing ? <Text wrap="truncate-end">{`/ ${list.filter}█`}</Text> : null}
          </Box>
        );
      }}
    </ScreenFrame>
  );
}

function Rule({ width, start, shown, total, filter }: { width: number; start: number; shown: number; total: number; filter: string }) {
  const position = total > shown ? ` ${start + 1}–${start + shown} of ${total} ` : ` ${total} ${total === 1 ? 'row' : 'rows'} `;
  const label = `──${position}${filter ? `· filter "${filter}" (esc clears) ` : ''}`;
  return <Text>{fit(label + '─'.repeat(Math.max(0, width - label.length)), width)}</Text>;
}

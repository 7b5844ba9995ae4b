import { memo } from 'react';
import { Box, Text } from 'ink';
import type { Revision } from '../../core/index.js';
import { fit, relativeTime, truncate } from '../format.js';
import { GLYPH, useTheme } from '../theme.js';
import type { Row } from './rows.js';

interface Props {
  rows: Row[];
  selected: number;
  start: number;
  height: number;
  width: number;
  current: string | null;
  now: number;
  /** Shown when there are no rows at all. */
  empty: string;
  /** A word after a revision's name, by name: marked with space, not proven by verify. */
  marks?: ReadonlyMap<string, string>;
}

/**
 * The windowed list: only `height` rows are ever rendered, whatever the length of the timeline. Memoized: the run
 * view redraws its bars and spinner several times a second under an unchanged list.
 */
export const TimelineList = memo(function TimelineList({ rows, selected, start, height, width, current, now, empty, marks }: Props) {
  if (rows.length === 0) {
    return (
      <Box height={height}>
        <Text dimColor>{empty}</Text>
      </Box>
    );
  }
  const window = rows.slice(start, start + height);
  return (
    <Box flexDirection="column" height={height}>
      {window.map((row, i) => (
        <RevisionRow
          // By place in the window: a page or a jump gives the same rows new revisions instead of unmounting them all.
          key={i}
          revision={row.revision}
          selected={start + i === selected}
          current={row.revision ? row.key === current : current === null}
          width={width}
          when={row.revision ? relativeTime(row.revision.appliedAt, now) : ''}
          mark={marks?.get(row.key)}
        />
      ))}
    </Box>
  );
});

interface RowProps {
  revision: Revision | null;
  selected: boolean;
  current: boolean;
  width: number;
  when: string;
  mark?: string;
}

/**
 * One line: selection mark, state glyph and word, name, when applied, kind. Exactly one terminal row. Ink measures
 * every line of every frame, and a line with one character outside ASCII the slow way (grapheme by grapheme, about
 * fifty times the time): the mark, the glyph and the current tag are lines of their own, the long rest plain ASCII.
 */
const RevisionRow = memo(function RevisionRow({ revision, selected, current, width, when, mark }: RowProps) {
  const theme = useTheme();
  const wide = width >= 70;
  const stateWidth = wide ? 9 : 0;
  const tail = width >= 60 ? 19 : 0;
  const nameWidth = Math.max(8, width - 4 - stateWidth - tail);
  const status = revision?.status ?? 'base';
  const tag = `${current ? ' ◀ current' : ''}${mark ? ` ${mark}` : ''}`;
  const name = truncate(revision ? revision.name : 'base — the empty database', nameWidth - tag.length);
  const colour = revision ? theme.status[revision.status] : undefined;
  return (
    <Box>
      <Text inverse={selected}>{selected ? '› ' : '  '}</Text>
      <Text inverse={selected} color={colour}>{`${GLYPH[status]} `}</Text>
      <Text inverse={selected} wrap="truncate-end">
        {wide ? <Text color={colour}>{fit(status, stateWidth)}</Text> : null}
        <Text bold={current}>{name}</Text>
      </Text>
      <Text inverse={selected} wrap="truncate-end">
        <Text bold={current}>{fit(tag, nameWidth - name.length)}</Text>
        {tail ? <Text dimColor={!selected}>{` ${fit(when, 11)} ${fit(revision?.kind ?? '', 6)}`}</Text> : null}
      </Text>
    </Box>
  );
});

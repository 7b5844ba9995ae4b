import { memo, useMemo } from 'react';
import { Box, Text } from 'ink';
import type { DataMigrationProgress, Revision } from '../../core/index.js';
import { checkpointText } from '../data/checkpoint-text.js';
import { columns, fit, relativeTime, truncate, truncateMiddle } from '../format.js';
import { GLYPH, useTheme } from '../theme.js';
import type { Row } from './rows.js';
import { BASE_LABEL, CURRENT_TAG, longestLabel, revisionLabel, rowLayout, type RowLayout } from './revision-label.js';

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
  const longest = useMemo(() => longestLabel(rows, current), [rows, current]);
  const layout = useMemo(() => rowLayout(width, longest), [width, longest]);
  if (rows.length === 0) {
    return (
      <Box height={height}>
        <Text>{empty}</Text>
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
          checkpoint={row.checkpoint}
          selected={start + i === selected}
          current={row.revision ? row.key === current : current === null}
          layout={layout}
          when={row.revision ? relativeTime(row.revision.appliedAt, now) : ''}
          mark={marks?.get(row.key)}
        />
      ))}
    </Box>
  );
});

interface RowProps {
  revision: Revision | null;
  checkpoint?: DataMigrationProgress;
  selected: boolean;
  current: boolean;
  layout: RowLayout;
  when: string;
  mark?: string;
}

/** A revision a squash replaces says so (short: the name column is as wide as the longest name); a squash whose range is half applied waits. */
function squashNote(revision: Revision | null | undefined): string {
  if (revision?.replacedBy) return ' · replaced';
  return revision?.partial ? ' · waits' : '';
}

/**
 * One line: selection mark, state glyph and word, slug, date, when applied, kind. Exactly one terminal row. Ink measures
 * every line of every frame, and a line with one character outside ASCII the slow way (grapheme by grapheme, about
 * fifty times the time): the mark, the glyph and the current tag are lines of their own, the long rest plain ASCII.
 */
const RevisionRow = memo(function RevisionRow({ revision, checkpoint, selected, current, layout, when, mark }: RowProps) {
  const theme = useTheme();
  const status = revision?.status ?? 'base';
  // A checkpoint in full where the name keeps 24 columns, else short ("· cancelled at 27%"); a pending revision from a
  // merged branch (below the newest applied) says so.
  const full = checkpoint ? ` · ${checkpointText(checkpoint)}` : '';
  const note = checkpoint
    ? layout.name - full.length >= 24
      ? full
      : ` · ${checkpointText(checkpoint, true)}`
    : revision?.outOfOrder
      ? ' · merged branch'
      : squashNote(revision);
  const tag = `${current ? CURRENT_TAG : note}${mark ? ` ${mark}` : ''}`;
  const label = revision ? revisionLabel(revision.name) : { slug: BASE_LABEL, date: '' };
  const name = revision ? truncateMiddle(label.slug, layout.name - tag.length) : truncate(BASE_LABEL, layout.name - tag.length);
  const colour = revision ? theme.status[revision.status] : undefined;
  const date = layout.date ? ` ${fit(label.date, 10)}${' '.repeat(layout.date - 11)}` : '';
  return (
    <Box>
      <Text inverse={selected}>{selected ? '› ' : '  '}</Text>
      <Text inverse={selected} color={colour}>{`${GLYPH[status]} `}</Text>
      <Text inverse={selected} wrap="truncate-end">
        {layout.state ? <Text color={colour}>{fit(status, layout.state)}</Text> : null}
        <Text bold={current}>{name}</Text>
      </Text>
      <Text inverse={selected} wrap="truncate-end">
        <Text bold={current}>{fit(tag, layout.name - columns(name))}</Text>
        {`${date}${layout.tail ? ` ${fit(when, 11)} ${fit(revision?.kind ?? '', 6)}` : ''}${' '.repeat(layout.pad)}`}
      </Text>
    </Box>
  );
});

import { relative } from 'node:path';
import { Box, Text } from 'ink';
import type { LockHolder, Timeline } from '../core/index.js';
import { clockTime, columns, truncateMiddle } from './format.js';
import { revisionLabel } from './timeline/revision-label.js';
import { useTheme } from './theme.js';

export interface HeaderInfo {
  configPath: string;
  cwd: string;
  dialect: string;
  /** The database as shown to people, password masked. */
  database: string;
}

interface Props {
  info: HeaderInfo;
  timeline: Timeline | null;
  lockHolder: LockHolder | null;
  /** This app's own run holds the lock now. */
  running: boolean;
  width: number;
  /** In place of the database and current-revision lines (the fleet screen: its file, and its targets' states). */
  lines?: [label: string, text: string][];
}

/** How many rows the header takes: the lock line shows only while someone holds the lock. */
export function headerHeight(lockHolder: LockHolder | null): number {
  return lockHolder ? 4 : 3;
}

/** The current revision's whole name where it fits, else as its row says it: the slug (and its date). */
function currentName(name: string, room: number): string {
  if (columns(name) <= room) return name;
  const { slug, date } = revisionLabel(name);
  return date && columns(slug) + date.length + 3 <= room ? `${slug} (${date})` : slug;
}

/** Project, database, current revision, lock holder; and a rule below. */
export function Header({ info, timeline, lockHolder, running, width, lines }: Props) {
  const theme = useTheme();
  const rel = relative(info.cwd, info.configPath);
  const config = rel && !rel.startsWith('..') ? rel : info.configPath;
  const pending = timeline ? `${timeline.pending} pending` : '';
  const room = Math.max(10, width - 8 - pending.length - 3);
  const current = timeline ? (timeline.current ? currentName(timeline.current, room) : 'base (nothing applied)') : 'reading…';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>
          migrate-ui
        </Text>
        {`  ${truncateMiddle(config, width - 13)}`}
      </Text>
      {lines?.map(([label, text]) => (
        <Text key={label} wrap="truncate-end">
          <Text bold>{label}</Text>
          {`  ${text}`}
        </Text>
      ))}
      {lines ? null : (
        <>
          <Text wrap="truncate-end">
            <Text bold>{info.dialect}</Text>
            {`  ${truncateMiddle(info.database, width - info.dialect.length - 3)}`}
          </Text>
          <Text wrap="truncate-end">
            {'current '}
            <Text bold>{truncateMiddle(current, room)}</Text>
            {pending ? ` · ${pending}` : ''}
          </Text>
        </>
      )}
      {lockHolder ? (
        <Text color={theme.warning} wrap="truncate-end">
          {`lock held by ${running && lockHolder.pid === process.pid ? 'this run, ' : ''}pid ${lockHolder.pid} on ${lockHolder.host} since ${clockTime(lockHolder.since)}`}
        </Text>
      ) : null}
    </Box>
  );
}

import { Box, Text } from 'ink';
import { describeCannotRun, describeProblem, type Problem } from '../../authoring/validate.js';
import { OPERATION_NAMES, OPERATIONS } from '../../authoring/ops/index.js';
import { centredStart, fit, truncate } from '../format.js';
import { useTheme } from '../theme.js';
import { summary } from './build.js';
import type { ChoiceContext, Field, FormRecord } from './fields.js';
import type { Frame } from './form-state.js';
import { RecordView } from './record-view.js';
import { TextCursor } from './text-cursor.js';
import { Muted } from '../muted.js';

interface Props {
  frame: Frame;
  name: string;
  nameProblem?: string;
  /** The records of a list frame (operations, or an operation's columns) and their problems. */
  items: FormRecord[];
  itemProblems: (index: number) => string[];
  record?: { record: FormRecord; fields: Field[]; ctx: ChoiceContext; problems: Record<string, string[]> };
  problems: Problem[];
  operations: unknown[];
  writeTarget: string;
  /** The draft of exactly this spec is there, without problems: it can be written. */
  ready: boolean;
  /** Why it cannot run on the connected database (up or down), from previewing both. */
  cannotRun: string[];
  dialect: string;
  /** The file being edited again (reopened), which throwing the draft away leaves as it is. */
  editing?: string;
  /** Where throwing the draft away leads: "goes back to the timeline", or "returns to the shell". */
  leavesTo: string;
  width: number;
  height: number;
}

/** The upper part of the form: the step the person is at. */
export function FormStep(props: Props) {
  const theme = useTheme();
  const { frame, width, height } = props;
  switch (frame.at) {
    case 'name':
      return (
        <Box flexDirection="column">
          <Text bold>
            {'› name          '}
            <TextCursor text={props.name} back={frame.cursor} width={width - 16} />
          </Text>
          {props.nameProblem ? (
            <Text color={theme.error}>{`                ✗ ${props.nameProblem}`}</Text>
          ) : (
            <Muted>{'                lower-case letters, digits and _; enter: the operations'}</Muted>
          )}
        </Box>
      );
    case 'operations':
    case 'items': {
      const title = frame.at === 'operations' ? 'Operations, in the order they run' : `Columns (${frame.field})`;
      const rows = props.items.map((item, i) => {
        const wrong = props.itemProblems(i);
        const mark = wrong.length > 0 ? '✗' : '✓';
        return (
          <Box key={`${i}-${item.kind}`} flexDirection="column">
            <Text wrap="truncate-end" bold={i === frame.selected} inverse={i === frame.selected}>
              {`${i === frame.selected ? '›' : ' '} ${String(i + 1).padStart(2)} `}
              <Text color={wrong.length > 0 ? theme.error : theme.ok}>{mark}</Text>
              {` ${truncate(summary(item), width - 8)}`}
            </Text>
            {i === frame.selected && wrong[0] ? <Text color={theme.error} wrap="truncate-end">{`       ${wrong[0]}`}</Text> : null}
          </Box>
        );
      });
      const start = centredStart(frame.selected, height - 2, props.items.length);
      return (
        <Box flexDirection="column">
          <Text bold>{title}</Text>
          {props.items.length === 0 ? <Muted>{'  none yet: a adds one'}</Muted> : rows.slice(start, start + Math.max(1, height - 2))}
          {frame.at === 'operations' ? <BackfillNote items={props.items} width={width} /> : null}
          {frame.at === 'operations' ? <WriteLine {...props} width={width} /> : null}
        </Box>
      );
    }
    case 'menu': {
      const start = centredStart(frame.selected, height - 1, OPERATION_NAMES.length);
      return (
        <Box flexDirection="column">
          <Text bold>Add an operation</Text>
          {OPERATION_NAMES.slice(start, start + Math.max(1, height - 1)).map((op, i) => (
            <Text key={op} wrap="truncate-end" inverse={start + i === frame.selected} bold={start + i === frame.selected}>
              {`${start + i === frame.selected ? '›' : ' '} ${fit(op, 14)}`}
              <Muted>{OPERATIONS[op].menu}</Muted>
            </Text>
          ))}
        </Box>
      );
    }
    case 'record':
      if (!props.record) return null;
      return (
        <Box flexDirection="column">
          <Text bold wrap="truncate-end">
            {truncate(summary(props.record.record), width)}
          </Text>
          <RecordView {...props.record} focus={frame.focus} cursor={frame.cursor} width={width} height={Math.max(1, height - 1)} />
        </Box>
      );
    case 'preview':
      return (
        <Box flexDirection="column">
          <Text bold wrap="truncate-end">{`Write ${props.writeTarget}?`}</Text>
          <Muted wrap="truncate-end">{'y writes the file and the entity edits shown below · n or esc goes back · nothing is written before y'}</Muted>
        </Box>
      );
    case 'discard':
      return (
        <Box flexDirection="column">
          <Text bold color={theme.warning}>
            Throw this draft away?
          </Text>
          <Muted wrap="wrap">
            {props.editing
              ? `y throws away the changes; ${props.editing} stays as it is on disk · n, esc or enter keeps editing · ctrl-c quits`
              : `y throws it away and ${props.leavesTo} · n, esc or enter keeps it · ctrl-c quits`}
          </Muted>
        </Box>
      );
  }
}

/** A backfill makes the revision a data migration: what that means for its schema steps, said before it is written. */
function BackfillNote({ items, width }: { items: FormRecord[]; width: number }) {
  const theme = useTheme();
  const backfills = items.filter((i) => i.kind === 'backfill').length;
  if (backfills === 0) return null;
  const schema = items.length - backfills;
  const text =
    schema > 0
      ? '⚠ a data migration, not one transaction: the schema steps commit on their own, then the batches one by one'
      : 'a data migration: its batches commit one by one; a run cut short resumes from the checkpoint';
  return (
    <Box paddingLeft={2} width={width}>
      {schema > 0 ? (
        <Text color={theme.warning} wrap="wrap">
          {text}
        </Text>
      ) : (
        <Muted wrap="wrap">{text}</Muted>
      )}
    </Box>
  );
}

function WriteLine({ problems, operations, ready, cannotRun, dialect, width }: Props & { width: number }) {
  const theme = useTheme();
  if (problems.length === 0 && ready) return <Text color={theme.ok}>{'  ready: w previews and writes it'}</Text>;
  if (problems.length === 0 && cannotRun.length > 0) {
    return (
      <Text color={theme.error} wrap="truncate-end">
        {truncate(`  ${describeCannotRun(dialect, cannotRun)}`, width)}
      </Text>
    );
  }
  if (problems.length === 0) return <Muted>{'  drafting the SQL and the entity edits…'}</Muted>;
  const first = describeProblem(problems[0], operations);
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return (
    <Text color={theme.error} wrap="truncate-end">
      {truncate(`  not ready to write, ${count}: ${first}`, width)}
    </Text>
  );
}

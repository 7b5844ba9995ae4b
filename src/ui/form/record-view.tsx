import { Box, Text } from 'ink';
import { centredStart, fit, truncate } from '../format.js';
import { useTheme } from '../theme.js';
import { summary } from './build.js';
import { TextCursor } from './text-cursor.js';
import { type ChoiceContext, type Field, type FormRecord, list, records, text } from './fields.js';
import { Muted } from '../muted.js';

interface Props {
  record: FormRecord;
  fields: Field[];
  focus: number;
  /** The highlighted choice of a focused multi-choice field. */
  cursor: number;
  ctx: ChoiceContext;
  /** Each field's problems from the engine, by key. */
  problems: Record<string, string[]>;
  width: number;
  /** Rows for the fields, their problems and the open choice list. */
  height: number;
}

const LABEL = 15;
const CHOICES = 5;

/** One record's fields: label, value, the problem next to it; the focused field shows its cursor or its choices. */
export function RecordView({ record, fields, focus, cursor, ctx, problems, width, height }: Props) {
  const theme = useTheme();
  const rows: React.ReactNode[] = [];
  fields.forEach((field, i) => {
    const focused = i === focus;
    const value = record.values[field.key];
    rows.push(
      <Text key={field.key} wrap="truncate-end" bold={focused}>
        {`${focused ? '›' : ' '} ${fit(field.label, LABEL - 3)} `}
        <FieldValue field={field} value={value} focused={focused} cursor={cursor} width={width - LABEL - 2} />
      </Text>,
    );
    for (const message of problems[field.key] ?? []) {
      rows.push(
        <Text key={`${field.key}-${message}`} color={theme.error} wrap="truncate-end">
          {`${' '.repeat(LABEL)}✗ ${message}`}
        </Text>,
      );
    }
    if (focused && (field.kind === 'choice' || field.kind === 'multi')) {
      const choices = field.choices?.(ctx) ?? [];
      // A choice that starts on nothing marks no line (▸ would read as chosen).
      const at = field.kind === 'choice' ? choices.indexOf(text(value)) : cursor;
      const start = centredStart(Math.max(0, at), CHOICES, choices.length);
      for (const [j, choice] of choices.slice(start, start + CHOICES).entries()) {
        const taken = field.kind === 'multi' ? (list(value).includes(choice) ? '[x] ' : '[ ] ') : '';
        const refused = field.refuse?.(choice, ctx);
        rows.push(
          <Text key={`${field.key}-choice-${choice}`} wrap="truncate-end">
            {' '.repeat(LABEL)}
            <Text inverse={start + j === at}>{`${start + j === at ? '▸' : ' '} ${taken}${choice} `}</Text>
            {refused ? <Text color={theme.error}>{` ✗ ${refused}`}</Text> : null}
          </Text>,
        );
      }
      if (choices.length === 0) rows.push(<Muted key={`${field.key}-none`}>{`${' '.repeat(LABEL)}(nothing to choose yet)`}</Muted>);
    }
  });
  // Keep the focused field on screen when the record is taller than its rows.
  const focusRow = rows.findIndex((r) => (r as { key?: string }).key === fields[focus]?.key);
  const start = Math.max(0, Math.min(focusRow - 1, rows.length - height));
  return <Box flexDirection="column">{rows.slice(start, start + height)}</Box>;
}

interface ValueProps {
  field: Field;
  value: unknown;
  focused: boolean;
  cursor: number;
  width: number;
}

function FieldValue({ field, value, focused, cursor, width }: ValueProps) {
  switch (field.kind) {
    case 'text': {
      const typed = text(value as string);
      if (!typed && !focused) return <Muted>{truncate(field.placeholder ?? '', width)}</Muted>;
      if (!focused) return <Text>{truncate(typed, width)}</Text>;
      return (
        <Text>
          <TextCursor text={typed} back={cursor} width={width} />
          {!typed && field.placeholder ? <Muted>{` ${truncate(field.placeholder, width - 2)}`}</Muted> : null}
        </Text>
      );
    }
    case 'choice':
      if (!text(value as string) && field.placeholder) return <Muted>{truncate(field.placeholder, width)}</Muted>;
      return <Text>{truncate(text(value as string) || '—', width)}</Text>;
    case 'multi':
      return <Text>{truncate(list(value as string[]).join(', ') || (focused ? '(space takes a column)' : '—'), width)}</Text>;
    case 'list': {
      const items = records(value as FormRecord[]);
      const shown = items.map(summary).join(' · ') || 'none yet';
      return <Text>{truncate(`${shown}${focused ? '   (enter edits the list)' : ''}`, width)}</Text>;
    }
  }
}

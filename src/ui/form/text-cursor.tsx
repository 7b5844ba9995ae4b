import { Text } from 'ink';

interface Props {
  text: string;
  /** Characters between the cursor and the end. */
  back: number;
  width: number;
}

/** A line being typed with its cursor (inverse video); a long line keeps the cursor in view. */
export function TextCursor({ text, back, width }: Props) {
  const chars = [...text];
  const at = Math.max(0, chars.length - Math.min(back, chars.length));
  const room = Math.max(2, width - 1);
  const start = Math.max(0, at - room + 1);
  const shown = chars.slice(start, start + room);
  const i = at - start;
  return (
    <Text>
      {start > 0 ? '…' : ''}
      {shown.slice(start > 0 ? 1 : 0, i).join('')}
      <Text inverse>{shown[i] ?? ' '}</Text>
      {shown.slice(i + 1).join('')}
    </Text>
  );
}

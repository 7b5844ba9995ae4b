import { Text, type TextProps } from 'ink';
import { useTheme } from './theme.js';

/** Quiet text (a hint, a placeholder): the palette's muted colour, in italics; never faint, which falls below 3:1. */
export function Muted(props: Omit<TextProps, 'color' | 'dimColor' | 'italic'>) {
  const theme = useTheme();
  return <Text {...props} italic color={theme.muted} />;
}

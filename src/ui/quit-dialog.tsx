import { Box, Text } from 'ink';
import { ScreenFrame } from './screen-frame.js';
import { useTheme } from './theme.js';
import { useScreenKeys } from './keys/use-key-layers.js';

interface Props {
  height: number;
  /** False once the run that opened the dialog is over: quitting then stops nothing. */
  running: boolean;
  onQuit: () => void;
  onStay: () => void;
}

/** Asked when q is pressed while a run is in progress: quitting stops the run after its current revision. */
export function QuitDialog({ height, running, onQuit, onStay }: Props) {
  const theme = useTheme();
  const keys = useScreenKeys('quit', { quit: { handlers: { confirm: onQuit, quit: onQuit, cancel: onStay } } });
  const [title, text, choice] = running
    ? [
        'A run is in progress.',
        'Quit now? The run stops after the revision in progress; what already ran stays.',
        'y quit after the current revision · n keep running · enter = n',
      ]
    : ['The run is over.', 'Quit now? Nothing is running any more.', 'y quit · n stay · enter = n'];
  return (
    <ScreenFrame height={height} keys={keys}>
      {() => (
        <Box flexDirection="column" paddingTop={1} paddingLeft={2}>
          <Text bold color={running ? theme.warning : undefined}>
            {title}
          </Text>
          <Text>{text}</Text>
          <Text> </Text>
          <Text bold>{choice}</Text>
        </Box>
      )}
    </ScreenFrame>
  );
}

import { Box, Text } from 'ink';
import { ScreenFrame } from './screen-frame.js';
import { useTheme } from './theme.js';
import { useScreenKeys } from './keys/use-key-layers.js';

interface Props {
  height: number;
  onQuit: () => void;
  onStay: () => void;
}

/** Asked when q is pressed while a run is in progress: quitting stops the run after its current revision. */
export function QuitDialog({ height, onQuit, onStay }: Props) {
  const theme = useTheme();
  const keys = useScreenKeys('quit', { quit: { handlers: { confirm: onQuit, quit: onQuit, cancel: onStay } } });
  return (
    <ScreenFrame height={height} keys={keys}>
      {() => (
        <Box flexDirection="column" paddingTop={1} paddingLeft={2}>
          <Text bold color={theme.warning}>
            A run is in progress.
          </Text>
          <Text>Quit now? The run stops after the revision in progress; what already ran stays.</Text>
          <Text> </Text>
          <Text bold>y quit after the current revision · n keep running · enter = n</Text>
        </Box>
      )}
    </ScreenFrame>
  );
}

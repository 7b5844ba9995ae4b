import { Box, Text } from 'ink';
import { ScrollView, type Line } from '../scroll-view.js';
import { type PreviewTab, tabLabel } from './preview-lines.js';
import { Muted } from '../muted.js';

interface Props {
  tabs: PreviewTab[];
  tab: PreviewTab;
  lines: Line[];
  offset: number;
  height: number;
  width: number;
  /** The spec changed and its SQL and entity edits are being drafted again. */
  stale: boolean;
}

/** The live preview under the form: a row of tabs (← → switch), then the tab's lines, scrolled. */
export function PreviewPane({ tabs, tab, lines, offset, height, width, stale }: Props) {
  // Brackets as well as inverse video: the chosen tab stays plain to see without colour or styles.
  const bar = tabs.map((t) => ({ t, label: t === tab ? `[${tabLabel(t)}]` : ` ${tabLabel(t)} ` }));
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text wrap="truncate-end">
        {bar.map(({ t, label }, i) => (
          <Text key={t}>
            {i > 0 ? <Text>│</Text> : null}
            <Text inverse={t === tab} bold={t === tab}>
              {label}
            </Text>
          </Text>
        ))}
        <Muted>{stale ? '  updating…' : ''}</Muted>
      </Text>
      <ScrollView lines={lines} offset={offset} height={Math.max(1, height - 1)} keys="PgDn" />
    </Box>
  );
}

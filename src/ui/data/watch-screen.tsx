import { useState } from 'react';
import { Box, Text } from 'ink';
import type { DataControl, Project } from '../../core/index.js';
import type { Notify } from '../use-notices.js';
import type { Flag } from '../keys/keymap.js';
import { ScreenFrame, useBodyHeight } from '../screen-frame.js';
import { ScrollView, type Line } from '../scroll-view.js';
import { useTheme } from '../theme.js';
import { truncate } from '../format.js';
import { useScreenKeys } from '../keys/use-key-layers.js';
import { dataLines } from './data-lines.js';
import { controllable, type DataMigrationView } from './data-view.js';
import { useWatch } from './use-watch.js';
import { Muted } from '../muted.js';

interface Props {
  project: Project;
  width: number;
  height: number;
  isActive: boolean;
  notify: Notify;
  onBack: () => void;
}

/** The first data migration that can still be controlled, else the last one. */
function initialSelection(views: DataMigrationView[]): string | null {
  return (views.find(controllable) ?? views.at(-1))?.revision ?? null;
}

/**
 * `w` and `migrate-ui watch` in a terminal: every data migration in `migrate_ui_progress`, whichever process runs
 * it, with its bars; `p` pauses or resumes the selected one and `c` cancels it, through the progress table.
 */
export function WatchScreen({ project, width, height, isActive, notify, onBack }: Props) {
  const theme = useTheme();
  const { views, error, control } = useWatch(project);
  const [chosen, setChosen] = useState<string | null>(null);
  const body = useBodyHeight(height);
  const list = views ?? [];
  const selected = list.find((v) => v.revision === chosen)?.revision ?? initialSelection(list);
  const index = list.findIndex((v) => v.revision === selected);
  const view = list[index];

  const send = (action: DataControl) => {
    if (!view) return;
    const say = notify.later();
    void control(view.revision, action).then(
      (changed) =>
        say(
          changed > 0
            ? { kind: 'info', text: `${action} sent to ${view.revision}: its runner acts on it after the current batch` }
            : { kind: 'warning', text: `nothing to ${action}: ${view.revision} is ${view.status}` },
        ),
      (e: unknown) => say({ kind: 'error', text: `could not ${action} ${view.revision}: ${(e as Error).message}` }),
    );
  };
  const flags = new Set<Flag>();
  if (list.length > 1) flags.add('several');
  if (controllable(view)) flags.add('data');
  if (view?.status === 'paused') flags.add('paused');
  const move = (by: number) => setChosen(list[Math.max(0, Math.min(list.length - 1, index + by))]?.revision ?? null);
  const handlers = {
    up: () => move(-1),
    down: () => move(1),
    pause: () => send('pause'),
    resume: () => send('resume'),
    'cancel-data': () => send('cancel'),
    back: onBack,
  };
  const keys = useScreenKeys('watch', { watch: { handlers, flags } }, isActive);

  const lines: Line[] = [];
  let selectedStart = 0;
  let selectedEnd = 0;
  for (const v of list) {
    if (v.revision === selected) selectedStart = lines.length;
    const mark = v.revision === selected ? '›' : ' ';
    // No spinner: the screen changes once a second, with each read.
    const icon = v.status === 'running' ? '▶' : v.status === 'done' ? '✓' : v.status === 'failed' ? '✗' : '‖';
    lines.push(...dataLines(v, width, theme, `${mark} ${icon} ${v.revision}`), { text: '' });
    if (v.revision === selected) selectedEnd = lines.length - 1;
  }
  const panel = Math.max(1, body - 1);
  // The selected data migration stays in view, whole where it fits.
  const offset = Math.max(0, Math.min(selectedStart, selectedEnd - panel + 1));
  const title =
    views === null
      ? 'Data migrations — reading migrate_ui_progress…'
      : `Data migrations: ${list.filter((v) => v.status === 'running').length} running, ${list.length} in all (read every second)`;
  return (
    <ScreenFrame height={height} keys={keys}>
      {() => (
        <Box flexDirection="column">
          <Text bold wrap="truncate-end">
            {truncate(title, width)}
          </Text>
          {error ? (
            <Text color={theme.error} wrap="truncate-end">
              {truncate(`cannot read the progress table: ${error}`, width)}
            </Text>
          ) : null}
          {views !== null && list.length === 0 ? (
            <Muted wrap="wrap">
              No data migration has run on this database yet. One starts when a revision that extends DataMigration is applied (u on the timeline, or
              migrate-ui up in another terminal); it shows here at once.
            </Muted>
          ) : (
            <ScrollView lines={lines} offset={offset} height={panel - (error ? 1 : 0)} />
          )}
        </Box>
      )}
    </ScreenFrame>
  );
}

import { useState } from 'react';
import { Box, Text } from 'ink';
import type { FleetWatch } from '../../core/fleet/fleet-watch.js';
import { relative } from 'node:path';
import { centredStart, columns, fit, truncate } from '../format.js';
import type { Flag } from '../keys/keymap.js';
import { useScreenKeys } from '../keys/use-key-layers.js';
import { ScreenFrame, useBodyHeight } from '../screen-frame.js';
import { type Theme, useTheme } from '../theme.js';
import { columnWidths, counts, FILTERS, type FleetFilter, filtered, gridColumns, targetLine, type TargetView, targetView } from './fleet-rows.js';

/** What the fleet screen keeps while a target's timeline is open in its place: the filter and the selected target. */
export interface FleetView {
  filter: FleetFilter;
  selected: string | null;
}

interface Props {
  watch: FleetWatch;
  /** Re-renders with each change of the fleet. */
  version: number;
  view: FleetView;
  width: number;
  height: number;
  isActive: boolean;
  onOpen: (target: string) => void;
  onUp: () => void;
  onBack: () => void;
}

const toneColour = (view: TargetView, theme: Theme) => (view.tone === 'error' ? theme.error : view.tone === 'ok' ? theme.ok : undefined);

/** Every target of the fleet, one row each (a grid of glyphs when they do not fit), read every two seconds. */
export function FleetScreen({ watch, view, width, height, isActive, onOpen, onUp, onBack }: Props) {
  const theme = useTheme();
  const [filter, setFilterState] = useState<FleetFilter>(view.filter);
  const [chosen, setChosen] = useState<string | null>(view.selected);
  const all = watch.members.map(targetView);
  const shown = filtered(all, filter);
  const body = useBodyHeight(height);
  const listRows = Math.max(1, body - 2);
  const grid = shown.length > listRows;
  const layout = gridColumns(shown.length, width, Math.max(1, listRows - 1));
  const index = Math.max(
    0,
    shown.findIndex((v) => v.name === chosen),
  );
  const selected = shown[index];
  const select = (i: number) => {
    const name = shown[Math.max(0, Math.min(shown.length - 1, i))]?.name ?? null;
    view.selected = name;
    setChosen(name);
  };
  const step = grid ? layout.perRow : 1;
  const page = grid ? layout.perRow * Math.max(1, listRows - 2) : listRows;
  const flags = new Set<Flag>([...(grid ? (['grid'] as const) : []), ...(watch.running ? (['running'] as const) : [])]);
  const keys = useScreenKeys(
    'fleet',
    {
      fleet: {
        handlers: {
          up: () => select(index - step),
          down: () => select(index + step),
          left: () => select(index - 1),
          right: () => select(index + 1),
          first: () => select(0),
          last: () => select(shown.length - 1),
          'page-up': () => select(index - page),
          'page-down': () => select(index + page),
          'open-target': () => selected && onOpen(selected.name),
          upgrade: onUp,
          'cycle-filter': () => {
            const next = FILTERS[(FILTERS.indexOf(filter) + 1) % FILTERS.length];
            view.filter = next;
            setFilterState(next);
          },
          refresh: () => watch.refresh(),
          back: onBack,
        },
        flags,
      },
    },
    isActive,
  );
  const cols = columnWidths(all, width);
  return (
    <ScreenFrame height={height} keys={keys}>
      {() => (
        <Box flexDirection="column">
          <Text wrap="truncate-end">{title(watch, shown.length, filter, width)}</Text>
          {shown.length === 0 ? (
            <Box height={listRows}>
              <Text italic color={theme.muted}>
                {all.length === 0 ? 'reading the fleet…' : `no target is ${filter} now (f shows the next filter)`}
              </Text>
            </Box>
          ) : grid ? (
            <Grid views={shown} index={index} perRow={layout.perRow} pitch={layout.pitch} height={listRows - 1} theme={theme} />
          ) : (
            <Box flexDirection="column" height={listRows}>
              {shown.slice(centredStart(index, listRows, shown.length), centredStart(index, listRows, shown.length) + listRows).map((v) => (
                <Text key={v.name} inverse={v === selected} color={toneColour(v, theme)} wrap="truncate-end">
                  {targetLine(v, v === selected, width, cols)}
                </Text>
              ))}
            </Box>
          )}
          {grid && selected ? (
            <Text inverse color={toneColour(selected, theme)} wrap="truncate-end">
              {targetLine(selected, true, width, columnWidths([selected], width))}
            </Text>
          ) : (
            <Text wrap="truncate-end">{selected ? truncate(`selected ${selected.name}: enter opens its timeline`, width) : ' '}</Text>
          )}
        </Box>
      )}
    </ScreenFrame>
  );
}

/** The rule above the targets: how many are shown (the filter), or the rollout while one runs. */
function title(watch: FleetWatch, shown: number, filter: FleetFilter, width: number): string {
  const runs = watch.members.map((m) => m.run?.state);
  const n = (state: string) => runs.filter((r) => r === state).length;
  const label = watch.running
    ? `── fleet up: ${n('done')} of ${runs.length} done · ${n('running')} running · ${n('failed')} failed · ctrl-c stops it `
    : `── ${filter === 'all' ? `${shown} targets` : `${shown} ${filter} of ${watch.members.length} targets`} · f filters: ${filter} `;
  return fit(label + '─'.repeat(Math.max(0, width - columns(label))), width);
}

/** The header's lines on the fleet's screens: the fleet file, and how many targets stand where. */
export function fleetHeaderLines(watch: FleetWatch, cwd: string): [string, string][] {
  const c = counts(watch.members.map(targetView));
  const rel = relative(cwd, watch.file);
  const file = rel && !rel.startsWith('..') ? rel : watch.file;
  return [
    ['fleet', `${file} · ${watch.members.length} targets, ${watch.concurrency} at once`],
    ['targets', `${c.head} at head · ${c.pending} pending · ${c.running} running · ${c.failed} failed${c.unread ? ` · ${c.unread} being read` : ''}`],
  ];
}

/** One glyph per target, the selected one inverse; rows scroll to keep it in view. Neighbours of one colour are one text. */
function Grid(props: { views: TargetView[]; index: number; perRow: number; pitch: 1 | 2; height: number; theme: Theme }) {
  const { views, index, perRow, pitch, height, theme } = props;
  const rows = Math.ceil(views.length / perRow);
  const start = centredStart(Math.floor(index / perRow), height, rows);
  const gap = pitch === 2 ? ' ' : '';
  const lines = Array.from({ length: Math.min(height, rows - start) }, (_, r) => {
    const from = (start + r) * perRow;
    const runs: { text: string; colour: string | undefined; selected: boolean }[] = [];
    views.slice(from, from + perRow).forEach((v, i) => {
      const selected = from + i === index;
      const colour = toneColour(v, theme);
      const last = runs.at(-1);
      if (selected) runs.push({ text: v.glyph, colour, selected }, { text: gap, colour: undefined, selected: false });
      else if (last && !last.selected && last.colour === colour) last.text += v.glyph + gap;
      else runs.push({ text: v.glyph + gap, colour, selected });
    });
    return runs;
  });
  return (
    <Box flexDirection="column" height={height + 1}>
      {lines.map((runs, r) => (
        <Text key={start + r} wrap="truncate-end">
          {runs.map((run, i) => (
            <Text key={i} inverse={run.selected} color={run.colour}>
              {run.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

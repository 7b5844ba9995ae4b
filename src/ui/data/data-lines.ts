import { count } from '../../core/data/progress-text.js';
import { durationText } from '../duration.js';
import { truncate } from '../format.js';
import type { Line } from '../scroll-view.js';
import type { Theme } from '../theme.js';
import { type DataMigrationView, type DataStatus, stepShare } from './data-view.js';
import { bar, sparkline } from './glyphs.js';

const WORD: Record<DataStatus, string> = {
  waiting: 'waiting',
  running: 'running',
  paused: 'paused',
  throttled: 'throttled',
  retrying: 'retrying a batch',
  failed: 'failed',
  done: 'done',
  cancelled: 'cancelled (resumable)',
  stopped: 'stopped (resumable)',
  stalled: 'stalled',
};

const LABEL_WIDTH = 9;

function colourOf(status: DataStatus, theme: Theme): string | undefined {
  if (status === 'done') return theme.ok;
  if (status === 'failed') return theme.error;
  if (status === 'running' || status === 'throttled') return theme.accent;
  if (status === 'waiting') return undefined;
  return theme.warning;
}

/** The share as "  7%", or "  ? " while unknown. */
function percent(share: number | null): string {
  return share === null ? '  ? ' : `${String(Math.floor(share * 100)).padStart(3)}%`;
}

/** The bar lines of a data migration (overall, then each step when it has several), their bars one width. */
function barLines(view: DataMigrationView, width: number, theme: Theme): Line[] {
  const colour = colourOf(view.status, theme);
  const total = view.rowsTotal === null ? `${count(view.rowsDone)} rows` : `${count(view.rowsDone)} / ${count(view.rowsTotal)} rows`;
  const bars = [{ label: 'overall', share: view.share, text: total, colour }];
  if (view.steps.length > 1) {
    for (const s of view.steps) {
      const what = [s.table, s.status === 'running' || s.status === 'throttled' ? undefined : WORD[s.status]].filter(Boolean).join(' · ');
      bars.push({ label: `step ${s.step}/${view.steps.length}`, share: stepShare(s), text: what, colour: colourOf(s.status, theme) });
    }
  }
  // "    label     ▕bar▏  pct  text": the bar takes what the longest text leaves, 10 to 40 cells.
  const longest = Math.max(...bars.map((b) => b.text.length));
  const cells = Math.max(10, Math.min(40, width - 4 - LABEL_WIDTH - 1 - 2 - 1 - 4 - 2 - longest));
  return bars.map((b) => ({
    text: truncate(`    ${b.label.padEnd(LABEL_WIDTH)} ▕${bar(b.share ?? 0, cells)}▏ ${percent(b.share)}  ${b.text}`, width),
    color: b.colour,
  }));
}

/**
 * A data migration's lines: its state, one bar overall and one per step (when it has several), rows per second,
 * ETA, batch size and elapsed time, and sparklines of rows per second and of batch duration over the last minute.
 */
export function dataLines(view: DataMigrationView, width: number, theme: Theme, head?: string): Line[] {
  const colour = colourOf(view.status, theme);
  const lines: Line[] = [];
  // Nothing to change (an empty table, every row set already): a bar of 0 / 0 rows would say nothing; words do.
  const empty = view.rowsDone === 0 && view.rowsTotal === 0;
  const word = `${WORD[view.status]}${empty ? ' · no rows to change' : ''}`;
  if (head !== undefined) lines.push({ text: truncate(`${head}  ${word}`, width), color: colour, bold: true });
  else lines.push({ text: truncate(`    ${word}`, width), color: colour });
  if (empty) {
    lines.push({ text: truncate(`    elapsed ${durationText(view.elapsedMs, 'elapsed')}`, width) });
    if (view.note) lines.push({ text: truncate(`    ${view.note}`, width), color: theme.warning });
    return lines;
  }
  lines.push(...barLines(view, width, theme));
  const numbers = [
    view.rowsPerSecond === undefined ? undefined : `${count(view.rowsPerSecond)} rows/s`,
    view.etaSeconds === undefined ? undefined : `ETA ${durationText(view.etaSeconds * 1000, 'eta')}${view.etaStep ? ` (step ${view.etaStep})` : ''}`,
    view.batchSize > 0 ? `batch ${count(view.batchSize)}` : undefined,
    `elapsed ${durationText(view.elapsedMs, 'elapsed')}`,
  ].filter(Boolean);
  lines.push({ text: truncate(`    ${numbers.join(' · ')}`, width) });
  lines.push(...sparkLines(view, width));
  if (view.note) lines.push({ text: truncate(`    ${view.note}`, width), color: theme.warning });
  return lines;
}

/** "rows/s ▃▅▆▇  batch ▂▂▃▂ ≤ 180 ms", each sparkline half of what is left of the line; nothing before a row moved. */
function sparkLines(view: DataMigrationView, width: number): Line[] {
  // Nothing moved in the last minute (a finished or long-paused one seen by watch): no empty sparklines.
  if (!view.rate.some((v) => v > 0)) return [];
  const peakMs = Math.round(Math.max(...view.batchMs));
  const peak = peakMs > 0 ? ` ≤ ${durationText(peakMs, 'precise')}` : '';
  const cells = Math.max(4, Math.floor((width - 4 - 'rows/s '.length - 2 - 'batch '.length - peak.length) / 2));
  return [
    {
      text: truncate(`    rows/s ${sparkline(view.rate, cells).padEnd(cells)}  batch ${sparkline(view.batchMs, cells).padEnd(cells)}${peak}`, width),
      dim: true,
    },
  ];
}

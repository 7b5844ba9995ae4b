import type { FleetMember } from '../../core/fleet/fleet-watch.js';
import { bar } from '../data/glyphs.js';
import { clockTime, columns, truncate, truncateMiddle } from '../format.js';
import { revisionLabel } from '../timeline/revision-label.js';

/** What a row counts as, for the filter: `f` cycles through them. */
export type FleetFilter = 'all' | 'pending' | 'failed' | 'running';
export const FILTERS: FleetFilter[] = ['all', 'pending', 'failed', 'running'];

/** A target as its row shows it: glyph, the filter's class, its current revision's slug and what is going on there. */
export interface TargetView {
  name: string;
  glyph: string;
  kind: Exclude<FleetFilter, 'all'> | 'head' | 'unread';
  /** Drawn in the error or warning colour, or the ok one. */
  tone: 'error' | 'warning' | 'ok' | 'plain';
  current: string;
  detail: string;
  /** A data migration running there: its share done (0 to 1). */
  progress: number | null;
  pending: number;
}

const slug = (name: string) => revisionLabel(name).slug;
const firstLine = (text: string) => text.split('\n')[0];

/** The row of one target, from its last reading and its part in the rollout run here. */
export function targetView({ target, reading, run }: FleetMember): TargetView {
  const base = { name: target.name, current: reading?.current ? slug(reading.current) : reading ? 'base' : '…', pending: reading?.pending ?? 0 };
  const data = reading?.data ?? null;
  const share = (rows: { rowsDone: number; rowsTotal: number | null } | null | undefined) =>
    rows ? (rows.rowsTotal ? Math.min(1, rows.rowsDone / rows.rowsTotal) : 0) : null;
  if (run?.state === 'running') {
    // The run's own events say what runs now; a data migration's rows come with each batch.
    const rows = run.data && run.data.revision === run.current ? run.data : null;
    if (run.waiting !== undefined) {
      const who = run.waiting ? `pid ${run.waiting.pid} on ${run.waiting.host}` : 'another run';
      return { ...base, glyph: '▸', kind: 'running', tone: 'plain', detail: `waiting for the lock held by ${who}`, progress: null };
    }
    // ▸ says it runs: the revision it runs now follows an arrow, after the current one.
    const detail = run.current ? `→ ${slug(run.current)}` : run.done.length > 0 ? `applied ${run.done.length}` : 'starting';
    return { ...base, glyph: '▸', kind: 'running', tone: 'plain', detail, progress: share(rows) };
  }
  const progress = share(data);
  if (run?.state === 'failed') {
    const where = run.failure.revision ? `${slug(run.failure.revision)} failed: ` : '';
    return { ...base, glyph: '✗', kind: 'failed', tone: 'error', detail: `${where}${firstLine(run.failure.message)}`, progress: null };
  }
  if (run?.state === 'queued') return { ...base, glyph: '·', kind: 'pending', tone: 'plain', detail: 'waiting its turn', progress: null };
  if (!reading) return { ...base, glyph: '…', kind: 'unread', tone: 'plain', detail: 'reading…', progress: null };
  if (reading.error) return { ...base, glyph: '?', kind: 'failed', tone: 'error', detail: `unreadable: ${reading.error}`, progress: null };
  if (reading.lock) {
    const who = `locked by pid ${reading.lock.pid} on ${reading.lock.host} since ${clockTime(reading.lock.since)}`;
    return { ...base, glyph: '▸', kind: 'running', tone: 'plain', detail: data ? `${slug(data.revision)} · ${who}` : who, progress };
  }
  if (reading.failed.length > 0)
    return { ...base, glyph: '✗', kind: 'failed', tone: 'error', detail: `failed: ${reading.failed.map(slug).join(', ')}`, progress: null };
  const after = run?.state === 'stopped' ? ' · stopped' : run?.state === 'skipped' ? ' · not started' : '';
  if (reading.pending > 0)
    return { ...base, glyph: '○', kind: 'pending', tone: 'warning', detail: `${reading.pending} pending${after}`, progress: null };
  const applied = run?.state === 'done' && run.done.length > 0 ? ` · applied ${run.done.length}` : '';
  return { ...base, glyph: '✓', kind: 'head', tone: 'ok', detail: `at head${applied}`, progress: null };
}

/** The targets the filter keeps. */
export function filtered(views: TargetView[], filter: FleetFilter): TargetView[] {
  return filter === 'all' ? views : views.filter((v) => v.kind === filter);
}

/** How many targets are at head, pending, running and failed. */
export function counts(views: TargetView[]): Record<TargetView['kind'], number> {
  const out = { head: 0, pending: 0, running: 0, failed: 0, unread: 0 };
  for (const v of views) out[v.kind]++;
  return out;
}

/**
 * The width of the name and revision columns: the longest of each, within a share of the terminal. The name may take
 * more than its share where the rows' details leave the room (names are what tells targets apart).
 */
export function columnWidths(views: TargetView[], width: number): { name: number; current: number } {
  const current = Math.min(Math.max(4, ...views.map((v) => columns(v.current))), Math.max(8, Math.floor(width * 0.3)));
  // A running target's bar and percentage take about 26 columns beside its detail.
  const detail = Math.max(0, ...views.map((v) => columns(v.detail) + (v.progress === null ? 0 : 26)));
  const share = Math.max(8, Math.floor(width * 0.25), width - 4 - current - 2 - 2 - detail);
  const name = Math.min(Math.max(4, ...views.map((v) => columns(v.name))), share);
  return { name, current };
}

/** One target's line: `› ▸ name  revision  detail [bar] 42%`, cut to `width`. */
export function targetLine(view: TargetView, selected: boolean, width: number, cols: { name: number; current: number }): string {
  const pad = (text: string, w: number) => {
    const cut = truncateMiddle(text, w);
    return cut + ' '.repeat(Math.max(0, w - columns(cut)));
  };
  const head = `${selected ? '›' : ' '} ${view.glyph} ${pad(view.name, cols.name)}  ${pad(view.current, cols.current)}  `;
  const room = width - columns(head);
  if (view.progress === null || room < 30) return truncate(head + view.detail, width);
  const percent = `${Math.floor(view.progress * 100)}%`.padStart(4);
  const barWidth = Math.min(20, Math.max(6, Math.floor(room / 3)));
  const detail = truncate(view.detail, room - barWidth - percent.length - 2);
  return `${head}${detail} ${bar(view.progress, barWidth)} ${percent}`;
}

/** The dense grid: how many glyph cells a row holds (two columns each where they fit, else one). */
export function gridColumns(count: number, width: number, rows: number): { perRow: number; pitch: 1 | 2 } {
  const wide = Math.floor((width - 1) / 2);
  if (Math.ceil(count / wide) <= rows) return { perRow: wide, pitch: 2 };
  return { perRow: Math.max(1, width - 1), pitch: 1 };
}

import { dataLines } from '../data/data-lines.js';
import type { DataMigrationView } from '../data/data-view.js';
import { durationText } from '../duration.js';
import { clockTime, columns, fit, plural, truncate, truncateMiddle, wrap } from '../format.js';
import { revisionLabel } from '../timeline/revision-label.js';
import type { Line } from '../scroll-view.js';
import type { Theme } from '../theme.js';
import { isRunning, type RunState } from './run-state.js';

const VERB = {
  up: { doing: 'Upgrading', did: 'Upgrade', done: 'applied' },
  down: { doing: 'Downgrading', did: 'Downgrade', done: 'reverted' },
};

/** The run view's title: where the run goes and how far it got. */
export function runTitle(state: RunState, width: number): Line {
  const verb = VERB[state.direction];
  const done = state.lines.filter((l) => l.state === 'done').length;
  const title = isRunning(state) ? verb.doing : verb.did;
  return { text: truncate(`${title} to ${state.target} — ${done} of ${state.lines.length} ${verb.done}`, width), bold: true };
}

/**
 * The run view's lines under the title: one per revision (spinner, ✓ with duration, ✗ with statement and message), a
 * data migration's bars under its line, the outcome. `focus` is the last line of the revision running now (or -1).
 */
export function runLines(
  state: RunState,
  width: number,
  spinner: string,
  theme: Theme,
  data: DataMigrationView[] = [],
): { lines: Line[]; focus: number } {
  const lines: Line[] = [];
  let focus = -1;
  if (state.phase === 'waiting-lock') {
    const h = state.holder;
    lines.push({
      text: truncate(
        h
          ? `waiting for the lock held by pid ${h.pid} on ${h.host} since ${clockTime(h.since)} (ctrl-c gives up)`
          : 'waiting for the lock held by another run (ctrl-c gives up)',
        width,
      ),
      color: theme.warning,
    });
  }
  const names = runNames(state, width);
  for (const line of state.lines) {
    const name = names.get(line.name) ?? line.name;
    const view = data.find((d) => d.revision === line.name);
    // A paused data migration's line stands still: a turning spinner would say it works.
    if (line.state === 'running' && view?.status === 'paused') lines.push({ text: `  ‖ ${name}`, color: theme.warning });
    else if (line.state === 'running') lines.push({ text: `  ${spinner} ${name}`, color: theme.accent });
    else if (line.state === 'done') lines.push({ text: `  ✓ ${name}  ${durationText(line.durationMs ?? 0, 'precise')}`, color: theme.ok });
    else if (line.state === 'waiting') lines.push({ text: `  · ${name}`, dim: true });
    else if (line.state === 'not-run') lines.push({ text: `  - ${name}  not run`, dim: true });
    else {
      lines.push({ text: `  ✗ ${name}  failed`, color: theme.error, bold: true });
      if (line.statement) for (const t of wrap(`statement: ${line.statement}`, width - 6)) lines.push({ text: `      ${t}` });
      for (const t of wrap(`error: ${line.message ?? 'unknown error'}`, width - 6)) lines.push({ text: `      ${t}`, color: theme.error });
      if (line.hint) for (const t of wrap(line.hint, width - 6)) lines.push({ text: `      ${t}`, dim: true });
    }
    if (view && line.state !== 'waiting') lines.push(...dataLines(view, width, theme));
    if (line.state === 'running') focus = lines.length - 1;
  }
  lines.push(...outcome(state, width, theme));
  return { lines, focus };
}

/**
 * Each line's name as the timeline shows it: the slug, cut in the middle when it must, and the timestamp's date as a
 * column while the longest slug fits beside it (the date goes first). One width for all, so durations line up.
 */
function runNames(state: RunState, width: number): Map<string, string> {
  const labels = state.lines.map((l) => ({ name: l.name, ...revisionLabel(l.name) }));
  const room = Math.max(8, width - 16);
  const longest = Math.max(0, ...labels.map((l) => columns(l.slug)));
  const date = labels.some((l) => l.date) && room - 12 >= longest ? 12 : 0;
  const slugWidth = Math.min(room - date, longest);
  return new Map(labels.map((l) => [l.name, `${fit(truncateMiddle(l.slug, slugWidth), slugWidth)}${date ? `  ${fit(l.date, 10)}` : ''}`]));
}

function outcome(state: RunState, width: number, theme: Theme): Line[] {
  const verb = VERB[state.direction].done;
  const done = state.lines.filter((l) => l.state === 'done').length;
  const took = state.durationMs !== undefined ? ` in ${durationText(state.durationMs, 'precise')}` : '';
  switch (state.phase) {
    case 'stopping':
      return [{ text: 'stopping after the current revision…', color: theme.warning }];
    case 'done':
      return [
        { text: truncate(done === 0 ? '✓ nothing to do' : `✓ done: ${plural(done, 'revision')} ${verb}${took}`, width), color: theme.ok, bold: true },
      ];
    case 'stopped':
      return [{ text: truncate(`stopped: ${plural(done, 'revision')} ${verb}; the rest did not run`, width), color: theme.warning, bold: true }];
    case 'failed':
    case 'error': {
      const out: Line[] = [];
      const head =
        state.phase === 'failed' ? `✗ the run failed; ${plural(done, 'revision')} ${verb} before it stay ${verb}` : '✗ the run did not complete';
      out.push({ text: truncate(head, width), color: theme.error, bold: true });
      if (state.error) for (const t of wrap(state.error, width - 2)) out.push({ text: `  ${t}`, color: theme.error });
      if (state.hint) for (const t of wrap(state.hint, width - 2)) out.push({ text: `  ${t}`, dim: true });
      return out;
    }
    default:
      return [];
  }
}

const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/** The spinner's glyph at beat `n` of a clock that turns ten times a second. */
export function spinnerAt(n: number): string {
  return FRAMES[n % FRAMES.length];
}

import { relative } from 'node:path';
import type { SquashPlan, SquashStep } from '../../authoring/squash.js';
import { plural } from '../format.js';
import type { Line } from '../scroll-view.js';
import type { Theme } from '../theme.js';
import type { SquashState } from './squash-state.js';

const STEPS: Record<SquashStep, { running: string; done: string }> = {
  draft: {
    running: 'building the schemas before and after the range on a scratch database',
    done: 'drafted from the schemas before and after the range (on a scratch database; nothing written)',
  },
  write: { running: 'writing the file', done: 'file written' },
  prove: {
    running: 'proving it on a fresh scratch database: the revisions before the range and the squash must give the same schema',
    done: 'proven',
  },
};

/** A step's line: done once a later step started or the phase moved past it (the draft is done once asked). */
function stepLine(step: SquashStep, running: boolean, theme: Theme): Line {
  return running ? { text: `… ${STEPS[step].running}`, dim: true } : { text: `✓ ${STEPS[step].done}`, color: theme.ok };
}

/** The title of the squash screen: what replaces what. */
export function squashTitle(plan: SquashPlan): string {
  return `Squash ${plural(plan.range.length, 'revision')} into ${plan.revision}`;
}

/** The question under the file, or what happens instead of it. */
export function squashPrompt(state: SquashState): string {
  if (state.phase === 'asking') return 'Write the squash?  y yes · n no · enter = no';
  if (state.phase === 'drafting') return 'drafting the squash on a scratch database… (esc cancels; nothing is written)';
  if (state.phase === 'writing') return 'writing and proving the squash…';
  return 'esc or enter: back to the timeline';
}

/** The squash screen's text: the progress or the result first, then what it replaces and the file's source. */
export function squashLines(plan: SquashPlan, state: SquashState, theme: Theme, cwd: string): Line[] {
  const lines: Line[] = [];
  const file = relative(cwd, plan.path);
  if (state.phase === 'proven' && state.written) {
    const { written } = state;
    lines.push(
      {
        text: `✓ wrote ${file}: ${plural(written.operations.length, 'operation')} replacing ${plural(written.replaces.length, 'revision')}`,
        color: theme.ok,
      },
      {
        text: `✓ proven on a scratch database: the same schema as ${written.replaces.at(-1)}, and down() gives back ${written.base ?? 'an empty database'}`,
        color: theme.ok,
      },
      { text: 'a database that applied them sees it applied; a new one applies only it', dim: true },
    );
  } else if (state.error) {
    const { line, hint, changes } = state.error;
    lines.push({ text: `✗ ${state.phase === 'refused' ? 'not proven: ' : ''}${line}`, color: theme.error });
    for (const change of changes) lines.push({ text: `    ${change}` });
    if (hint) lines.push({ text: hint, dim: true });
    lines.push({ text: `nothing was written`, bold: true });
  } else {
    const busy = state.phase === 'drafting' || state.phase === 'writing';
    lines.push(...state.steps.map((step, i) => stepLine(step, busy && i === state.steps.length - 1, theme)));
  }
  if (lines.length) lines.push({ text: '' });
  lines.push({ text: 'replaces, oldest first:', bold: true });
  for (const r of plan.range) lines.push({ text: `  - ${r.name}` });
  lines.push({ text: `starts from ${plan.base ?? 'an empty database (the range starts at the first revision)'}`, dim: true });
  const source = state.written?.source ?? state.draft?.source;
  if (source) {
    lines.push({ text: '' }, { text: state.written ? file : `${file} (not written yet)`, bold: true });
    for (const text of source.trimEnd().split('\n')) lines.push({ text });
  }
  return lines;
}

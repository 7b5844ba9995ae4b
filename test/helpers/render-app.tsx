import type { EventEmitter } from 'node:events';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/app.js';
import type { Project } from '../../src/core/project.js';
import { revisionLabel } from '../../src/ui/timeline/revision-label.js';
import { ROOT } from './cli.js';
import { frameLines, plain, press, pressAndWait, resize, waitForFrame } from './ink.js';

export interface RenderedApp extends ReturnType<typeof render> {
  /** The exit code the app chose, once it quit. */
  exitCode: () => number | undefined;
  /** Every frame written so far. */
  frames: string[];
  /** The frames written since the app was given its size. */
  sizedFrames: () => string[];
}

/** Renders the app on `project` at `columns`×`rows` (ink-testing-library's stdout) and waits for the timeline to be read. */
export async function renderApp(
  project: Project,
  options: { columns?: number; rows?: number; color?: boolean; lockTimeoutMs?: number; signals?: EventEmitter; watch?: boolean } = {},
): Promise<RenderedApp> {
  let code: number | undefined;
  const app = render(
    <App
      project={project}
      color={options.color ?? false}
      cwd={ROOT}
      lockTimeoutMs={options.lockTimeoutMs ?? 30_000}
      onExit={(c) => (code = c)}
      signals={options.signals}
      watch={options.watch}
    />,
  );
  resize(app.stdout, options.columns ?? 100, options.rows ?? 30);
  const sized = app.frames.length;
  await waitForFrame(app.lastFrame, (f) => plain(f).includes('current ') && !plain(f).includes('current reading'));
  return Object.assign(app, { exitCode: () => code, frames: app.frames, sizedFrames: () => app.frames.slice(sized) });
}

const ROW = /^[› ] [✓○?!✗◇] /;
const STATES = new Set(['applied', 'pending', 'missing', 'modified', 'broken', 'base']);

/** What a timeline row shows of a revision's name: its slug (no class prefix, no timestamp). */
export function shownName(name: string): string {
  return revisionLabel(name).slug;
}

/** The slug a row line shows ('base' for the base row): the first word, or the second where the first is the state column. */
function rowName(line: string): string {
  if (line.includes('◇ base')) return 'base';
  const [first = '', second] = line.slice(4).trim().split(/\s+/);
  const stateColumn = STATES.has(first) && second !== undefined && !/^(\d|just$|schema$|data$|◀)/.test(second);
  return stateColumn ? second : first;
}

/** The timeline row of the frame that shows `name` (a full name or a slug; '' when it is not on screen). */
export function rowOf(frame: string, name: string): string {
  const lines = frameLines(frame).filter((l) => ROW.test(l));
  if (name.includes(' ')) return lines.find((l) => l.includes(name)) ?? '';
  return lines.find((l) => rowName(l) === shownName(name)) ?? '';
}

/** The names of the timeline rows on screen, top to bottom, as the rows show them (slugs, and `base`). */
export function rowNames(frame: string): string[] {
  return frameLines(frame)
    .filter((l) => ROW.test(l))
    .map(rowName);
}

/** Moves the selection to the row of `name` (g, then j until it is selected). */
export async function selectRow(app: RenderedApp, name: string): Promise<string> {
  await pressAndWait(app.stdin, app.lastFrame, 'g', (f) => rowOf(f, '◇ base').startsWith('›'));
  for (let i = 0; i < 3000 && !rowOf(app.lastFrame()!, name).startsWith('›'); i++) {
    const before = app.lastFrame();
    press(app.stdin, 'j');
    await waitForFrame(app.lastFrame, (f) => f !== before);
  }
  return waitForFrame(app.lastFrame, (f) => rowOf(f, name).startsWith('›'));
}

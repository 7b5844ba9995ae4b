import { type Direction, exitCodeOf, type LockHolder, type RunEvent, type RunResult } from '../../core/index.js';
import { errorText } from '../error-text.js';

export interface RunLine {
  name: string;
  state: 'waiting' | 'running' | 'done' | 'failed' | 'not-run';
  durationMs?: number;
  statement?: string;
  message?: string;
  hint?: string;
}

export type RunPhase = 'idle' | 'locking' | 'waiting-lock' | 'running' | 'stopping' | 'done' | 'failed' | 'stopped' | 'error';

/** One run as the run view shows it, built from the runner's events. */
export interface RunState {
  phase: RunPhase;
  direction: Direction;
  target: string;
  lines: RunLine[];
  holder: LockHolder | null;
  /** An error that ended the run before or between revisions (lock timeout, lost connection). */
  error?: string;
  hint?: string;
  durationMs?: number;
  /** The exit code this run earns (DESIGN §3), once it is over. */
  exitCode?: number;
}

export type RunAction =
  | { type: 'start'; direction: Direction; target: string; planned: string[] }
  | { type: 'event'; event: RunEvent }
  | { type: 'stop' }
  | { type: 'finished'; result: RunResult }
  | { type: 'crashed'; error: unknown };

export const idleRun: RunState = { phase: 'idle', direction: 'up', target: '', lines: [], holder: null };

/** True while the run may still change the database. */
export function isRunning(state: RunState): boolean {
  return ['locking', 'waiting-lock', 'running', 'stopping'].includes(state.phase);
}

function update(lines: RunLine[], name: string, change: Partial<RunLine>): RunLine[] {
  return lines.map((line) => (line.name === name ? { ...line, ...change } : line));
}

function onEvent(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'lock:waiting':
      return { ...state, phase: state.phase === 'stopping' ? 'stopping' : 'waiting-lock', holder: event.holder };
    case 'lock:acquired':
      return { ...state, phase: state.phase === 'stopping' ? 'stopping' : 'running', holder: null };
    case 'run:planned':
      // Planned again under the lock: what really runs, which may differ from what was confirmed.
      return { ...state, lines: event.revisions.map((name) => state.lines.find((l) => l.name === name) ?? { name, state: 'waiting' }) };
    case 'revision:start':
      return { ...state, lines: update(state.lines, event.name, { state: 'running' }) };
    case 'revision:done':
      return { ...state, lines: update(state.lines, event.name, { state: 'done', durationMs: event.durationMs }) };
    case 'revision:failed':
      return {
        ...state,
        lines: update(state.lines, event.name, {
          state: 'failed',
          statement: event.statement,
          message: [event.message, ...event.details].join('\n'),
          hint: event.hint,
        }),
      };
    case 'run:stopped':
      return { ...state, lines: state.lines.map((l) => (event.remaining.includes(l.name) ? { ...l, state: 'not-run' } : l)) };
    default:
      return state;
  }
}

export function runReducer(state: RunState, action: RunAction): RunState {
  switch (action.type) {
    case 'start':
      return {
        ...idleRun,
        phase: 'locking',
        direction: action.direction,
        target: action.target,
        lines: action.planned.map((name) => ({ name, state: 'waiting' })),
      };
    case 'event':
      return onEvent(state, action.event);
    case 'stop':
      return isRunning(state) ? { ...state, phase: 'stopping' } : state;
    case 'finished': {
      const { result } = action;
      const lines = state.lines.map((l): RunLine => (l.state === 'waiting' || l.state === 'running' ? { ...l, state: 'not-run' } : l));
      const phase: RunPhase = result.failed ? 'failed' : result.stopped ? 'stopped' : 'done';
      const brokenBeforeStart = result.failed && !lines.some((l) => l.state === 'failed');
      return {
        ...state,
        lines,
        phase,
        durationMs: result.durationMs,
        exitCode: result.failed ? 1 : 0,
        ...(brokenBeforeStart ? { error: result.failed!.message, hint: result.failed!.hint } : {}),
      };
    }
    case 'crashed': {
      const { line, hint } = errorText(action.error);
      return {
        ...state,
        phase: 'error',
        lines: state.lines.map((l) => (l.state === 'waiting' ? { ...l, state: 'not-run' } : l)),
        error: line,
        hint,
        exitCode: exitCodeOf(action.error),
      };
    }
  }
}

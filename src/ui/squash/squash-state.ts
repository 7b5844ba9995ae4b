import type { Squash, SquashStep } from '../../authoring/squash.js';

/** Where a squash from the timeline is: drafted on a scratch database, asked, written and proven (or refused). */
export type SquashPhase = 'drafting' | 'asking' | 'writing' | 'proven' | 'refused' | 'failed';

export interface SquashState {
  phase: SquashPhase;
  /** The steps started so far, in order. */
  steps: SquashStep[];
  /** The dry run's file, shown before the question. */
  draft?: Squash;
  /** The written and proven squash. */
  written?: Squash;
  /** Why it was refused or failed: one line, a hint, and the schema differences of a proof that failed. */
  error?: { line: string; hint?: string; changes: string[] };
}

export type SquashAction =
  | { type: 'step'; step: SquashStep }
  | { type: 'drafted'; draft: Squash }
  | { type: 'write' }
  | { type: 'written'; squash: Squash }
  | { type: 'refused' | 'failed'; line: string; hint?: string; changes?: string[] };

export const INITIAL_SQUASH: SquashState = { phase: 'drafting', steps: [] };

export function squashReducer(state: SquashState, action: SquashAction): SquashState {
  switch (action.type) {
    case 'step':
      return { ...state, steps: [...state.steps, action.step] };
    case 'drafted':
      return state.phase === 'drafting' ? { ...state, phase: 'asking', draft: action.draft } : state;
    case 'write':
      // y counts once: a second y while it writes (or after) does nothing.
      return state.phase === 'asking' ? { ...state, phase: 'writing', steps: [] } : state;
    case 'written':
      return { ...state, phase: 'proven', written: action.squash };
    case 'refused':
    case 'failed':
      return { ...state, phase: action.type, error: { line: action.line, hint: action.hint, changes: action.changes ?? [] } };
  }
}

/** True once nothing more can happen on the screen but going back. */
export const squashFinished = (state: SquashState) => state.phase === 'proven' || state.phase === 'refused' || state.phase === 'failed';

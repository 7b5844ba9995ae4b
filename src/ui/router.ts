import { useReducer } from 'react';
import type { Direction, Plan } from '../core/index.js';
import type { WrittenRevision } from '../authoring/session.js';
import type { SquashPlan } from '../authoring/squash.js';
import type { ProofRequest } from './proof/use-proof.js';

/** A screen of the app. New screens (authoring wizard, data-migration watch) add a variant here and a case in the app. */
export type Screen =
  | { name: 'timeline' }
  | { name: 'details'; key: string }
  | { name: 'confirm'; direction: Direction; target: string; plan: Plan }
  | { name: 'run' }
  /** `s`: the records a stamp writes (up) or forgets (down), asked before anything is written. */
  | { name: 'stamp'; target: string; plan: Plan }
  /** `S`: one revision replacing the range from the marked revision to the selected one, shown, asked, written and proven. */
  | { name: 'squash'; plan: SquashPlan }
  /** Data migrations of every process, with their bars (`w`, or `migrate-ui watch` in a terminal). */
  | { name: 'watch' }
  /** Every target of the fleet file (`F`, or `migrate-ui fleet` in a terminal); `enter` opens a target's own timeline. */
  | { name: 'fleet' }
  /** `u` on the fleet screen: how many targets and revisions fleet up would run, asked before anything runs. */
  | { name: 'fleet-confirm' }
  /** The authoring form: a new revision (its name typed on the command line, maybe), or a pending one reopened. */
  | { name: 'form'; initialName?: string; reopen?: WrittenRevision }
  /** verify (`v`) of a range, or diff (space, then `=`) of two revisions, run on a scratch database. */
  | { name: 'proof'; request: ProofRequest };

/** A dialog over the screen: it takes every key until it closes. */
export type Dialog = 'help' | 'quit' | null;

export interface RouterState {
  stack: Screen[];
  dialog: Dialog;
}

export type RouterAction =
  | { type: 'push'; screen: Screen }
  | { type: 'replace'; screen: Screen }
  | { type: 'back' }
  | { type: 'dialog'; dialog: Dialog };

export function routerReducer(state: RouterState, action: RouterAction): RouterState {
  switch (action.type) {
    case 'push':
      return { ...state, stack: [...state.stack, action.screen] };
    case 'replace':
      return { ...state, stack: [...state.stack.slice(0, -1), action.screen] };
    case 'back':
      // The timeline is the bottom of the stack: going back from it does nothing (esc never quits).
      return state.stack.length > 1 ? { ...state, stack: state.stack.slice(0, -1) } : state;
    case 'dialog':
      return { ...state, dialog: action.dialog };
  }
}

/** The router; `start` opens a screen over the timeline at once (`migrate-ui new NAME` or `watch` in a terminal). */
export function useRouter(start?: Screen) {
  const [state, dispatch] = useReducer(routerReducer, { stack: [{ name: 'timeline' }, ...(start ? [start] : [])], dialog: null });
  return { screen: state.stack[state.stack.length - 1], dialog: state.dialog, dispatch };
}

import { useCallback, useReducer, useRef } from 'react';

/** The timeline list: which row is selected (by key, so refreshes never lose it), where the window starts, the filter. */
export interface ListState {
  /** Null until the person moves: then the current revision is the selection. */
  selected: string | null;
  /** Index of the selection when it was last placed: where to land if its row disappears. */
  index: number;
  offset: number;
  filter: string;
  editing: boolean;
}

/** What the list looks like now: the row keys in order, the key selected before any move, the window height. */
export interface ListView {
  keys: string[];
  initial: string;
  height: number;
}

export type ListAction =
  | { type: 'move'; by: number; view: ListView }
  | { type: 'jump'; to: 'first' | 'last'; view: ListView }
  | { type: 'filter-open' }
  /** `keys`: the rows the new filter leaves; the selection moves to the first of them when its own row is filtered out. */
  | { type: 'filter-text'; text: string; keys: string[] }
  | { type: 'filter-keep' }
  | { type: 'filter-clear' }
  /** Selects a row by key (a revision just written), clearing a filter that would hide it. */
  | { type: 'select'; key: string };

export const initialList: ListState = { selected: null, index: 0, offset: 0, filter: '', editing: false };

/** Where the selection is in `keys`: its own index, or the nearest one when its row went away. */
export function selectedIndex(state: ListState, view: Pick<ListView, 'keys' | 'initial'>): number {
  const { keys } = view;
  if (keys.length === 0) return -1;
  const found = keys.indexOf(state.selected ?? view.initial);
  return found >= 0 ? found : Math.min(Math.max(0, state.index), keys.length - 1);
}

/** The first visible row: moved only as far as needed to keep `index` on screen. */
export function windowStart(offset: number, index: number, height: number, total: number): number {
  const h = Math.max(1, height);
  let start = offset;
  if (index < start) start = index;
  if (index >= start + h) start = index - h + 1;
  return Math.max(0, Math.min(start, total - h));
}

/**
 * The first visible row now. Before the person moves, the window opens on the selection (the current revision) and
 * what comes after it: the pending revisions below stay in view, with a few rows of context above.
 */
export function shownStart(state: ListState, view: Pick<ListView, 'keys' | 'initial' | 'height'>): number {
  const index = Math.max(0, selectedIndex(state, view));
  const { height, keys } = view;
  if (state.selected !== null) return windowStart(state.offset, index, height, keys.length);
  return Math.max(0, Math.min(index - Math.floor(Math.max(1, height) / 4), keys.length - Math.max(1, height)));
}

function place(state: ListState, index: number, view: ListView): ListState {
  const { keys, height } = view;
  if (keys.length === 0) return state;
  const i = Math.max(0, Math.min(index, keys.length - 1));
  const start = shownStart(state, view);
  return { ...state, selected: keys[i], index: i, offset: windowStart(start, i, height, keys.length) };
}

export function listReducer(state: ListState, action: ListAction): ListState {
  switch (action.type) {
    case 'move':
      return place(state, selectedIndex(state, action.view) + action.by, action.view);
    case 'jump':
      return place(state, action.to === 'first' ? 0 : action.view.keys.length - 1, action.view);
    case 'filter-open':
      return { ...state, editing: true };
    case 'filter-text': {
      const kept = state.selected !== null && action.keys.includes(state.selected);
      return { ...state, filter: action.text, offset: 0, ...(kept || action.keys.length === 0 ? {} : { selected: action.keys[0], index: 0 }) };
    }
    case 'filter-keep':
      return { ...state, editing: false };
    case 'filter-clear':
      return { ...state, editing: false, filter: '', offset: 0 };
    case 'select':
      return { ...state, selected: action.key, editing: false, filter: '' };
  }
}

/** The list state, plus `latest`: the state after every action dispatched so far, for keys read before the next render. */
export function useListState() {
  const [state, dispatchReact] = useReducer(listReducer, initialList);
  const latest = useRef(state);
  const dispatch = useCallback((action: ListAction) => {
    latest.current = listReducer(latest.current, action);
    dispatchReact(action);
  }, []);
  return { state, dispatch, latest };
}

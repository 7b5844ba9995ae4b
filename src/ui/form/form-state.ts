import { useCallback, useReducer, useRef } from 'react';
import { type FormRecord, records, text, type Value, visibleFields } from './fields.js';
import { editLine, type LineEdit } from './text-edit.js';

/** A record of the draft: an operation, or an item (a column, an assignment) of one of its list fields. */
export interface RecordPath {
  op: number;
  item?: { field: string; index: number };
}

/** One level of the form; `esc` steps back to the one below it. */
export type Frame =
  /** `cursor` of a text field (the name, or a record's focused text field): characters between it and the end. */
  | { at: 'name'; cursor: number }
  | { at: 'operations'; selected: number }
  | { at: 'menu'; selected: number }
  /** `cursor`: a multi-choice's highlighted choice, or a text field's cursor (as the name's). */
  | { at: 'record'; path: RecordPath; focus: number; cursor: number }
  | { at: 'items'; op: number; field: string; selected: number }
  | { at: 'preview' }
  | { at: 'discard' };

/** What `u` brings back: the draft and where the person was when it changed. */
type Before = Pick<FormState, 'name' | 'operations' | 'stack'>;

/** The revision being written: its name, its operations as typed, and where the person is. */
export interface FormState {
  name: string;
  operations: FormRecord[];
  stack: Frame[];
  /** The draft before each edit, the latest last (undo); typing into one field is one edit. */
  past: Before[];
  /** The field being typed into, while the keys typed there make one edit. */
  typing?: string;
}

const UNDO_DEPTH = 200;

export type FormAction =
  | { type: 'name'; text: string }
  /** A key typed into the focused text field (the name, or a record's): at its cursor. */
  | { type: 'edit-text'; edit: LineEdit }
  | { type: 'undo' }
  | { type: 'push'; frame: Frame }
  | { type: 'back' }
  /** Appends a record (to the operations, or to a list field of one) and opens it. */
  | { type: 'add'; record: FormRecord; into?: { op: number; field: string } }
  | { type: 'set'; path: RecordPath; key: string; value: Value }
  | { type: 'set-many'; path: RecordPath; values: Record<string, Value> }
  | { type: 'remove'; index: number }
  | { type: 'move'; index: number; by: number }
  | { type: 'select'; by: number; count: number }
  | { type: 'select-at'; index: number; count: number }
  | { type: 'focus'; to: number; cursor?: number }
  | { type: 'cursor'; to: number };

export function initialForm(name: string, operations: FormRecord[] = []): FormState {
  return {
    name,
    operations,
    stack: [{ at: 'name', cursor: 0 }, ...(operations.length > 0 ? [{ at: 'operations', selected: 0 } as Frame] : [])],
    past: [],
  };
}

export function currentFrame(state: FormState): Frame {
  return state.stack[state.stack.length - 1];
}

/** The record at `path`, if it is there. */
export function recordAt(state: FormState, path: RecordPath): FormRecord | undefined {
  const operation = state.operations[path.op];
  if (!operation || !path.item) return operation;
  return records(operation.values[path.item.field])[path.item.index];
}

function updateRecord(state: FormState, path: RecordPath, update: (r: FormRecord) => FormRecord): FormState {
  const operations = state.operations.map((operation, i) => {
    if (i !== path.op) return operation;
    if (!path.item) return update(operation);
    const { field, index } = path.item;
    const items = records(operation.values[field]).map((item, j) => (j === index ? update(item) : item));
    return { ...operation, values: { ...operation.values, [field]: items } };
  });
  return { ...state, operations };
}

/** The records a list frame shows, and how to change them: the operations, or an operation's list field. */
function listOf(state: FormState, frame: Frame): { items: FormRecord[]; put: (items: FormRecord[]) => FormState } | undefined {
  if (frame.at === 'operations') return { items: state.operations, put: (operations) => ({ ...state, operations }) };
  if (frame.at !== 'items') return undefined;
  const items = records(state.operations[frame.op]?.values[frame.field]);
  return {
    items,
    put: (next) => updateRecord(state, { op: frame.op }, (r) => ({ ...r, values: { ...r.values, [frame.field]: next } })),
  };
}

function withTop(state: FormState, frame: Frame): FormState {
  return { ...state, stack: [...state.stack.slice(0, -1), frame] };
}

const EDITS = new Set<FormAction['type']>(['name', 'edit-text', 'add', 'set', 'set-many', 'remove', 'move']);

/** The form after one action; every edit of the draft can be taken back with `undo`. */
export function formReducer(state: FormState, action: FormAction): FormState {
  if (action.type === 'undo') {
    const before = state.past.at(-1);
    return before ? { ...before, past: state.past.slice(0, -1) } : state;
  }
  const next = step(state, action);
  if (!EDITS.has(action.type)) return next.typing === undefined || action.type === 'cursor' ? next : { ...next, typing: undefined };
  if (next.name === state.name && next.operations === state.operations) return next;
  const typing = (action.type === 'edit-text' && action.edit.type === 'insert') || action.type === 'name' ? fieldOf(currentFrame(state)) : undefined;
  if (typing !== undefined && typing === state.typing) return next;
  const before: Before = { name: state.name, operations: state.operations, stack: state.stack };
  return { ...next, typing, past: [...state.past.slice(-UNDO_DEPTH + 1), before] };
}

/** Which text field a frame types into, the cursor left out: characters typed there one after another are one edit. */
function fieldOf(frame: Frame): string {
  return frame.at === 'record' ? JSON.stringify([frame.path, frame.focus]) : frame.at;
}

/** The text field that has focus, as a line with its cursor, and how to put an edited line back. */
function focusedLine(state: FormState): { text: string; cursor: number; put: (text: string, cursor: number) => FormState } | undefined {
  const top = currentFrame(state);
  if (top.at === 'name') return { text: state.name, cursor: top.cursor, put: (name, cursor) => withTop({ ...state, name }, { ...top, cursor }) };
  if (top.at !== 'record') return undefined;
  const record = recordAt(state, top.path);
  const fields = record ? visibleFields(record) : [];
  const field = fields[Math.min(top.focus, fields.length - 1)];
  if (!record || field?.kind !== 'text') return undefined;
  return {
    text: text(record.values[field.key]),
    cursor: top.cursor,
    put: (typed, cursor) => {
      const changed =
        typed === text(record.values[field.key])
          ? state
          : updateRecord(state, top.path, (r) => ({ ...r, values: { ...r.values, [field.key]: typed } }));
      return withTop(changed, { ...top, cursor });
    },
  };
}

function step(state: FormState, action: Exclude<FormAction, { type: 'undo' }>): FormState {
  const top = currentFrame(state);
  switch (action.type) {
    case 'edit-text': {
      const line = focusedLine(state);
      if (!line) return state;
      const edited = editLine({ text: line.text, back: line.cursor }, action.edit);
      return line.put(edited.text, edited.back);
    }
    case 'name':
      return { ...state, name: action.text };
    case 'push':
      return { ...state, stack: [...state.stack, action.frame] };
    case 'back':
      return state.stack.length > 1 ? { ...state, stack: state.stack.slice(0, -1) } : state;
    case 'add': {
      if (!action.into) {
        const op = state.operations.length;
        // The menu the kind was picked from gives way to the new record; back from it lands on the list.
        const stack = top.at === 'menu' ? state.stack.slice(0, -1) : state.stack;
        const listed = stack.map((f) => (f.at === 'operations' ? { ...f, selected: op } : f));
        const record: Frame = { at: 'record', path: { op }, focus: 0, cursor: 0 };
        return { ...state, operations: [...state.operations, action.record], stack: [...listed, record] };
      }
      const { op, field } = action.into;
      const index = records(state.operations[op]?.values[field]).length;
      const next = updateRecord(state, { op }, (r) => ({ ...r, values: { ...r.values, [field]: [...records(r.values[field]), action.record] } }));
      const stack = next.stack.map((f) => (f.at === 'items' && f.op === op && f.field === field ? { ...f, selected: index } : f));
      return { ...next, stack: [...stack, { at: 'record', path: { op, item: { field, index } }, focus: 0, cursor: 0 }] };
    }
    case 'set':
      return updateRecord(state, action.path, (r) => ({ ...r, values: { ...r.values, [action.key]: action.value } }));
    case 'set-many':
      return updateRecord(state, action.path, (r) => ({ ...r, values: { ...r.values, ...action.values } }));
    case 'remove': {
      const list = listOf(state, top);
      if (!list?.items[action.index]) return state;
      const next = list.put(list.items.filter((_, i) => i !== action.index));
      const selected = Math.max(0, Math.min(action.index, list.items.length - 2));
      return withTop(next, { ...(top as Extract<Frame, { selected: number }>), selected });
    }
    case 'move': {
      const list = listOf(state, top);
      const to = action.index + action.by;
      if (!list?.items[action.index] || to < 0 || to >= list.items.length) return state;
      const items = [...list.items];
      [items[action.index], items[to]] = [items[to], items[action.index]];
      return withTop(list.put(items), { ...(top as Extract<Frame, { selected: number }>), selected: to });
    }
    case 'select':
    case 'select-at': {
      if (!('selected' in top)) return state;
      const wanted = action.type === 'select' ? top.selected + action.by : action.index;
      const selected = Math.max(0, Math.min(wanted, action.count - 1));
      return withTop(state, { ...top, selected });
    }
    case 'focus':
      return top.at === 'record' ? withTop(state, { ...top, focus: action.to, cursor: action.cursor ?? 0 }) : state;
    case 'cursor':
      return top.at === 'record' || top.at === 'name' ? withTop(state, { ...top, cursor: action.to }) : state;
  }
}

/** True when there is something to lose: a name typed, an operation there, or any edit (a reopened revision emptied). */
export function hasDraft(state: FormState, initialName: string): boolean {
  return state.operations.length > 0 || (state.name !== '' && state.name !== initialName) || state.past.length > 0;
}

/** The form's state, plus `latest`: the state after every action so far, for keys read before the next render. */
export function useFormState(initial: () => FormState) {
  const [state, dispatchReact] = useReducer(formReducer, undefined, initial);
  const latest = useRef(state);
  const dispatch = useCallback((action: FormAction) => {
    latest.current = formReducer(latest.current, action);
    dispatchReact(action);
  }, []);
  return { state, dispatch, latest };
}

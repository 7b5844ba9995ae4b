import type { RefObject } from 'react';
import type { SchemaSnapshot } from '../../authoring/snapshot.js';
import { OPERATION_NAMES } from '../../authoring/ops/index.js';
import { revisionNameProblem } from '../../authoring/validate.js';
import type { ContextKeys } from '../keys/context-keys.js';
import type { Flag } from '../keys/keymap.js';
import { blankRecord, type FormRecord, list, records, text, visibleFields } from './fields.js';
import { currentFrame, type FormAction, type FormState, hasDraft, type RecordPath, recordAt } from './form-state.js';
import { choiceContext, withValue } from './record-edit.js';
import type { LineEdit } from './text-edit.js';
import type { TypeAhead } from './type-ahead.js';

export interface FormKeyActions {
  /** Leaves the form (nothing written). */
  leave: () => void;
  help: () => void;
  /** Why the revision cannot be written now, or null when it can. */
  notReady: () => string | null;
  write: () => void;
  say: (text: string) => void;
  tab: (by: number) => void;
  scroll: (by: 'page-up' | 'page-down') => void;
}

type FormContexts = Record<'form-list' | 'form-menu' | 'form-field' | 'text-input' | 'form-write' | 'form-discard' | 'form-preview', ContextKeys>;

/** What each of the form's key contexts does now; every handler reads the latest state, so fast keys act in order. */
export function formKeys(
  latest: RefObject<FormState>,
  dispatch: (action: FormAction) => void,
  snapshot: SchemaSnapshot | null,
  initialName: string,
  act: FormKeyActions,
  ready: boolean,
  typeAhead: TypeAhead,
): FormContexts {
  const state = () => latest.current;
  const frame = () => currentFrame(state());
  const focused = () => {
    const f = frame();
    if (f.at !== 'record') return undefined;
    const record = recordAt(state(), f.path);
    if (!record) return undefined;
    const fields = visibleFields(record);
    return { frame: f, record, fields, field: fields[Math.min(f.focus, fields.length - 1)] };
  };
  const ctx = (path: RecordPath) => (snapshot ? choiceContext(state(), snapshot, path) : undefined);
  const set = (path: RecordPath, record: FormRecord, key: string, value: string | string[]) => {
    const c = ctx(path);
    dispatch(c ? { type: 'set-many', path, values: withValue(record, key, value, c) } : { type: 'set', path, key, value });
    // A field that shows up or goes (a string's length after the type changed) must not move the focus off this one.
    const now = focused();
    const at = now ? visibleFields(now.record).findIndex((f) => f.key === key) : -1;
    if (now && at >= 0 && at !== now.frame.focus) dispatch({ type: 'focus', to: at, cursor: now.frame.cursor });
  };
  const moveField = (by: number) => {
    const at = focused();
    if (!at) return;
    const to = at.frame.focus + by;
    if (to >= at.fields.length) dispatch({ type: 'back' });
    else dispatch({ type: 'focus', to: Math.max(0, to) });
  };
  const edit = (e: LineEdit['type']) => () => dispatch({ type: 'edit-text', edit: { type: e } as LineEdit });
  const undo = () => dispatch({ type: 'undo' });
  const menuTo = (action: FormAction) => {
    typeAhead.reset();
    dispatch(action);
  };
  const nameDone = () => {
    const problem = revisionNameProblem(state().name);
    if (problem) return act.say(`the name: ${problem}`);
    dispatch({ type: 'push', frame: { at: 'operations', selected: 0 } });
    if (state().operations.length === 0) dispatch({ type: 'push', frame: { at: 'menu', selected: 0 } });
  };
  const leaveStep = () => {
    if (frame().at !== 'name') return dispatch({ type: 'back' });
    if (hasDraft(state(), initialName)) dispatch({ type: 'push', frame: { at: 'discard' } });
    else act.leave();
  };
  /** Moves a choice field by `by` (or to choice `to`): a single choice is taken, a multi-choice's cursor moves. */
  const choose = (by: number, to?: number) => {
    const at = focused();
    const c = at && ctx(at.frame.path);
    if (!at?.field || !c) return;
    const choices = at.field.choices?.(c) ?? [];
    const from = at.field.kind === 'multi' ? at.frame.cursor : choices.indexOf(text(at.record.values[at.field.key]));
    const index = Math.max(0, Math.min(to ?? from + by, choices.length - 1));
    if (at.field.kind === 'multi') return dispatch({ type: 'cursor', to: index });
    if (choices[index] !== undefined) set(at.frame.path, at.record, at.field.key, choices[index]);
  };
  const move = (by: number, to?: number) => {
    typeAhead.reset();
    choose(by, to);
  };
  const chooseTyped = (letter: string) => {
    const at = focused();
    const c = at && ctx(at.frame.path);
    const found = at?.field && c ? typeAhead.pick(at.field.choices?.(c) ?? [], letter) : -1;
    if (found >= 0) choose(0, found);
  };
  const openList = (op: number, field: string) => {
    dispatch({ type: 'push', frame: { at: 'items', op, field, selected: 0 } });
    if (records(state().operations[op]?.values[field]).length === 0) addItem(op, field);
  };
  const addItem = (op: number, field: string) => {
    const operation = state().operations[op];
    const of = visibleFields(operation).find((f) => f.key === field)?.of;
    const c = ctx({ op });
    if (!of || !c) return;
    dispatch({ type: 'add', record: blankRecord(of, { schema: c.schema, parent: operation.values }), into: { op, field } });
  };
  const listItems = () => {
    const f = frame();
    if (f.at === 'operations') return state().operations;
    return f.at === 'items' ? records(state().operations[f.op]?.values[f.field]) : [];
  };
  const selected = () => {
    const f = frame();
    return 'selected' in f ? f.selected : 0;
  };
  // Asked at each key, from the latest state: keys typed faster than the screen redraws reach the field they are for.
  const at = () => frame().at;
  const kind = () => focused()?.field?.kind;
  const flags = new Set<Flag>(ready ? ['ready'] : []);
  return {
    'text-input': {
      isActive: () => at() === 'name' || kind() === 'text',
      handlers: {
        submit: () => (frame().at === 'name' ? nameDone() : moveField(1)),
        'next-field': () => (frame().at === 'name' ? nameDone() : moveField(1)),
        'previous-field': () => moveField(-1),
        leave: leaveStep,
        erase: edit('erase'),
        'cursor-left': edit('left'),
        'cursor-right': edit('right'),
        'cursor-home': edit('home'),
        'cursor-end': edit('end'),
        'word-left': edit('word-left'),
        'word-right': edit('word-right'),
        'kill-before': edit('kill-before'),
        'kill-after': edit('kill-after'),
        'kill-word': edit('kill-word'),
        undo,
      },
      onText: (typed) => dispatch({ type: 'edit-text', edit: { type: 'insert', text: typed } }),
    },
    'form-field': {
      isActive: () => kind() !== undefined && kind() !== 'text',
      flags: new Set<Flag>(kind() === 'multi' ? ['several'] : []),
      handlers: {
        up: () => move(-1),
        down: () => move(1),
        first: () => move(0, 0),
        last: () => move(0, Number.MAX_SAFE_INTEGER),
        undo,
        toggle: () => {
          const field = focused();
          const c = field && ctx(field.frame.path);
          if (!field?.field || !c || field.field.kind !== 'multi') return;
          const choice = field.field.choices?.(c)[field.frame.cursor];
          if (choice === undefined) return;
          const taken = list(field.record.values[field.field.key]);
          const next = taken.includes(choice) ? taken.filter((t) => t !== choice) : [...taken, choice];
          set(field.frame.path, field.record, field.field.key, next);
        },
        submit: () => {
          const field = focused();
          if (field?.field?.kind === 'list' && !field.frame.path.item) openList(field.frame.path.op, field.field.key);
          else moveField(1);
        },
        'next-field': () => moveField(1),
        'previous-field': () => moveField(-1),
        leave: leaveStep,
        help: act.help,
      },
      // A letter picks the first choice it starts (type-ahead); more letters refine.
      onText: chooseTyped,
    },
    'form-list': {
      isActive: () => at() === 'operations' || at() === 'items',
      flags,
      handlers: {
        up: () => dispatch({ type: 'select', by: -1, count: listItems().length }),
        down: () => dispatch({ type: 'select', by: 1, count: listItems().length }),
        first: () => dispatch({ type: 'select-at', index: 0, count: listItems().length }),
        last: () => dispatch({ type: 'select-at', index: listItems().length - 1, count: listItems().length }),
        undo,
        add: () => {
          const f = frame();
          if (f.at === 'items') addItem(f.op, f.field);
          else dispatch({ type: 'push', frame: { at: 'menu', selected: 0 } });
        },
        edit: () => {
          const f = frame();
          if (listItems().length === 0) return;
          const path: RecordPath = f.at === 'items' ? { op: f.op, item: { field: f.field, index: selected() } } : { op: selected() };
          dispatch({ type: 'push', frame: { at: 'record', path, focus: 0, cursor: 0 } });
        },
        remove: () => dispatch({ type: 'remove', index: selected() }),
        'move-up': () => dispatch({ type: 'move', index: selected(), by: -1 }),
        'move-down': () => dispatch({ type: 'move', index: selected(), by: 1 }),
        write: () => {
          const why = act.notReady();
          if (why) act.say(why);
          else dispatch({ type: 'push', frame: { at: 'preview' } });
        },
        back: leaveStep,
        help: act.help,
      },
    },
    'form-menu': {
      isActive: () => at() === 'menu',
      handlers: {
        up: () => menuTo({ type: 'select', by: -1, count: OPERATION_NAMES.length }),
        down: () => menuTo({ type: 'select', by: 1, count: OPERATION_NAMES.length }),
        first: () => menuTo({ type: 'select-at', index: 0, count: OPERATION_NAMES.length }),
        last: () => menuTo({ type: 'select-at', index: OPERATION_NAMES.length - 1, count: OPERATION_NAMES.length }),
        undo,
        submit: () => {
          const c = ctx({ op: state().operations.length });
          if (c) dispatch({ type: 'add', record: blankRecord(OPERATION_NAMES[selected()], { schema: c.schema }) });
        },
        back: leaveStep,
        help: act.help,
      },
      // Type-ahead: `ad` selects addColumn; a letter no operation starts with is left to the keys below.
      onText: (letter) => {
        const found = typeAhead.pick(OPERATION_NAMES, letter);
        if (found >= 0) dispatch({ type: 'select-at', index: found, count: OPERATION_NAMES.length });
        return found >= 0;
      },
    },
    'form-write': {
      isActive: () => at() === 'preview',
      flags,
      handlers: { confirm: act.write, cancel: () => dispatch({ type: 'back' }), help: act.help },
    },
    'form-discard': {
      isActive: () => at() === 'discard',
      handlers: { confirm: act.leave, cancel: () => dispatch({ type: 'back' }) },
    },
    'form-preview': {
      isActive: () => at() !== 'discard',
      handlers: {
        // Without a draft ctrl-c is the app's: it quits at once.
        ...(hasDraft(state(), initialName) ? { stop: () => dispatch({ type: 'push', frame: { at: 'discard' } }) } : {}),
        'next-tab': () => act.tab(1),
        'previous-tab': () => act.tab(-1),
        'page-up': () => act.scroll('page-up'),
        'page-down': () => act.scroll('page-down'),
      },
    },
  };
}

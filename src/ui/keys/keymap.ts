import { keyLabel, typesText, type KeyName } from './key-name.js';

/** Where keys are read. Each screen declares the contexts it reads (screen-keys.ts); `text-input` is any focused text field. */
export type Context =
  | 'app'
  | 'global'
  | 'timeline'
  | 'filter'
  | 'text-input'
  | 'details'
  | 'confirm'
  | 'stamp'
  | 'squash'
  | 'run'
  | 'watch'
  | 'fleet'
  | 'fleet-confirm'
  | 'help'
  | 'quit'
  | 'form-list'
  | 'form-menu'
  | 'form-field'
  | 'form-write'
  | 'form-discard'
  | 'form-preview'
  | 'proof';

/** Who reads a key first: an open dialog, then a focused text input, then the screen, then keys of every screen, then the app. */
export const LAYERS = ['dialog', 'input', 'screen', 'global', 'app'] as const;
export type Layer = (typeof LAYERS)[number];

/** Each context's layer, and its heading in the help overlay. An `input` context also takes every printable key as text. */
export const CONTEXTS: Record<Context, { layer: Layer; title: string }> = {
  quit: { layer: 'dialog', title: 'Quit' },
  help: { layer: 'dialog', title: 'Help' },
  filter: { layer: 'input', title: 'While typing a filter' },
  'text-input': { layer: 'input', title: 'While typing' },
  timeline: { layer: 'screen', title: 'Timeline' },
  details: { layer: 'screen', title: 'Details' },
  confirm: { layer: 'screen', title: 'Confirmation' },
  stamp: { layer: 'screen', title: 'Stamp: records only, nothing runs' },
  squash: { layer: 'screen', title: 'Squash: one revision replacing a range' },
  run: { layer: 'screen', title: 'Run' },
  watch: { layer: 'screen', title: 'Watching data migrations' },
  fleet: { layer: 'screen', title: 'Fleet: every target of fleet.json' },
  'fleet-confirm': { layer: 'screen', title: 'Fleet up: asked before anything runs' },
  'form-field': { layer: 'input', title: 'On a choice' },
  'form-list': { layer: 'screen', title: 'A list of operations or columns' },
  'form-menu': { layer: 'screen', title: 'Adding an operation' },
  'form-write': { layer: 'screen', title: 'Writing the revision' },
  'form-discard': { layer: 'screen', title: 'Throwing the draft away' },
  'form-preview': { layer: 'screen', title: 'The preview, anywhere in the form' },
  proof: { layer: 'screen', title: 'Verify and diff' },
  global: { layer: 'global', title: 'Anywhere' },
  app: { layer: 'app', title: 'Always' },
};

/** States that switch a binding on: it acts and shows in the status bar only while its flag is set. */
export type Flag = 'filtered' | 'running' | 'finished' | 'ready' | 'several' | 'data' | 'paused' | 'marked' | 'fleet' | 'target' | 'grid';

export type Command =
  | 'up'
  | 'down'
  | 'first'
  | 'last'
  | 'page-up'
  | 'page-down'
  | 'details'
  | 'upgrade'
  | 'downgrade'
  | 'filter'
  | 'refresh'
  | 'clear-filter'
  | 'keep-filter'
  | 'erase'
  | 'back'
  | 'confirm'
  | 'cancel'
  | 'default'
  | 'help'
  | 'close'
  | 'quit'
  | 'stop'
  | 'leave'
  | 'submit'
  | 'next-field'
  | 'previous-field'
  | 'new-revision'
  | 'reopen'
  | 'add'
  | 'edit'
  | 'remove'
  | 'move-up'
  | 'move-down'
  | 'write'
  | 'toggle'
  | 'next-tab'
  | 'previous-tab'
  | 'watch'
  | 'fleet'
  | 'open-target'
  | 'cycle-filter'
  | 'left'
  | 'right'
  | 'pause'
  | 'resume'
  | 'cancel-data'
  | 'verify'
  | 'mark'
  | 'diff'
  | 'stamp'
  | 'squash'
  | 'undo'
  | 'cursor-left'
  | 'cursor-right'
  | 'cursor-home'
  | 'cursor-end'
  | 'word-left'
  | 'word-right'
  | 'kill-before'
  | 'kill-after'
  | 'kill-word';

export interface Binding {
  contexts: Context[];
  command: Command;
  keys: KeyName[];
  /** What the key does, for the help overlay. */
  help: string;
  /** Short label for the status bar; bindings without one are listed in help only. Equal hints side by side merge ("↑↓ move"). */
  hint?: string;
  when?: Flag;
  /** In the status bar only while this flag is set (it acts always). */
  showWhen?: Flag;
  /** Left out of the status bar while this flag is set (it still acts). */
  hideWhen?: Flag;
}

const SCROLL: Context[] = ['details', 'confirm', 'stamp', 'squash', 'run', 'help', 'proof', 'fleet-confirm'];

/** The one table of keys: the router, the help overlay and the status bar all read it. New screens add rows and a context. */
export const KEYMAP: Binding[] = [
  { contexts: ['timeline'], command: 'up', keys: ['up', 'k'], help: 'select the previous (older) revision' },
  { contexts: ['timeline'], command: 'down', keys: ['down', 'j'], help: 'select the next (newer) revision' },
  { contexts: ['filter'], command: 'up', keys: ['up'], help: 'select the previous match', hint: 'move' },
  { contexts: ['filter'], command: 'down', keys: ['down'], help: 'select the next match', hint: 'move' },
  { contexts: SCROLL, command: 'up', keys: ['up', 'k'], help: 'scroll up', hint: 'scroll' },
  { contexts: SCROLL, command: 'down', keys: ['down', 'j'], help: 'scroll down', hint: 'scroll' },
  { contexts: ['timeline', ...SCROLL], command: 'first', keys: ['g', 'home'], help: 'go to the top' },
  { contexts: ['timeline', ...SCROLL], command: 'last', keys: ['G', 'end'], help: 'go to the bottom' },
  { contexts: ['timeline', 'filter', ...SCROLL], command: 'page-up', keys: ['pageup'], help: 'one page up' },
  { contexts: ['timeline', 'filter', ...SCROLL], command: 'page-down', keys: ['pagedown'], help: 'one page down' },
  // First in the status bar while a filter hides revisions: how to see them all again.
  { contexts: ['timeline'], command: 'clear-filter', keys: ['esc'], help: 'clear the filter', hint: 'clear filter', when: 'filtered' },
  // A fleet target's timeline: esc goes back to the fleet screen (after a filter is cleared).
  {
    contexts: ['timeline'],
    command: 'back',
    keys: ['esc'],
    help: "on a fleet target's timeline: back to the fleet screen (the target's project closes)",
    hint: 'fleet',
    when: 'target',
  },
  { contexts: ['timeline'], command: 'details', keys: ['enter'], help: 'details: file, up and down SQL, checksum', hint: 'details' },
  {
    contexts: ['timeline', 'details'],
    command: 'upgrade',
    keys: ['u'],
    help: 'upgrade: apply pending revisions up to the selected one',
    hint: 'upgrade',
  },
  {
    contexts: ['timeline', 'details'],
    command: 'downgrade',
    keys: ['d'],
    help: 'downgrade: revert every revision after the selected one (it becomes current)',
    hint: 'downgrade',
  },
  { contexts: ['timeline'], command: 'filter', keys: ['/'], help: 'filter by name, state or kind', hint: 'filter' },
  {
    contexts: ['timeline'],
    command: 'new-revision',
    keys: ['n'],
    help: 'new revision: build it in the form, with a live preview',
    hint: 'new',
    hideWhen: 'filtered',
  },
  {
    contexts: ['timeline'],
    command: 'reopen',
    keys: ['e'],
    help: 'edit the selected pending revision in the form (one the form or new --spec wrote)',
    hint: 'edit',
  },
  { contexts: ['timeline'], command: 'watch', keys: ['w'], help: 'watch data migrations, running here or in any other process', hint: 'watch' },
  { contexts: ['timeline'], command: 'refresh', keys: ['r'], help: 're-read the files and the database now', hint: 'refresh' },
  {
    contexts: ['timeline'],
    command: 'fleet',
    keys: ['F'],
    help: 'fleet: every target of fleet.json, its state, and fleet up (with fleet.json beside the config, or a fleet the config exports)',
    hint: 'fleet',
    when: 'fleet',
  },
  {
    contexts: ['timeline', 'details'],
    command: 'verify',
    keys: ['v'],
    help: 'verify: prove the selected revision (from the marked one, with space) reversible on a scratch database',
    hint: 'verify',
  },
  { contexts: ['timeline'], command: 'mark', keys: [' '], help: 'mark the selected revision (space again on it clears the mark)', hint: 'mark' },
  { contexts: ['timeline'], command: 'diff', keys: ['='], help: 'diff: the schema at the marked revision against the selected one', hint: 'diff' },
  // In the status bar only while a revision is marked (it says how to use it otherwise); then before s, which may not fit.
  {
    contexts: ['timeline'],
    command: 'squash',
    keys: ['S'],
    help: 'squash: one revision replacing the range from the marked revision (space) to the selected one; shows the file, asks, writes and proves it',
    hint: 'squash',
    showWhen: 'marked',
  },
  {
    contexts: ['timeline'],
    command: 'stamp',
    keys: ['s'],
    help: 'stamp: record up to the selected revision as applied, or on an applied one forget the records after it; nothing runs',
    hint: 'stamp',
  },
  { contexts: ['proof'], command: 'back', keys: ['esc'], help: 'back to the timeline', hint: 'back' },
  { contexts: ['filter'], command: 'keep-filter', keys: ['enter'], help: 'keep the filter, back to the list', hint: 'keep' },
  { contexts: ['filter'], command: 'clear-filter', keys: ['esc'], help: 'clear the filter, back to the list', hint: 'clear' },
  { contexts: ['filter'], command: 'erase', keys: ['backspace'], help: 'erase the last character' },
  { contexts: ['text-input'], command: 'submit', keys: ['enter'], help: 'done with this field', hint: 'done' },
  { contexts: ['text-input'], command: 'leave', keys: ['esc'], help: 'leave the field, one step back', hint: 'back' },
  { contexts: ['text-input'], command: 'next-field', keys: ['tab'], help: 'the next field', hint: 'next' },
  { contexts: ['text-input'], command: 'previous-field', keys: ['shift-tab'], help: 'the previous field' },
  { contexts: ['text-input'], command: 'erase', keys: ['backspace'], help: 'erase the character before the cursor' },
  { contexts: ['text-input'], command: 'cursor-left', keys: ['left'], help: 'move the cursor left' },
  { contexts: ['text-input'], command: 'cursor-right', keys: ['right'], help: 'move the cursor right' },
  { contexts: ['text-input'], command: 'cursor-home', keys: ['home', 'ctrl-a'], help: 'move the cursor to the start' },
  { contexts: ['text-input'], command: 'cursor-end', keys: ['end', 'ctrl-e'], help: 'move the cursor to the end' },
  { contexts: ['text-input'], command: 'word-left', keys: ['alt-left', 'ctrl-left', 'alt-b'], help: 'one word left' },
  { contexts: ['text-input'], command: 'word-right', keys: ['alt-right', 'ctrl-right', 'alt-f'], help: 'one word right' },
  { contexts: ['text-input'], command: 'kill-before', keys: ['ctrl-u'], help: 'erase from the start to the cursor' },
  { contexts: ['text-input'], command: 'kill-after', keys: ['ctrl-k'], help: 'erase from the cursor to the end' },
  { contexts: ['text-input'], command: 'kill-word', keys: ['ctrl-w'], help: 'erase the word before the cursor' },
  { contexts: ['form-field'], command: 'up', keys: ['up'], help: 'the previous choice (or type its first letters)', hint: 'choose' },
  { contexts: ['form-field'], command: 'down', keys: ['down'], help: 'the next choice', hint: 'choose' },
  {
    contexts: ['form-field'],
    command: 'toggle',
    keys: [' '],
    help: 'take or leave the highlighted column (where several can be taken)',
    hint: 'take',
    when: 'several',
  },
  { contexts: ['form-field'], command: 'submit', keys: ['enter'], help: 'done with this field (a list of columns opens)', hint: 'done' },
  { contexts: ['form-field'], command: 'first', keys: ['home'], help: 'the first choice' },
  { contexts: ['form-field'], command: 'last', keys: ['end'], help: 'the last choice' },
  { contexts: ['form-field'], command: 'next-field', keys: ['tab'], help: 'the next field', hint: 'next' },
  { contexts: ['form-field'], command: 'previous-field', keys: ['shift-tab'], help: 'the previous field' },
  { contexts: ['form-field'], command: 'leave', keys: ['esc'], help: 'one step back; nothing typed is lost', hint: 'back' },
  { contexts: ['form-menu'], command: 'up', keys: ['up', 'k'], help: 'select the previous one', hint: 'move' },
  { contexts: ['form-menu'], command: 'down', keys: ['down', 'j'], help: 'select the next one', hint: 'move' },
  { contexts: ['form-list'], command: 'up', keys: ['up', 'k'], help: 'select the previous one' },
  { contexts: ['form-list'], command: 'down', keys: ['down', 'j'], help: 'select the next one' },
  { contexts: ['form-list', 'form-menu'], command: 'first', keys: ['g', 'home'], help: 'select the first one' },
  { contexts: ['form-list', 'form-menu'], command: 'last', keys: ['G', 'end'], help: 'select the last one' },
  { contexts: ['form-menu'], command: 'submit', keys: ['enter'], help: 'add this operation (typing its first letters selects it)', hint: 'add' },
  { contexts: ['form-list'], command: 'add', keys: ['a'], help: 'add one at the end', hint: 'add' },
  { contexts: ['form-list'], command: 'edit', keys: ['enter'], help: 'edit the selected one', hint: 'edit' },
  { contexts: ['form-list'], command: 'remove', keys: ['x'], help: 'remove the selected one (u brings it back)' },
  { contexts: ['form-list', 'form-menu'], command: 'undo', keys: ['u', 'ctrl-z'], help: 'undo the last edit of the draft (x too)' },
  { contexts: ['form-field', 'text-input'], command: 'undo', keys: ['ctrl-z'], help: 'undo the last edit of the draft' },
  { contexts: ['form-list'], command: 'move-up', keys: ['K'], help: 'move the selected one up (it runs earlier)' },
  { contexts: ['form-list'], command: 'move-down', keys: ['J'], help: 'move the selected one down (it runs later)' },
  {
    contexts: ['form-list'],
    command: 'write',
    keys: ['w'],
    help: 'preview and write the revision (says why not while something is invalid)',
    hint: 'write',
    showWhen: 'ready',
  },
  {
    contexts: ['form-write'],
    command: 'confirm',
    keys: ['y'],
    help: 'yes: write the file and edit the entities (once they are drafted)',
    hint: 'write',
    showWhen: 'ready',
  },
  { contexts: ['form-write'], command: 'cancel', keys: ['n', 'esc'], help: 'no: back to the operations, nothing written', hint: 'back' },
  // ctrl-c never quits past a draft unasked: it asks first, and ctrl-c on that question quits.
  { contexts: ['form-preview'], command: 'stop', keys: ['ctrl-c'], help: 'asks before throwing a draft away; ctrl-c again quits' },
  { contexts: ['form-discard'], command: 'confirm', keys: ['y'], help: 'throw the draft away, back to the timeline', hint: 'throw away' },
  { contexts: ['form-discard'], command: 'cancel', keys: ['n', 'esc', 'enter'], help: 'keep the draft', hint: 'keep' },
  { contexts: ['form-list', 'form-menu'], command: 'back', keys: ['esc'], help: 'one step back; nothing typed is lost', hint: 'back' },
  { contexts: ['form-list', 'form-menu', 'form-write'], command: 'help', keys: ['?'], help: 'all keys of the form', hint: 'help' },
  { contexts: ['form-field'], command: 'help', keys: ['?'], help: 'all keys of the form' },
  // ← → move a text field's cursor while one has focus; shift-← → switch tabs there too.
  { contexts: ['form-preview'], command: 'previous-tab', keys: ['left', 'shift-left'], help: 'the previous preview tab', hint: 'tabs' },
  {
    contexts: ['form-preview'],
    command: 'next-tab',
    keys: ['right', 'shift-right'],
    help: 'the next preview tab: file, SQL on each database, entities, lint',
    hint: 'tabs',
  },
  { contexts: ['form-preview'], command: 'page-up', keys: ['pageup'], help: 'scroll the preview up' },
  { contexts: ['form-preview'], command: 'page-down', keys: ['pagedown'], help: 'scroll the preview down' },
  { contexts: ['details'], command: 'back', keys: ['esc'], help: 'back to the timeline', hint: 'back' },
  { contexts: ['confirm'], command: 'confirm', keys: ['y'], help: 'yes: run it', hint: 'run', when: 'ready' },
  { contexts: ['confirm'], command: 'cancel', keys: ['n', 'esc'], help: 'no: cancel, nothing runs', hint: 'cancel' },
  {
    contexts: ['confirm'],
    command: 'default',
    keys: ['enter'],
    help: 'the default: run one revision that loses nothing; otherwise cancel (several, or data lost, need y)',
    when: 'ready',
  },
  { contexts: ['stamp'], command: 'confirm', keys: ['y'], help: 'yes: write (or delete) the records shown, under the lock', hint: 'stamp' },
  { contexts: ['stamp'], command: 'cancel', keys: ['n', 'esc', 'enter'], help: 'no: cancel, nothing is recorded', hint: 'cancel' },
  // Before cancel: once the squash is written (or refused), esc and enter only go back.
  {
    contexts: ['squash'],
    command: 'back',
    keys: ['esc', 'enter'],
    help: 'back to the timeline, once it is written or refused',
    hint: 'back',
    when: 'finished',
  },
  {
    contexts: ['squash'],
    command: 'confirm',
    keys: ['y'],
    help: 'yes: write the file shown, then prove it on a scratch database (a file that does not prove is removed)',
    hint: 'write',
    when: 'ready',
  },
  {
    contexts: ['squash'],
    command: 'cancel',
    keys: ['n', 'esc', 'enter'],
    help: 'no: cancel, nothing is written',
    hint: 'cancel',
    hideWhen: 'finished',
  },
  {
    contexts: ['run'],
    command: 'back',
    keys: ['esc', 'enter'],
    help: 'back to where you started, once the run is over',
    hint: 'back',
    showWhen: 'finished',
  },
  { contexts: ['watch'], command: 'up', keys: ['up', 'k'], help: 'select the previous data migration', hint: 'select', when: 'several' },
  { contexts: ['watch'], command: 'down', keys: ['down', 'j'], help: 'select the next data migration', hint: 'select', when: 'several' },
  { contexts: ['run', 'watch'], command: 'resume', keys: ['p'], help: 'resume the paused data migration', hint: 'resume', when: 'paused' },
  {
    contexts: ['run', 'watch'],
    command: 'pause',
    keys: ['p'],
    help: 'pause the data migration after its current batch (p again resumes it), also when another process runs it',
    hint: 'pause',
    when: 'data',
    hideWhen: 'paused',
  },
  {
    contexts: ['run', 'watch'],
    command: 'cancel-data',
    keys: ['c'],
    help: 'cancel the data migration after its current batch; its checkpoint is kept and up continues from there',
    hint: 'cancel',
    when: 'data',
  },
  { contexts: ['watch'], command: 'back', keys: ['esc'], help: 'back to the timeline', hint: 'back' },
  { contexts: ['fleet'], command: 'up', keys: ['up', 'k'], help: 'select the previous target (the row above, in the grid)', hint: 'move' },
  { contexts: ['fleet'], command: 'down', keys: ['down', 'j'], help: 'select the next target (the row below, in the grid)', hint: 'move' },
  { contexts: ['fleet'], command: 'left', keys: ['left', 'h'], help: 'in the grid: the target before', when: 'grid' },
  { contexts: ['fleet'], command: 'right', keys: ['right', 'l'], help: 'in the grid: the target after', when: 'grid' },
  { contexts: ['fleet'], command: 'first', keys: ['g', 'home'], help: 'the first target' },
  { contexts: ['fleet'], command: 'last', keys: ['G', 'end'], help: 'the last target' },
  { contexts: ['fleet'], command: 'page-up', keys: ['pageup'], help: 'one page up' },
  { contexts: ['fleet'], command: 'page-down', keys: ['pagedown'], help: 'one page down' },
  {
    contexts: ['fleet'],
    command: 'open-target',
    keys: ['enter'],
    help: "the selected target's own timeline, with its keys (esc comes back)",
    hint: 'open',
  },
  {
    contexts: ['fleet'],
    command: 'upgrade',
    keys: ['u'],
    help: 'fleet up: every target to head, as migrate-ui fleet up does (asks first, saying how many targets and revisions)',
    hint: 'up all',
  },
  {
    contexts: ['fleet'],
    command: 'cycle-filter',
    keys: ['f'],
    help: 'show all targets, then the pending, failed or running ones only',
    hint: 'filter',
  },
  { contexts: ['fleet'], command: 'refresh', keys: ['r'], help: 'read every target again now (they are read every two seconds)', hint: 'refresh' },
  { contexts: ['fleet'], command: 'back', keys: ['esc'], help: 'back to the timeline of the configured database', hint: 'back' },
  { contexts: ['fleet-confirm'], command: 'confirm', keys: ['y'], help: 'yes: run fleet up on every target', hint: 'run' },
  { contexts: ['fleet-confirm'], command: 'cancel', keys: ['n', 'esc', 'enter'], help: 'no: cancel, nothing runs', hint: 'cancel' },
  // q closes help, as in less, man and htop: quitting from help would throw away what the screen below holds (a draft).
  { contexts: ['help'], command: 'close', keys: ['esc', '?', 'q'], help: 'close this help', hint: 'close' },
  { contexts: ['quit'], command: 'quit', keys: ['q'], help: 'quit', hint: 'quit' },
  { contexts: ['quit'], command: 'confirm', keys: ['y'], help: 'stop after the current revision, then quit', hint: 'quit' },
  { contexts: ['quit'], command: 'cancel', keys: ['n', 'esc', 'enter'], help: 'keep running (or stay, once the run is over)', hint: 'stay' },
  { contexts: ['global'], command: 'help', keys: ['?'], help: 'all keys of this screen', hint: 'help' },
  { contexts: ['global'], command: 'quit', keys: ['q'], help: 'quit (asks while a run is in progress)', hint: 'quit' },
  {
    contexts: ['app'],
    command: 'stop',
    keys: ['ctrl-c'],
    help: 'stop safely and quit: a run stops after its current revision',
    hint: 'stop',
    showWhen: 'running',
  },
];

/** The binding a key has in a context right now, if any. */
export function bindingFor(context: Context, name: KeyName, flags: ReadonlySet<Flag>): Binding | undefined {
  return KEYMAP.find((b) => b.contexts.includes(context) && b.keys.includes(name) && (!b.when || flags.has(b.when)));
}

export interface Hint {
  keys: string;
  label: string;
  /** The command of the (first) binding: the status bar keeps `help` and `quit` whatever its width. */
  command: Command;
}

/** True when `key` never reaches `context`: a context of an earlier layer among `contexts` takes it first. */
function shadowed(key: KeyName, context: Context, contexts: Context[], flags: ReadonlySet<Flag>): boolean {
  const rank = LAYERS.indexOf(CONTEXTS[context].layer);
  return contexts.some((other) => {
    const { layer } = CONTEXTS[other];
    return LAYERS.indexOf(layer) < rank && (bindingFor(other, key, flags) !== undefined || (layer === 'input' && typesText(key)));
  });
}

/**
 * The status bar: hinted bindings of the live contexts, in table order, neighbours with the same hint merged ("↑↓ move").
 * A key another context takes first is left out (while a text input has focus, `q` types a q: no "q quit").
 */
export function statusHints(contexts: Context[], flags: ReadonlySet<Flag>): Hint[] {
  const hints: Hint[] = [];
  for (const context of contexts) {
    let previous: Binding | undefined;
    for (const b of KEYMAP) {
      if (!b.contexts.includes(context) || !b.hint || (b.when && !flags.has(b.when))) continue;
      if ((b.showWhen && !flags.has(b.showWhen)) || (b.hideWhen && flags.has(b.hideWhen))) continue;
      const key = b.keys.find((k) => !shadowed(k, context, contexts, flags));
      if (key === undefined) continue;
      const last = hints.at(-1);
      if (previous && last && previous.hint === b.hint) last.keys += keyLabel(key);
      else hints.push({ keys: keyLabel(key), label: b.hint, command: b.command });
      previous = b;
    }
  }
  return hints;
}

/** The help overlay's lines for some contexts: every binding, its keys and what it does. */
export function helpEntries(contexts: Context[]): Array<{ keys: string; help: string }> {
  const seen = new Set<Binding>();
  const entries: Array<{ keys: string; help: string }> = [];
  for (const context of contexts) {
    for (const b of KEYMAP) {
      if (!b.contexts.includes(context) || seen.has(b)) continue;
      seen.add(b);
      entries.push({ keys: b.keys.map(keyLabel).join(' '), help: b.help });
    }
  }
  return entries;
}

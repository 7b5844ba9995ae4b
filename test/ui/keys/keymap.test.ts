import { describe, expect, it } from 'vitest';
import { keyName } from '../../../src/ui/keys/key-name.js';
import { inkKey } from '../../helpers/ink.js';
import { bindingFor, helpEntries, KEYMAP, statusHints, type Context, type Flag } from '../../../src/ui/keys/keymap.js';

const key = inkKey;

describe('the keymap', () => {
  it('names keys the way the table does', () => {
    expect(keyName('', key({ downArrow: true }))).toBe('down');
    expect(keyName('', key({ pageDown: true }))).toBe('pagedown');
    expect(keyName('', key({ return: true }))).toBe('enter');
    expect(keyName('', key({ escape: true, meta: true }))).toBe('esc');
    expect(keyName('c', key({ ctrl: true }))).toBe('ctrl-c');
    expect(keyName('G', key({ shift: true }))).toBe('G');
    expect(keyName('x', key({ ctrl: true }))).toBe('ctrl-x');
    expect(keyName('1', key({ ctrl: true }))).toBeUndefined();
    expect(keyName('', key({ leftArrow: true, meta: true }))).toBe('alt-left');
    expect(keyName('', key({ rightArrow: true, ctrl: true }))).toBe('ctrl-right');
  });

  it('binds every key of DESIGN §7', () => {
    const timeline: Array<[string, string]> = [
      ['up', 'up'],
      ['k', 'up'],
      ['down', 'down'],
      ['j', 'down'],
      ['g', 'first'],
      ['G', 'last'],
      ['pageup', 'page-up'],
      ['pagedown', 'page-down'],
      ['enter', 'details'],
      ['u', 'upgrade'],
      ['d', 'downgrade'],
      ['/', 'filter'],
      ['r', 'refresh'],
      ['n', 'new-revision'],
      ['e', 'reopen'],
      ['w', 'watch'],
    ];
    for (const [k, command] of timeline) expect(bindingFor('timeline', k, new Set())?.command).toBe(command);
    // S acts with or without a mark (without one it says how to use it); y writes a squash only once its file is shown.
    expect(bindingFor('timeline', 'S', new Set())?.command).toBe('squash');
    expect(bindingFor('squash', 'y', new Set())).toBeUndefined();
    expect(bindingFor('squash', 'y', new Set(['ready']))?.command).toBe('confirm');
    expect(bindingFor('squash', 'esc', new Set())?.command).toBe('cancel');
    expect(bindingFor('squash', 'enter', new Set())?.command).toBe('cancel');
    expect(bindingFor('squash', 'esc', new Set(['finished']))?.command).toBe('back');
    expect(bindingFor('global', '?', new Set())?.command).toBe('help');
    expect(bindingFor('global', 'q', new Set())?.command).toBe('quit');
    expect(bindingFor('app', 'ctrl-c', new Set())?.command).toBe('stop');
    expect(bindingFor('confirm', 'y', new Set(['ready']))?.command).toBe('confirm');
    expect(bindingFor('confirm', 'y', new Set())).toBeUndefined();
    // p and c act on a data migration only while one can be controlled; p resumes a paused one.
    for (const context of ['run', 'watch'] as Context[]) {
      expect(bindingFor(context, 'p', new Set())).toBeUndefined();
      expect(bindingFor(context, 'c', new Set())).toBeUndefined();
      expect(bindingFor(context, 'p', new Set(['data']))?.command).toBe('pause');
      expect(bindingFor(context, 'p', new Set(['data', 'paused']))?.command).toBe('resume');
      expect(bindingFor(context, 'c', new Set(['data', 'paused']))?.command).toBe('cancel-data');
    }
  });

  it('never quits on esc, in any context', () => {
    for (const b of KEYMAP) if (b.keys.includes('esc')) expect(b.command).not.toBe('quit');
  });

  it('binds a key at most once per context (for any one set of flags)', () => {
    const contexts = new Set(KEYMAP.flatMap((b) => b.contexts));
    for (const context of contexts) {
      for (const flags of [new Set<Flag>(), new Set<Flag>(['filtered', 'running', 'ready'])]) {
        const seen = new Map<string, string>();
        for (const b of KEYMAP.filter((x) => x.contexts.includes(context) && (!x.when || flags.has(x.when)))) {
          for (const k of b.keys) {
            expect(seen.get(k), `${context}: ${k} bound to ${seen.get(k)} and ${b.command}`).toBeUndefined();
            seen.set(k, b.command);
          }
        }
      }
    }
  });

  it('generates a status bar of at least 4 keys for the main screens', () => {
    const bars: Array<[Context[], Flag[]]> = [
      [['timeline', 'global'], []],
      [['timeline', 'global'], ['filtered']],
      [['details', 'global'], []],
      [['confirm', 'global'], ['ready']],
      [['run', 'app', 'global'], ['running']],
      [['run', 'app', 'global'], ['finished']],
    ];
    for (const [contexts, flags] of bars) {
      const hints = statusHints(contexts, new Set(flags));
      expect(hints.length, contexts.join('+')).toBeGreaterThanOrEqual(4);
    }
    // Every key of the timeline that has a hint: /, e, w and r included.
    expect(statusHints(['timeline', 'global'], new Set()).map((h) => `${h.keys} ${h.label}`)).toEqual([
      'enter details',
      'u upgrade',
      'd downgrade',
      '/ filter',
      'n new',
      'e edit',
      'w watch',
      'r refresh',
      'v verify',
      'space mark',
      '= diff',
      's stamp',
      '? help',
      'q quit',
    ]);
    expect(statusHints(['timeline', 'global'], new Set(['marked'])).map((h) => `${h.keys} ${h.label}`)).toContain('S squash');
    expect(statusHints(['squash', 'global', 'app'], new Set(['ready'])).map((h) => `${h.keys} ${h.label}`)).toEqual([
      '↑↓ scroll',
      'y write',
      'n cancel',
      '? help',
      'q quit',
    ]);
    expect(statusHints(['squash', 'global', 'app'], new Set(['finished'])).map((h) => `${h.keys} ${h.label}`)).toEqual([
      '↑↓ scroll',
      'esc back',
      '? help',
      'q quit',
    ]);
    expect(statusHints(['timeline', 'global'], new Set(['filtered']))[0]).toMatchObject({ keys: 'esc', label: 'clear filter' });
    // The form, at each of its steps (SCREEN_KEYS.form, the contexts switched on there).
    const form: Array<[Context[], Flag[]]> = [
      [['text-input', 'form-preview', 'app'], []],
      [['form-field', 'form-preview', 'app'], []],
      [['form-field', 'form-preview', 'app'], ['several']],
      [['form-list', 'form-preview', 'app'], ['ready']],
      [['form-menu', 'form-preview', 'app'], []],
      [['form-write', 'form-preview', 'app'], ['ready']],
    ];
    for (const [contexts, flags] of form) {
      const hints = statusHints(contexts, new Set(flags));
      expect(hints.length, contexts.join('+')).toBeGreaterThanOrEqual(4);
    }
    expect(statusHints(['form-list', 'form-preview', 'app'], new Set(['ready'])).map((h) => `${h.keys} ${h.label}`)).toEqual([
      'a add',
      'enter edit',
      'w write',
      'esc back',
      '? help',
      '←→ tabs',
    ]);
    expect(statusHints(['details', 'global'], new Set())[0]).toMatchObject({ keys: '↑↓', label: 'scroll' });
    expect(statusHints(['run', 'app', 'global'], new Set(['running'])).map((h) => h.label)).toContain('stop');
  });

  it('generates the help overlay from the same table', () => {
    const entries = helpEntries(['timeline']);
    expect(entries).toContainEqual({ keys: '↑ k', help: 'select the previous (older) revision' });
    expect(entries).toContainEqual({ keys: 'PgDn', help: 'one page down' });
    expect(entries.length).toBe(KEYMAP.filter((b) => b.contexts.includes('timeline')).length);
  });
});

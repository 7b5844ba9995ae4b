import { describe, expect, it } from 'vitest';
import { handleKey, type ContextKeys, contextActive } from '../../../src/ui/keys/context-keys.js';
import type { Keypress } from '../../../src/ui/keys/key-name.js';
import { KeyRouter } from '../../../src/ui/keys/key-router.js';
import { CONTEXTS, type Context } from '../../../src/ui/keys/keymap.js';

const key = (name: string): Keypress => ({ name, text: [...name].length === 1 ? name : '' });
const named = (name: string): Keypress => ({ name, text: '' });

/** A router whose layers log what they did, built from the keymap like the app's. */
function setup() {
  const router = new KeyRouter();
  const log: string[] = [];
  const commands = [
    'up',
    'down',
    'quit',
    'help',
    'close',
    'filter',
    'clear-filter',
    'keep-filter',
    'erase',
    'next-field',
    'leave',
    'submit',
    'stop',
  ] as const;
  const handlers = (context: Context) => Object.fromEntries(commands.map((c) => [c, () => log.push(`${context}:${c}`)]));
  const layer = (context: Context, keys: Partial<ContextKeys> = {}) => {
    // Input contexts type text; a screen context's onText is type-ahead, tested with the form.
    const typing = CONTEXTS[context].layer === 'input' ? { onText: (text: string) => log.push(`${context} typed ${text}`) } : {};
    const spec: ContextKeys = { handlers: handlers(context), ...typing, ...keys };
    return router.add({ context, isActive: () => contextActive(spec), handle: (k) => handleKey(context, spec, k, () => log.push('before')) });
  };
  const press = (k: Keypress) => {
    log.length = 0;
    const consumed = router.press(k);
    return { consumed, log: log.filter((l) => l !== 'before') };
  };
  return { router, layer, press, log };
}

describe('the key router', () => {
  it('routes by layer, not by the order layers were added: dialog, input, screen, global, app', () => {
    const { router, layer } = setup();
    layer('app');
    layer('global');
    layer('timeline');
    layer('filter');
    layer('help');
    expect(router.active().map((l) => l.context)).toEqual(['help', 'filter', 'timeline', 'global', 'app']);
  });

  it('stops at the first layer that consumes the key; a layer that does not bind it passes it on', () => {
    const { layer, press } = setup();
    layer('app');
    layer('global');
    layer('timeline');
    expect(press(key('j'))).toEqual({ consumed: true, log: ['timeline:down'] });
    expect(press(key('q'))).toEqual({ consumed: true, log: ['global:quit'] });
    expect(press(named('ctrl-c'))).toEqual({ consumed: true, log: ['app:stop'] });
    expect(press(key('x'))).toEqual({ consumed: false, log: [] });
  });

  it('a focused text input consumes every printable key as text: q, j, ?, / are typed; esc and enter are its own', () => {
    const { layer, press } = setup();
    layer('app');
    layer('global');
    layer('timeline', { isActive: false });
    layer('filter');
    for (const k of ['q', 'j', '?', '/', 'u', 'd', ' ']) expect(press(key(k))).toEqual({ consumed: true, log: [`filter typed ${k}`] });
    expect(press(named('esc')).log).toEqual(['filter:clear-filter']);
    expect(press(named('enter')).log).toEqual(['filter:keep-filter']);
    expect(press(named('backspace')).log).toEqual(['filter:erase']);
    // Keys that type nothing and that it does not bind go on: ctrl-c still stops.
    expect(press(named('ctrl-c')).log).toEqual(['app:stop']);
  });

  it('a generic text input (a form field) consumes printable keys and binds tab, enter and esc', () => {
    const { layer, press } = setup();
    layer('global');
    layer('text-input');
    expect(press(key('q')).log).toEqual(['text-input typed q']);
    expect(press(named('tab')).log).toEqual(['text-input:next-field']);
    expect(press(named('enter')).log).toEqual(['text-input:submit']);
    expect(press(named('esc')).log).toEqual(['text-input:leave']);
  });

  it('an input consumes printable keys even without a text handler (a widget that types them itself)', () => {
    const { layer, press } = setup();
    layer('global');
    layer('text-input', { onText: undefined });
    expect(press(key('q'))).toEqual({ consumed: true, log: [] });
  });

  it('skips inactive layers and layers outside the scope of what is shown; removed layers read nothing', () => {
    const { router, layer, press } = setup();
    layer('app');
    layer('global');
    const removeTimeline = layer('timeline');
    router.scope = new Set<Context>(['help', 'app']);
    expect(press(key('j')).consumed).toBe(false);
    expect(press(named('ctrl-c')).log).toEqual(['app:stop']);
    router.scope = new Set<Context>(['timeline', 'global', 'app']);
    expect(press(key('j')).log).toEqual(['timeline:down']);
    removeTimeline();
    expect(press(key('j')).consumed).toBe(false);
    expect(press(key('q')).log).toEqual(['global:quit']);
  });

  it('within one layer the newest reads first, and a handler the context does not give is not a binding', () => {
    const { router, press } = setup();
    const log: string[] = [];
    router.add({ context: 'timeline', isActive: () => true, handle: () => log.push('older') > 0 });
    router.add({ context: 'details', isActive: () => true, handle: (k) => k.name === 'j' && log.push('newer') > 0 });
    press(key('j'));
    press(key('k'));
    expect(log).toEqual(['newer', 'older']);
    expect(handleKey('timeline', { handlers: {} }, key('j'), () => {})).toBe(false);
  });

  it('runs beforeCommand before a command and before typed text (both are actions: the last message goes)', () => {
    const { router, layer } = setup();
    const calls: string[] = [];
    router.add({
      context: 'filter',
      isActive: () => true,
      handle: (k) =>
        handleKey('filter', { handlers: { erase: () => calls.push('erase') }, onText: (t) => calls.push(`typed ${t}`) }, k, () =>
          calls.push('before'),
        ),
    });
    layer('app');
    router.press(key('a'));
    router.press(named('backspace'));
    expect(calls).toEqual(['before', 'typed a', 'before', 'erase']);
    router.press(named('up'));
    expect(calls).toEqual(['before', 'typed a', 'before', 'erase']);
  });
});

import { describe, expect, it } from 'vitest';
import { runReducer, idleRun, isRunning } from '../../src/ui/run/run-state.js';
import { initialList, listReducer, selectedIndex, windowStart, type ListView } from '../../src/ui/timeline/list-state.js';
import { visibleRows, BASE } from '../../src/ui/timeline/rows.js';
import { routerReducer, type RouterState } from '../../src/ui/router.js';
import { LockTimeoutError } from '../../src/core/errors.js';
import type { Timeline } from '../../src/core/timeline.js';

const view = (keys: string[], height = 3, initial = 'c'): ListView => ({ keys, height, initial });

describe('the timeline list reducer', () => {
  const keys = ['a', 'b', 'c', 'd', 'e', 'f'];

  it('starts on the initial row and moves by key, clamped at the ends', () => {
    expect(selectedIndex(initialList, view(keys))).toBe(2);
    let s = listReducer(initialList, { type: 'move', by: 1, view: view(keys) });
    expect(s.selected).toBe('d');
    s = listReducer(s, { type: 'move', by: 10, view: view(keys) });
    expect(s.selected).toBe('f');
    s = listReducer(s, { type: 'jump', to: 'first', view: view(keys) });
    expect(s).toMatchObject({ selected: 'a', offset: 0 });
  });

  it('keeps the selection by key when rows come and go, and lands nearby when its row is gone', () => {
    const s = listReducer(initialList, { type: 'move', by: 1, view: view(keys) });
    expect(selectedIndex(s, view(['x', ...keys]))).toBe(4);
    expect(selectedIndex(s, view(['a', 'b', 'c']))).toBe(2);
  });

  it('moves the window only as far as needed to keep the selection visible', () => {
    expect(windowStart(0, 2, 3, 6)).toBe(0);
    expect(windowStart(0, 3, 3, 6)).toBe(1);
    expect(windowStart(3, 1, 3, 6)).toBe(1);
    expect(windowStart(5, 5, 3, 6)).toBe(3);
    const s = listReducer(initialList, { type: 'jump', to: 'last', view: view(keys) });
    expect(s.offset).toBe(3);
  });

  it('edits, keeps and clears the filter', () => {
    let s = listReducer(initialList, { type: 'filter-open' });
    s = listReducer(s, { type: 'filter-text', text: 'slug', keys: ['d', 'e'] });
    expect(s).toMatchObject({ editing: true, filter: 'slug', selected: 'd' });
    s = listReducer(s, { type: 'filter-text', text: 'slu', keys: ['a', 'd', 'e'] });
    expect(s.selected).toBe('d');
    s = listReducer(s, { type: 'filter-keep' });
    expect(s).toMatchObject({ editing: false, filter: 'slu' });
    expect(listReducer(s, { type: 'filter-clear' })).toMatchObject({ editing: false, filter: '', selected: 'd' });
  });
});

describe('the rows of the timeline', () => {
  const timeline: Timeline = {
    current: 'M1_users',
    pending: 1,
    revisions: [
      { name: 'M1_users', status: 'applied', appliedAt: new Date(), kind: 'schema', path: '/m/M1_users.ts', checksum: 'match' },
      { name: 'M2_backfill', status: 'pending', appliedAt: null, kind: 'data', path: '/m/M2_backfill.ts', checksum: null },
    ],
  };
  it('puts base first, then the revisions oldest first; a filter matches name, state or kind and hides base', () => {
    expect(visibleRows(timeline, '').map((r) => r.key)).toEqual([BASE, 'M1_users', 'M2_backfill']);
    expect(visibleRows(timeline, 'USERS').map((r) => r.key)).toEqual(['M1_users']);
    expect(visibleRows(timeline, 'pending').map((r) => r.key)).toEqual(['M2_backfill']);
    expect(visibleRows(timeline, 'data').map((r) => r.key)).toEqual(['M2_backfill']);
    expect(visibleRows(null, '')).toEqual([]);
  });
});

describe('the run reducer', () => {
  it('follows the runner events to done, with exit code 0', () => {
    let s = runReducer(idleRun, { type: 'start', direction: 'up', target: 'B', planned: ['A', 'B'] });
    expect(isRunning(s)).toBe(true);
    s = runReducer(s, { type: 'event', event: { type: 'lock:waiting', holder: { pid: 7, host: 'h', since: 1 } } });
    expect(s.phase).toBe('waiting-lock');
    s = runReducer(s, { type: 'event', event: { type: 'lock:acquired' } });
    s = runReducer(s, { type: 'event', event: { type: 'revision:start', name: 'A', direction: 'up' } });
    expect(s.lines[0].state).toBe('running');
    s = runReducer(s, { type: 'event', event: { type: 'revision:done', name: 'A', direction: 'up', durationMs: 12 } });
    s = runReducer(s, { type: 'event', event: { type: 'revision:start', name: 'B', direction: 'up' } });
    s = runReducer(s, { type: 'event', event: { type: 'revision:done', name: 'B', direction: 'up', durationMs: 3 } });
    s = runReducer(s, { type: 'finished', result: { direction: 'up', done: ['A', 'B'], stopped: false, durationMs: 20, notRun: [] } });
    expect(s).toMatchObject({
      phase: 'done',
      exitCode: 0,
      lines: [
        { state: 'done', durationMs: 12 },
        { state: 'done', durationMs: 3 },
      ],
    });
    expect(isRunning(s)).toBe(false);
  });

  it('a failed revision keeps its statement and message; the run earns exit code 1', () => {
    let s = runReducer(idleRun, { type: 'start', direction: 'down', target: 'A', planned: ['C', 'B'] });
    s = runReducer(s, {
      type: 'event',
      event: { type: 'revision:failed', name: 'C', direction: 'down', statement: 'drop table c', message: 'no such table: c', details: [] },
    });
    s = runReducer(s, { type: 'event', event: { type: 'run:stopped', remaining: [] } });
    s = runReducer(s, {
      type: 'finished',
      result: { direction: 'down', done: [], stopped: false, durationMs: 5, notRun: [], failed: new Error('C failed') as never },
    });
    expect(s.phase).toBe('failed');
    expect(s.exitCode).toBe(1);
    expect(s.lines).toEqual([
      { name: 'C', state: 'failed', statement: 'drop table c', message: 'no such table: c', hint: undefined },
      { name: 'B', state: 'not-run' },
    ]);
  });

  it('stop, then stopped; an error before any revision takes the exit code of its kind', () => {
    let s = runReducer(idleRun, { type: 'start', direction: 'up', target: 'B', planned: ['A', 'B'] });
    s = runReducer(s, { type: 'stop' });
    expect(s.phase).toBe('stopping');
    s = runReducer(s, { type: 'finished', result: { direction: 'up', done: [], stopped: true, durationMs: 1, notRun: [] } });
    expect(s).toMatchObject({ phase: 'stopped', exitCode: 0 });
    s = runReducer(idleRun, { type: 'start', direction: 'up', target: 'B', planned: ['A'] });
    s = runReducer(s, { type: 'crashed', error: new LockTimeoutError('the migration lock is held by pid 1', null) });
    expect(s).toMatchObject({
      phase: 'error',
      exitCode: 3,
      error: 'the migration lock is held by pid 1',
      hint: 'Wait for that run to finish and try again (--lock-timeout SECONDS waits longer).',
    });
  });
});

describe('the router', () => {
  it('pushes, replaces and goes back, but never below the timeline', () => {
    let s: RouterState = { stack: [{ name: 'timeline' }], dialog: null };
    s = routerReducer(s, { type: 'back' });
    expect(s.stack).toEqual([{ name: 'timeline' }]);
    s = routerReducer(s, { type: 'push', screen: { name: 'details', key: 'A' } });
    s = routerReducer(s, { type: 'push', screen: { name: 'run' } });
    s = routerReducer(s, { type: 'replace', screen: { name: 'run' } });
    s = routerReducer(s, { type: 'back' });
    expect(s.stack.map((x) => x.name)).toEqual(['timeline', 'details']);
  });
});

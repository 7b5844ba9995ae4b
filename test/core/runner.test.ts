import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/events.js';
import { errorLine, exitCodeOf } from '../../src/core/errors.js';
import { Runner } from '../../src/core/runner.js';
import { MemoryBackend } from '../helpers/memory-backend.js';

const names = (events: RunEvent[]) => events.map((e) => ('name' in e ? `${e.type} ${e.name}` : e.type));

function record(runner: Runner): RunEvent[] {
  const events: RunEvent[] = [];
  runner.events.on('event', (event) => events.push(event));
  return events;
}

/** The events of a run up to B's start, after A ran. */
const A_THEN_B = ['lock:acquired', 'run:planned', 'revision:start A', 'revision:done A', 'revision:start B'];

// The runner's orchestration without a database (umzug tests its events the same way): an in-memory history,
// migrations given as code, one executor.
describe('the runner on an in-memory backend', () => {
  it('emits lock, plan, start and done per revision, then done; the history holds them in order', async () => {
    const backend = new MemoryBackend([
      { name: 'A', up() {} },
      { name: 'B', up() {} },
      { name: 'C', up() {} },
    ]);
    const runner = new Runner(backend);
    const events = record(runner);
    const result = await runner.run({ direction: 'up', target: 'B' });
    expect(names(events)).toEqual([...A_THEN_B, 'revision:done B', 'run:done']);
    expect(result).toMatchObject({ direction: 'up', done: ['A', 'B'], stopped: false, notRun: [] });
    expect(backend.history).toEqual(['A', 'B']);
    expect(backend.log).toEqual(['lock', 'up A', 'up B', 'release']);
  });

  it('a failing revision emits revision:failed with its message and stops the run; earlier ones stay', async () => {
    const backend = new MemoryBackend([
      { name: 'A', up() {} },
      {
        name: 'B',
        up() {
          throw new TypeError('boom');
        },
      },
      { name: 'C', up() {} },
    ]);
    const runner = new Runner(backend);
    const events = record(runner);
    const result = await runner.run({ direction: 'up' });
    expect(names(events)).toEqual([...A_THEN_B, 'revision:failed B', 'run:done']);
    expect(events.find((e) => e.type === 'revision:failed')).toMatchObject({ message: 'TypeError: boom', statement: undefined });
    expect(result.failed?.revision).toBe('B');
    expect(backend.history).toEqual(['A']);
  });

  it('stop() reaches the executor mid-revision through its signal; the run ends after it, the rest not run', async () => {
    let seen: AbortSignal | undefined;
    const runner: Runner = new Runner(
      new MemoryBackend([
        {
          name: 'A',
          async up(signal) {
            seen = signal;
            runner.stop();
            // A batching executor checks the signal between batches: here it sees the stop while still running.
            expect(signal.aborted).toBe(true);
          },
        },
        { name: 'B', up() {} },
      ]),
    );
    const events = record(runner);
    const result = await runner.run({ direction: 'up' });
    expect(seen?.aborted).toBe(true);
    expect(result).toMatchObject({ done: ['A'], stopped: true, notRun: ['B'] });
    expect(names(events)).toEqual(['lock:acquired', 'run:planned', 'revision:start A', 'revision:done A', 'run:stopped', 'run:done']);
  });

  it('a confirmed plan that is no longer the plan runs nothing', async () => {
    const backend = new MemoryBackend([
      { name: 'A', up() {} },
      { name: 'B', up() {} },
    ]);
    backend.history.push('A');
    const runner = new Runner(backend);
    await expect(runner.run({ direction: 'up', confirmed: ['A', 'B'] })).rejects.toThrow(
      'the plan changed while waiting for the lock: confirmed A, B, would now run B; nothing ran',
    );
    expect(backend.log).toEqual(['lock', 'release']);
  });

  it('reverts newest first, down to the target', async () => {
    const backend = new MemoryBackend(['A', 'B', 'C'].map((name) => ({ name, up() {}, down() {} })));
    backend.history.push('A', 'B', 'C');
    const result = await new Runner(backend).run({ direction: 'down', target: 'A' });
    expect(result.done).toEqual(['C', 'B']);
    expect(backend.history).toEqual(['A']);
  });
});

// Issue 17: MariaDB's KILL of the lock connection while the run read its history printed "the database refused:
// select table_name … socket has unexpectedly been closed". Outside a revision too, it is a lost connection.
describe('a connection lost outside any revision', () => {
  it('ends the run with "the connection to the database was lost", exit 2; the session is released', async () => {
    const backend = new MemoryBackend([{ name: 'A', up() {} }]);
    const open = backend.open.bind(backend);
    backend.open = async (options) => ({
      ...(await open(options)),
      readTimeline: () =>
        Promise.reject(
          Object.assign(new Error('select table_name from information_schema.tables - socket has unexpectedly been closed'), {
            code: 'ER_SOCKET_UNEXPECTED_CLOSE',
            sqlState: '08S01',
          }),
        ),
    });
    const error = await new Runner(backend).run({ direction: 'up' }).catch((e: unknown) => e);
    expect(errorLine(error)).toBe('the connection to the database was lost (socket has unexpectedly been closed); the migration lock went with it');
    expect(exitCodeOf(error)).toBe(2);
    expect(backend.history).toEqual([]);
    expect(backend.log).toEqual(['lock', 'release']);
  });
});

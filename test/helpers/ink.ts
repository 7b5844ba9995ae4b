import type { Key } from 'ink';
import type { EventEmitter } from 'node:events';

/** What the terminal sends for each key. */
export const keys = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  esc: '\u001B',
  backspace: '\x7f',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  ctrlC: '\x03',
} as const;

interface Writable {
  write(data: string): void;
}

/** Sends one key (or typed text) to the app. */
export function press(stdin: Writable, key: string): void {
  stdin.write(key);
}

type Expectation = string | RegExp | ((frame: string) => boolean);

function matches(frame: string, expected: Expectation): boolean {
  if (typeof expected === 'string') return frame.includes(expected);
  if (expected instanceof RegExp) return expected.test(frame);
  return expected(frame);
}

/** Polls the last frame until it shows `expected`; fails with the frame when it does not within `timeoutMs`. */
export async function waitForFrame(lastFrame: () => string | undefined, expected: Expectation, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (matches(frame, expected)) return frame;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(expected)}; the last frame was:\n${frame}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** Sends a key and waits until the frame shows what it should. */
export async function pressAndWait(stdin: Writable, lastFrame: () => string | undefined, key: string, expected: Expectation, timeoutMs?: number) {
  press(stdin, key);
  return waitForFrame(lastFrame, expected, timeoutMs);
}

/** Gives ink-testing-library's fake stdout a terminal size and tells the app it changed. */
export function resize(stdout: EventEmitter, columns: number, rows: number): void {
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
  stdout.emit('resize');
}

/** The frame without ANSI styles. */
export function plain(frame: string): string {
  return frame.replace(/\u001B\[[0-9;]*m/g, '');
}

/** The frame's lines with trailing spaces removed. */
export function frameLines(frame: string): string[] {
  return frame.split('\n').map((l) => l.trimEnd());
}

/** An Ink key with nothing pressed but what `over` sets, as useInput hands it to a handler. */
export function inkKey(over: Partial<Key> = {}): Key {
  return {
    upArrow: false,
    downArrow: false,
    leftArrow: false,
    rightArrow: false,
    pageDown: false,
    pageUp: false,
    home: false,
    end: false,
    return: false,
    escape: false,
    ctrl: false,
    shift: false,
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
    super: false,
    hyper: false,
    capsLock: false,
    numLock: false,
    ...over,
  };
}

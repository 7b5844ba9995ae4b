// What the TUI benchmarks share: a fake terminal and keyboard for Ink, the app loaded as `migrate-ui` loads it, and
// the statistics they report.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { ROOT } from './util.js';

export const percentile = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
export const round = (n) => Math.round(n * 10) / 10;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const plain = (s) => s.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');

/** A terminal for Ink to draw on: 100×30, a TTY; every write is kept with its time (as plain text). */
export class FakeTerminal extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  /** What was written lately (the last few frames). */
  recent = '';
  /** Writes not yet looked at: { at, text }. */
  writes = [];
  #waiting = [];
  write(chunk) {
    const at = performance.now();
    this.recent = (this.recent + String(chunk)).slice(-20_000);
    this.writes.push({ at, text: plain(String(chunk)) });
    for (const wake of this.#waiting.splice(0)) wake(at);
    return true;
  }
  /** The time of the next write. */
  nextWrite() {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
  /** Drops the writes seen so far: the next key's frame is one written after this. */
  clear() {
    this.writes = [];
  }
  /** The time of the first write (from now on, or already kept) for which `test(text)` holds; null after `ms`. */
  async frameWhere(test, ms = 2000) {
    const deadline = performance.now() + ms;
    for (;;) {
      const hit = this.writes.find((w) => test(w.text));
      if (hit) return hit.at;
      const left = deadline - performance.now();
      if (left <= 0) return null;
      await Promise.race([this.nextWrite(), sleep(left)]);
    }
  }
}

/** Keys for Ink to read, as a raw-mode TTY delivers them. */
export class FakeKeyboard extends EventEmitter {
  isTTY = true;
  #data = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    const data = this.#data;
    this.#data = null;
    return data;
  }
  type(data) {
    this.#data = data;
    this.emit('readable');
  }
}

/** Ink, React and the app, loaded exactly as `migrate-ui` loads them (src/ui/start-tui.ts). Needs dist/. */
export async function loadApp() {
  const { loadInk, MAX_FPS } = await import(pathToFileURL(join(ROOT, 'dist', 'src', 'ui', 'start-tui.js')).href);
  const [{ render, App }, { createElement }] = await Promise.all([loadInk(), import('react')]);
  return { render, createElement, App, maxFps: MAX_FPS };
}

/**
 * The app rendered as `migrate-ui` renders it (its maxFps, the console left alone) on a fake terminal and keyboard:
 * `props` for the app (project, cwd, newRevision …); `onRender` hears each frame's render time (ms).
 */
export async function renderApp(props, onRender) {
  const { render, createElement, App, maxFps } = await loadApp();
  const stdout = new FakeTerminal();
  const stdin = new FakeKeyboard();
  const app = render(createElement(App, { color: false, lockTimeoutMs: 30_000, onExit: () => {}, ...props }), {
    stdout,
    stdin,
    stderr: new FakeTerminal(),
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps,
    ...(onRender ? { onRender: ({ renderTime }) => onRender(renderTime) } : {}),
  });
  return { app, stdout, stdin };
}

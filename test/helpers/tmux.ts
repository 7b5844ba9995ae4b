import { execFileSync } from 'node:child_process';

/** A tmux server of the test's own, driving the real binary in a real terminal. */
export class Tmux {
  readonly socket = `mui-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Starts `command` in `cwd` in a detached `columns`×`rows` session; after it exits the pane shows EXIT=<code>. */
  start(command: string, options: { cwd: string; columns?: number; rows?: number; env?: Record<string, string> }): void {
    const vars = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    // A person at a terminal is not CI (CI=true from .ci/run would leak in through tmux's environment).
    const line = `env -u CI -u CONTINUOUS_INTEGRATION ${vars.join(' ')} ${command}; echo EXIT=$?; sleep 600`;
    const size = ['-x', String(options.columns ?? 100), '-y', String(options.rows ?? 30)];
    this.tmux('new-session', '-d', ...size, '-c', options.cwd, '-s', 'main', line);
  }

  /** Sends keys as tmux names them (`j`, `Enter`, `Escape`, `PageDown`, `C-c`). */
  send(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  /** The screen as text; `escapes` keeps colours and styles. */
  screen(escapes = false): string {
    return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'main');
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows));
  }

  /** Polls the screen until it shows `expected`; fails with the screen after `timeoutMs`. */
  async waitFor(expected: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const test =
      typeof expected === 'string' ? (s: string) => s.includes(expected) : expected instanceof RegExp ? (s: string) => expected.test(s) : expected;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(expected)}; the screen was:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  }

  /** Sends keys and waits for the screen to show `expected`. */
  async press(keys: string | string[], expected: Parameters<Tmux['waitFor']>[0], timeoutMs?: number): Promise<string> {
    this.send(...(Array.isArray(keys) ? keys : [keys]));
    return this.waitFor(expected, timeoutMs);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}

import { relative } from 'node:path';
import { truncateMiddle } from './format.js';

const ALT_SCREEN_ON = '\u001B[?1049h\u001B[H';
const ALT_SCREEN_OFF = '\u001B[?1049l';
const CLEAR = '\u001B[H\u001B[2J';
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const CONSOLE = ['log', 'info', 'warn', 'error', 'debug'] as const;
type ConsoleMethod = (typeof CONSOLE)[number];

export interface LoadingInfo {
  configPath: string;
  cwd: string;
  color: boolean;
}

/**
 * The alternate screen: the app owns the whole terminal and the shell's scrollback comes back untouched on exit.
 * No Ink and no React in here: the loading frame shows while they, MikroORM and the connection load.
 */
export class TerminalScreen {
  #on = false;
  #loading = false;
  /** What the project printed while it opened: shown on the shell's screen afterwards, where it went before there was a frame. */
  #printed: Array<{ method: ConsoleMethod; args: unknown[] }> = [];
  #console: Map<ConsoleMethod, (...args: unknown[]) => void> | undefined;
  readonly #leave = () => this.leave();
  readonly #signal = (signal: NodeJS.Signals) => {
    this.leave();
    // What the signal did before the screen was taken: end the process, unless someone else listens.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };

  constructor(readonly stdout: NodeJS.WriteStream) {}

  /** Switches to the alternate screen (once); leaving it is guaranteed, even when the process exits on its own. */
  enter(): void {
    if (this.#on) return;
    this.#on = true;
    this.stdout.write(ALT_SCREEN_ON);
    process.on('exit', this.#leave);
  }

  /**
   * The first frame, before the project opens: the header's first line and what is happening. Until the app takes
   * over, ctrl-c ends the process as it would without a screen, and the screen is left first.
   */
  showLoading({ configPath, cwd, color }: LoadingInfo): void {
    this.enter();
    const width = this.stdout.columns || 80;
    const rel = relative(cwd, configPath);
    const config = rel && !rel.startsWith('..') ? rel : configPath;
    const name = color ? '\u001B[1m\u001B[36mmigrate-ui\u001B[39m\u001B[22m' : '\u001B[1mmigrate-ui\u001B[22m';
    this.stdout.write(`${name}  ${truncateMiddle(config, width - 13)}\r\n\u001B[2mopening the project…\u001B[22m`);
    this.#loading = true;
    for (const signal of SIGNALS) process.on(signal, this.#signal);
    this.#console = new Map(CONSOLE.map((method) => [method, console[method]]));
    for (const method of CONSOLE) console[method] = (...args: unknown[]) => void this.#printed.push({ method, args });
  }

  /** The app draws from here on: the loading frame is cleared and the signals and the console are the app's. */
  handOver(): void {
    this.enter();
    if (this.#endLoading()) this.stdout.write(CLEAR);
  }

  /** Back to the shell's screen (once), with what was printed while the project opened. */
  leave(): void {
    this.#endLoading();
    if (this.#on) {
      this.#on = false;
      process.off('exit', this.#leave);
      this.stdout.write(ALT_SCREEN_OFF);
    }
    for (const { method, args } of this.#printed.splice(0)) console[method](...args);
  }

  #endLoading(): boolean {
    if (!this.#loading) return false;
    this.#loading = false;
    for (const signal of SIGNALS) process.off(signal, this.#signal);
    for (const [method, original] of this.#console ?? []) console[method] = original;
    return true;
  }
}

import { EventEmitter } from 'node:events';
import type { Project } from '../core/index.js';
import type { FleetSource } from './root.js';
import { firstRead } from './first-read.js';
import { quietConsole } from './quiet-console.js';
import { TerminalScreen } from './terminal-screen.js';

/**
 * Ink's frame limit: its throttle only gathers a burst of renders into one frame. The run view paces its own frames
 * (a 100 ms beat, at most four a second while batches land). Ink's throttle fires its trailing frame one window
 * after the last render of a burst, so a run's outcome or a key's frame waits up to that window: 8 ms here, where
 * 60 fps cost a million-row backfill's outcome about 15 ms more on screen.
 */
export const MAX_FPS = 120;

export interface TuiOptions {
  color: boolean;
  lockTimeoutSeconds: number;
  cwd?: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Opens the authoring form at once with this name (`migrate-ui new NAME` in a terminal). */
  newRevision?: string;
  /** Opens the watch screen at once (`migrate-ui watch` in a terminal). */
  watch?: boolean;
  /** The screen already showing the loading frame (the CLI draws it before the project opens). */
  screen?: TerminalScreen;
  /** --db and the environment, as each fleet target's project opens with them. */
  dbUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** The fleet: its file (default fleet.json beside the config), targets at once, and whether the app opens on its screen. */
  fleet?: { file?: string; concurrency?: number; open?: boolean };
}

/**
 * Loads Ink, React and the app. Ink draws nothing until exit when CI is set, and React's development build is
 * several times slower: here a person is at a terminal, so both load as for production. Nothing else sees the change.
 */
export async function loadInk() {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION, NODE_ENV: process.env.NODE_ENV };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV ??= 'production';
  try {
    const [{ render }, { createElement }, { Root }, { App }] = await Promise.all([
      import('ink'),
      import('react'),
      import('./root.js'),
      import('./app.js'),
    ]);
    return { render, createElement, Root, App };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Runs the terminal UI on an opened project until the person quits; returns the exit code (DESIGN §3). */
export async function runTui(project: Project, options: TuiOptions): Promise<number> {
  // Ink loads while the timeline is read: the first frame shows it.
  // `migrate-ui fleet`: the fleet is read before the app starts, so a bad fleet file is one line in the shell (exit 2).
  const [fleet, { render, createElement, Root }, first] = await Promise.all([
    fleetSource(project, options),
    loadInk(),
    firstRead(project).catch(() => undefined),
  ]);
  const stdout = options.stdout ?? process.stdout;
  const screen = options.screen ?? new TerminalScreen(stdout);
  const signals = new EventEmitter();
  const interrupt = () => signals.emit('interrupt');
  let exitCode = 0;
  let farewell: string | undefined;
  screen.handOver();
  const held = quietConsole();
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  // No JSX in this file: importing React before loadInk() would pin its development build.
  const app = createElement(Root, {
    fleet,
    project,
    color: options.color,
    cwd: options.cwd ?? process.cwd(),
    lockTimeoutMs: options.lockTimeoutSeconds * 1000,
    onExit: (code: number, said?: string) => {
      exitCode = code;
      farewell = said;
    },
    signals,
    first,
    newRevision: options.newRevision,
    watch: options.watch,
  });
  const instance = render(app, {
    stdout,
    stdin: options.stdin ?? process.stdin,
    stderr: options.stderr ?? process.stderr,
    exitOnCtrlC: false,
    maxFps: MAX_FPS,
    patchConsole: false,
  });
  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    instance.cleanup();
    screen.leave();
    fleet?.loaded?.close();
    if (farewell) stdout.write(`${farewell}\n`);
    const lines = held.restore();
    if (/\bmigrate-ui\b/.test(process.env.DEBUG ?? '')) for (const line of lines) process.stderr.write(`${line}\n`);
    // A `v` (verify) or `=` (diff) still running works on a scratch database: dropped before the project closes.
    await (await import('../core/verify/scratch.js')).dropEveryScratch().catch(() => undefined);
  }
  return exitCode;
}

/** Where the app finds the fleet: a fleet file beside the config (or named), or a fleet the config exports, makes `F` open its screen. */
export async function fleetSource(project: Project, options: TuiOptions): Promise<FleetSource | undefined> {
  const projectOptions = { cwd: options.cwd ?? process.cwd(), configPath: project.config.configPath, dbUrl: options.dbUrl, env: options.env };
  const fleetOptions = { ...projectOptions, fleetFile: options.fleet?.file };
  const load = async () => (await import('../core/fleet/fleet-watch.js')).FleetWatch.load(project, fleetOptions, options.fleet?.concurrency);
  if (options.fleet?.open) return { available: true, load, options: projectOptions, loaded: await load() };
  return { available: await hasFleet(project.config.configPath, projectOptions.cwd, options.fleet?.file), load, options: projectOptions };
}

/** Whether a fleet is there to open: the file named or beside the config, or the config's `fleet` export (already loaded). */
async function hasFleet(configPath: string, cwd: string, file: string | undefined): Promise<boolean> {
  const [{ findFleetFile }, { configFleet }] = await Promise.all([import('../core/fleet/targets.js'), import('../core/fleet/config-fleet.js')]);
  try {
    findFleetFile(configPath, cwd, file);
    return true;
  } catch {
    return file === undefined && (await configFleet(configPath).catch(() => undefined)) !== undefined;
  }
}

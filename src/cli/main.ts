import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ExitCode, UsageError } from '../core/errors.js';
import { findConfigFile, loadProjectConfig } from '../core/config.js';
import type { Project as ProjectType } from '../core/project.js';
import type { TerminalScreen } from '../ui/terminal-screen.js';
import { fleetNeedsAction, HELP, parseArgs, type CliArgs } from './args.js';
import { reportError, type Io } from './report.js';

/**
 * Writes to a stream whose reader may go away (`migrate-ui status | head`): from then on its lines are dropped and
 * the command carries on to its end (a run is never cut short because nobody reads it).
 */
function lineWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let gone = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    gone = true;
  });
  return (text) => {
    if (!gone) stream.write(`${text}\n`);
  };
}

const defaultIo = (): Io => ({
  stdout: lineWriter(process.stdout),
  stderr: lineWriter(process.stderr),
  isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY),
  cwd: process.cwd(),
  env: process.env,
});

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  return pkg.version;
}

/** Commands that only read: pointed at a SQLite file that does not exist, they never create it. */
function readOnly(args: CliArgs, io: Io): boolean {
  if (args.command === 'status' || args.command === 'check' || args.command === 'watch') return true;
  // verify, diff and squash only read the configured database; what they run, runs on a scratch one.
  if (args.command === 'verify' || args.command === 'diff' || args.command === 'squash') return true;
  // fleet reads the configured database only to list its schemas; each target opens a project of its own.
  if (args.command === 'fleet') return true;
  if (args.command === 'tui') return !io.isTTY || args.json;
  // new --print shows what it would write and writes nothing, not even a SQLite file or its folder.
  if (args.command === 'new') return args.print;
  return (args.command === 'up' || args.command === 'down' || args.command === 'stamp') && args.dryRun;
}

/** `status`, and the TUI without a terminal (which is status): what the config cache can answer. */
function lists(args: CliArgs, io: Io): boolean {
  return (args.command === 'status' || args.command === 'tui') && !opensApp(args, io);
}

/** The terminal app's screens: the timeline, watch, and the form of `new` without a spec (as new.ts decides). */
function opensApp(args: CliArgs, io: Io): boolean {
  if (!io.isTTY || args.json) return false;
  if (args.command === 'new') return !args.spec && !args.fromEntities && !args.print;
  return args.command === 'tui' || args.command === 'watch' || (args.command === 'fleet' && args.fleetAction === undefined);
}

/** Runs the command line; returns the exit code (DESIGN §3). */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv, io.env);
  } catch (error) {
    return reportError(error, io);
  }
  if (args.help) {
    io.stdout(HELP);
    return ExitCode.ok;
  }
  if (args.version) {
    io.stdout(version());
    return ExitCode.ok;
  }
  let project: ProjectType | undefined;
  let screen: TerminalScreen | undefined;
  try {
    if (args.command === 'fleet' && args.fleetAction === undefined && !opensApp(args, io)) throw fleetNeedsAction();
    const configPath = findConfigFile(io.cwd, args.config, io.env);
    const cached = lists(args, io) && !io.env.MIGRATE_UI_NO_CONFIG_CACHE;
    if (cached) {
      const { statusFromCache } = await import('./fast-status.js');
      const code = await statusFromCache(args, io, configPath);
      if (code !== undefined) return code;
    }
    // The environment as the process started, before bootstrap sets anything: what the cache is checked against.
    const started = cached ? { ...io.env } : undefined;
    if (opensApp(args, io)) {
      // The app's first frame, before MikroORM, Ink and the connection load (most of a cold start).
      const { TerminalScreen } = await import('../ui/terminal-screen.js');
      screen = new TerminalScreen(process.stdout);
      screen.showLoading({ configPath, cwd: io.cwd, color: args.color });
    }
    const { bootstrap } = await import('./bootstrap.js');
    await bootstrap(dirname(resolve(configPath)), configPath, args.db ?? io.env.DATABASE_URL);
    const { Project } = await import('../core/project.js');
    const options = { cwd: io.cwd, configPath, dbUrl: args.db, env: io.env, readOnly: readOnly(args, io) };
    let recorder: import('./config-cache.js').ConfigLoadRecorder | undefined;
    if (started) {
      const { ConfigLoadRecorder } = await import('./config-cache.js');
      recorder = new ConfigLoadRecorder(io.cwd, configPath, args.db ?? io.env.DATABASE_URL, started);
      project = await Project.connect(await recorder.during(() => loadProjectConfig(options)));
    } else {
      project = await Project.open(options);
    }
    if (screen) {
      const { runTui } = await import('../ui/start-tui.js');
      const fleet = { file: args.fleetFile, concurrency: args.concurrency, open: args.command === 'fleet' };
      const options = { color: args.color, lockTimeoutSeconds: args.lockTimeoutSeconds, cwd: io.cwd, screen, dbUrl: args.db, env: io.env, fleet };
      if (args.command === 'new') return await runTui(project, { ...options, newRevision: args.name ?? '' });
      return await runTui(project, args.command === 'watch' ? { ...options, watch: true } : options);
    }
    const code = await runCommand(project, args, io);
    if (recorder && code === ExitCode.ok) await recorder.save(project);
    return code;
  } catch (error) {
    // The error line goes to the shell's screen, as when no frame was drawn yet.
    screen?.leave();
    return reportError(error, io);
  } finally {
    await project?.close().catch(() => undefined);
  }
}

async function runCommand(project: ProjectType, args: CliArgs, io: Io): Promise<number> {
  // Loaded here, not at start-up: the terminal app's first frame waits for nothing it does not draw.
  const { palette } = await import('./print.js');
  const p = palette(args.color && io.isTTY);
  switch (args.command) {
    // Without a terminal the TUI is the same as status.
    case 'tui':
    case 'status': {
      const { printStatus } = await import('./status.js');
      await printStatus(project, args, io);
      return ExitCode.ok;
    }
    case 'up':
    case 'down': {
      const { move } = await import('./move.js');
      return move(project, args, io, p);
    }
    case 'new': {
      // Authoring (and its AST library) loads only here: status, up and the TUI never pay for it.
      const { newRevision } = await import('./new.js');
      return newRevision(project, args, io, p);
    }
    case 'check': {
      const { checkText, skipTablesNote } = await import('./check-output.js');
      const report = await project.check();
      if (args.json) io.stdout(JSON.stringify(report, null, 2));
      else for (const line of checkText(p, report)) io.stdout(line);
      for (const line of skipTablesNote(p, report)) io.stderr(line);
      return report.inSync ? ExitCode.ok : ExitCode.checkDifference;
    }
    case 'watch': {
      // In a terminal the watch screen opened above (p and c act on what it shows); here, lines.
      const { watch } = await import('./watch.js');
      return watch(project, args, io);
    }
    case 'stamp': {
      const { stamp } = await import('./stamp.js');
      return stamp(project, args, io, p);
    }
    case 'verify': {
      const { verify } = await import('./verify.js');
      return verify(project, args, io, p);
    }
    case 'diff': {
      const { diff } = await import('./diff.js');
      return diff(project, args, io, p);
    }
    case 'fleet': {
      const { fleet } = await import('./fleet.js');
      return fleet(project, args, io, p);
    }
    case 'squash': {
      // Authoring loads only here, as for new.
      const { squash } = await import('./squash.js');
      return squash(project, args, io, p);
    }
    case 'seed': {
      const { seedFeatures } = await import('../core/seed.js');
      await seedFeatures(project, args.rows ?? 10_000, io.stdout);
      return ExitCode.ok;
    }
    default:
      throw new UsageError(`unknown command "${args.command}"`);
  }
}

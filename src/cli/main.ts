import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MigrateUiError, ExitCode, UsageError } from '../core/errors.js';
import { findConfigFile } from '../core/config.js';
import type { Project as ProjectType } from '../core/project.js';
import { maskPasswords } from '../core/url.js';
import { dataLossOf, describeDataLoss } from '../core/data-loss.js';
import { HELP, parseArgs, type CliArgs } from './args.js';
import { palette, printRunEvents, statusJson, statusText } from './print.js';

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): Io => ({
  stdout: (t) => process.stdout.write(`${t}\n`),
  stderr: (t) => process.stderr.write(`${t}\n`),
  isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY),
  cwd: process.cwd(),
  env: process.env,
});

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  return pkg.version;
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
  if (args.command === 'new' || args.command === 'watch') {
    return reportError(new UsageError(`\`migrate-ui ${args.command}\` is not available in this version`, 'Available: status, up, down, check.'), io);
  }
  let project: ProjectType | undefined;
  try {
    const configPath = findConfigFile(io.cwd, args.config, io.env);
    const { bootstrap } = await import('./bootstrap.js');
    await bootstrap(dirname(resolve(configPath)), configPath, args.db ?? io.env.DATABASE_URL);
    const { Project } = await import('../core/project.js');
    project = await Project.open({ cwd: io.cwd, configPath, dbUrl: args.db, env: io.env });
    return await runCommand(project, args, io);
  } catch (error) {
    return reportError(error, io);
  } finally {
    await project?.close().catch(() => undefined);
  }
}

async function runCommand(project: ProjectType, args: CliArgs, io: Io): Promise<number> {
  const p = palette(args.color && io.isTTY);
  switch (args.command) {
    case 'tui':
      if (io.isTTY && !args.json) {
        const { runTui } = await import('../ui/run.js');
        return runTui(project, { color: args.color, lockTimeoutSeconds: args.lockTimeoutSeconds, cwd: io.cwd });
      }
    // falls through: not a terminal, so the same as status
    case 'status': {
      const timeline = await project.timeline();
      if (args.json) io.stdout(JSON.stringify(statusJson(project.dialect, timeline), null, 2));
      else io.stdout(statusText(p, { dialect: project.dialect, database: project.config.displayUrl }, timeline));
      return ExitCode.ok;
    }
    case 'up':
    case 'down':
      return move(project, args, io, p);
    case 'check': {
      const report = await project.check();
      if (args.json) io.stdout(JSON.stringify(report, null, 2));
      else if (report.inSync) io.stdout(p.green('✓ entities and schema are in sync; no applied file was edited'));
      else {
        if (report.schemaDiff.length) {
          io.stdout(p.yellow(`entities and schema differ; this SQL would bring the database to the entities:`));
          for (const s of report.schemaDiff) io.stdout(`  ${s}`);
        }
        for (const name of report.modified) io.stdout(p.yellow(`${name} was edited after it was applied`));
      }
      return report.inSync ? ExitCode.ok : ExitCode.checkDifference;
    }
    case 'seed': {
      const { seedFeatures } = await import('./seed.js');
      await seedFeatures(project, args.rows ?? 10_000, io.stdout);
      return ExitCode.ok;
    }
    default:
      throw new UsageError(`unknown command "${args.command}"`);
  }
}

async function move(project: ProjectType, args: CliArgs, io: Io, p: ReturnType<typeof palette>): Promise<number> {
  const direction = args.command as 'up' | 'down';
  const runner = project.runner();
  if (direction === 'down' && !args.dryRun && !args.yes) {
    const plan = await project.plan('down', args.target);
    const losses: string[] = [];
    for (const revision of plan.revisions) {
      for (const loss of dataLossOf(await project.statementsOf(revision, 'down'))) losses.push(`${revision.name} drops ${describeDataLoss(loss)}`);
    }
    if (losses.length > 0) {
      const what = losses.length > 1 ? `${losses[0]} (and ${losses.length - 1} more)` : losses[0];
      // A data-losing down needs an explicit yes: asked in a terminal, --yes when nobody is there to ask.
      if (!io.isTTY) throw new UsageError(`down would lose data: ${what}`, 'Run it again with --yes to confirm.');
      io.stderr(`down reverts ${plan.revisions.length} revision(s) and loses data:`);
      for (const line of losses) io.stderr(`  ${line}`);
      if (!(await confirm('Continue? [y/N] '))) {
        io.stderr('cancelled; nothing changed');
        return ExitCode.ok;
      }
    }
  }
  if (!args.json) runner.events.on('event', printRunEvents(p, args.dryRun ? io.stdout : io.stderr));
  else runner.events.on('lock:waiting', printRunEvents(p, io.stderr));
  const onSigint = () => runner.stop();
  process.on('SIGINT', onSigint);
  try {
    const result = await runner.run({
      direction,
      target: args.target,
      dryRun: args.dryRun,
      allOrNothing: args.allOrNothing,
      lockTimeoutMs: args.lockTimeoutSeconds * 1000,
    });
    if (args.json) {
      const key = direction === 'up' ? 'applied' : 'reverted';
      const out: Record<string, unknown> = args.dryRun
        ? { dryRun: true, revisions: result.sql }
        : { [key]: result.done, durationMs: result.durationMs };
      if (result.failed) {
        out.failed = {
          revision: 'revision' in result.failed ? result.failed.revision : undefined,
          message: 'databaseMessage' in result.failed ? result.failed.databaseMessage : result.failed.message,
          statement: 'statement' in result.failed ? result.failed.statement : undefined,
          hint: result.failed.hint,
        };
      }
      io.stdout(JSON.stringify(out, null, 2));
    } else if (result.failed && !result.failed.message) {
      io.stderr(result.failed.message);
    }
    if (result.failed) return ExitCode.migrationFailed;
    return ExitCode.ok;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Asks a yes/no question on the terminal; anything but y/yes is no. */
async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Prints an error as one or two lines (stack only under DEBUG=migrate-ui); returns its exit code. */
function reportError(error: unknown, io: Io): number {
  const debug = /\bmigrate-ui\b/.test(io.env.DEBUG ?? '');
  if (error instanceof MigrateUiError) {
    io.stderr(`migrate-ui: ${maskPasswords(error.message)}`);
    if (error.hint) io.stderr(`  ${error.hint}`);
    if (debug) io.stderr(String((error.cause as Error)?.stack ?? error.stack));
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  io.stderr(`migrate-ui: ${maskPasswords(message)}`);
  io.stderr(debug ? String((error as Error)?.stack) : '  Run with DEBUG=migrate-ui for details.');
  return ExitCode.usage;
}

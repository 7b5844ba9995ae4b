import { type Direction, ExitCode, MigrateUiError, type Project, type Runner, type RunResult, StoppedError, UsageError } from '../core/index.js';
import type { CliArgs } from './args.js';
import { printPreview, printRunEvents, type Palette } from './print.js';
import { printDataProgress } from './data-progress.js';
import type { Io } from './report.js';

/** `up` and `down`: a dry run prints the plan's SQL; a real run asks before losing data, then runs under the lock. */
export async function move(project: Project, args: CliArgs, io: Io, p: Palette): Promise<number> {
  const direction = args.command as Direction;
  if (args.dryRun) return dryRun(project, direction, args, io, p);
  const confirmed = direction === 'down' && !args.yes ? await confirmDown(project, args, io) : undefined;
  if (confirmed === null) return ExitCode.ok;
  const runner = project.runner();
  const nothing = project.hasRevisionFiles() ? 'nothing to do' : `nothing to do: no revisions yet in ${project.config.migrationsDir}`;
  if (!args.json) runner.events.on('event', printRunEvents(p, io.stderr, nothing));
  else runner.events.on('lock:waiting', printRunEvents(p, io.stderr));
  // A data migration's progress goes to stderr in both modes: --json keeps stdout for its one object.
  runner.events.on('event', printDataProgress(p, io.stderr));
  const stopOnSignal = interrupts(io, () => runner.stop(), abortNotice(runner));
  try {
    const result = await runner.run({
      direction,
      target: args.target,
      confirmed,
      allOrNothing: args.allOrNothing,
      allowOutOfOrder: args.allowOutOfOrder,
      lockTimeoutMs: args.lockTimeoutSeconds * 1000,
    });
    if (args.json) io.stdout(JSON.stringify(runJson(result), null, 2));
    if (result.failed) return ExitCode.migrationFailed;
    return result.stopped ? ExitCode.stopped : ExitCode.ok;
  } catch (error) {
    if (!(error instanceof StoppedError)) throw error;
    const notRun = (await project.plan(direction, args.target, args).catch(() => null))?.revisions.map((r) => r.name) ?? [];
    if (args.json) io.stdout(JSON.stringify({ [direction === 'up' ? 'applied' : 'reverted']: [], stopped: true, notRun }, null, 2));
    else io.stderr(p.yellow(`stopped while waiting for the migration lock; nothing ran`));
    return ExitCode.stopped;
  } finally {
    stopOnSignal();
  }
}

/** What leaving at once does to the run, said as it stands: nothing ran yet, a revision in progress, or between two. */
function abortNotice(runner: Runner): () => string {
  let state: 'waiting' | 'between' | 'revision' = 'waiting';
  runner.events.on('event', (event) => {
    if (event.type === 'lock:acquired' || event.type === 'revision:done' || event.type === 'revision:failed') state = 'between';
    if (event.type === 'revision:start') state = 'revision';
  });
  return () => {
    if (state === 'waiting') return 'stopped while waiting for the migration lock; nothing ran';
    if (state === 'revision') return 'aborted: the revision in progress was not recorded; the database rolls it back where it can';
    return 'aborted between revisions: the ones that finished stay applied';
  };
}

/**
 * ctrl-c and SIGTERM stop after the current revision (at once while waiting for the lock); a second one
 * leaves at once: the database rolls back the revision in progress when the connection closes.
 */
function interrupts(io: Io, stop: () => void, notice: () => string): () => void {
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      io.stderr(
        `${signal === 'SIGINT' ? 'ctrl-c' : signal}: stopping after the current revision, or a data migration's current batch (again to abort it now)`,
      );
      stop();
      return;
    }
    io.stderr(notice());
    process.exit(ExitCode.stopped);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // The stop was taken and said: another signal while the process closes leaves with the same code, quietly.
    if (count > 0) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(ExitCode.stopped));
  };
}

function runJson(result: RunResult): Record<string, unknown> {
  const out: Record<string, unknown> = { [result.direction === 'up' ? 'applied' : 'reverted']: result.done, durationMs: result.durationMs };
  if (result.failed) {
    const f = result.failed;
    out.failed = {
      revision: f.revision,
      statement: 'statement' in f ? f.statement : undefined,
      message: 'databaseMessage' in f ? [f.databaseMessage, ...f.details].join('\n') : f.message,
      hint: f.hint,
    };
  }
  if (result.stopped) Object.assign(out, { stopped: true, notRun: result.notRun });
  return out;
}

/** Prints what each planned revision would run, in order, and stops at the first that cannot run (exit 1). */
async function dryRun(project: Project, direction: Direction, args: CliArgs, io: Io, p: Palette): Promise<number> {
  const plan = await project.plan(direction, args.target, args);
  const previews = await project.previewPlan(plan);
  const shown = previews.slice(0, previews.findIndex((r) => r.error) + 1 || previews.length);
  // Loaded here: only a dry run lints, and the lint's tables are some of the largest modules a plain `up` would load.
  const { lintRevision } = await import('../core/sql/index.js');
  // What each revision risks, from the statements it would run (the lint of DESIGN §5).
  const warnings = shown.map((r) => lintRevision({ dialect: project.dialect, up: r.statements }).map((w) => w.message));
  if (args.json) {
    const revisions = shown.map((r, i) => ({
      name: r.name,
      statements: r.statements,
      warnings: warnings[i],
      ...(r.error ? { error: r.error } : {}),
    }));
    io.stdout(JSON.stringify({ dryRun: true, revisions }, null, 2));
  } else for (const [i, preview] of shown.entries()) printPreview(p, preview, io.stdout, warnings[i]);
  return shown.some((r) => r.error) ? ExitCode.migrationFailed : ExitCode.ok;
}

/**
 * A down without --yes looks at what it would lose first. In a terminal it asks; without one it refuses.
 * Returns the confirmed revision names (the run checks them under the lock), or null when the person said no.
 */
async function confirmDown(project: Project, args: CliArgs, io: Io): Promise<string[] | null> {
  const plan = await project.plan('down', args.target);
  const previews = await project.previewPlan(plan, { measure: true });
  const broken = previews.find((r) => r.error);
  if (broken) throw new MigrateUiError(broken.error!, ExitCode.migrationFailed, 'Nothing ran; fix the revision and run again.');
  const { describeLoss } = await import('../core/preview/describe-loss.js');
  const losses = previews.flatMap((r) =>
    r.losses.map((loss) => `${r.name} ${loss.kind === 'values' ? 'overwrites' : 'drops'} ${describeLoss(loss)}`),
  );
  if (losses.length > 0) {
    const what = losses.length > 1 ? `${losses[0]} (and ${losses.length - 1} more)` : losses[0];
    // A data-losing down needs an explicit yes: asked in a terminal, --yes when nobody is there to ask.
    if (!io.isTTY) throw new UsageError(`down would lose data: ${what}`, 'Run it again with --yes to confirm.');
    io.stderr(`down reverts ${plan.revisions.length} revision(s) and loses data:`);
    for (const line of losses) io.stderr(`  ${line}`);
    if (!(await ask('Continue? [y/N] '))) {
      io.stderr('cancelled; nothing changed');
      return null;
    }
  }
  return plan.revisions.map((r) => r.name);
}

/** Asks a yes/no question on the terminal; anything but y/yes is no. */
export async function ask(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

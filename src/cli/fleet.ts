import { ExitCode, MigrateUiError, type Project, type ProjectOptions, UsageError } from '../core/index.js';
import { fleetDownPlans } from '../core/fleet/down-plan.js';
import type { ClaimBoard } from '../core/fleet/claims.js';
import { fleetPreviews, type TargetPreview } from '../core/fleet/dry-run.js';
import { openClaimBoard, readFleet, targetOpener } from '../core/fleet/fleet.js';
import { type FleetEvent, Rollout, rolloutExitCode, type SkipReason } from '../core/fleet/rollout.js';
import { fleetStatus, type RolloutStatus, rolloutStatus, type TargetStatus } from '../core/fleet/status.js';
import type { CliArgs } from './args.js';
import { type Palette, printPreview } from './print.js';
import type { Io } from './report.js';

const DEFAULT_CONCURRENCY = 4;
/** A shared rollout's worker that has not beaten its heart for this long is taken to be gone. */
const DEFAULT_STALE_AFTER_SECONDS = 30;

/** `fleet status` and `fleet up`: the fleet's targets, each opened as a project of its own. */
export async function fleet(project: Project, args: CliArgs, io: Io, p: Palette): Promise<number> {
  const options = { cwd: io.cwd, configPath: project.config.configPath, dbUrl: args.db, env: io.env };
  // A shared rollout's status is its claims: read from the control database alone (no target is opened).
  if (args.fleetAction === 'status' && args.rollout) {
    const status = await rolloutStatus(project, options, {
      rollout: args.rollout,
      control: args.control,
      staleAfterMs: (args.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000,
    });
    if (args.json) io.stdout(JSON.stringify(status, null, 2));
    else for (const line of rolloutLines(p, status)) io.stdout(line);
    return ExitCode.ok;
  }
  const fleet = await readFleet(project, { ...options, fleetFile: args.fleetFile });
  const targets = fleet.targets;
  if (fleet.ignored) io.stderr(p.dim(`fleet: ${fleet.source}; ${fleet.ignored} is not read (name it with --fleet to use it)`));
  const concurrency = args.concurrency ?? poolMax(project) ?? DEFAULT_CONCURRENCY;
  if (args.fleetAction === 'status') {
    const rows = await fleetStatus(targets, targetOpener({ ...options, readOnly: true }), concurrency);
    if (args.json) io.stdout(JSON.stringify({ targets: rows }, null, 2));
    else for (const line of statusLines(p, rows)) io.stdout(line);
    return rows.some((r) => r.error) ? ExitCode.usage : ExitCode.ok;
  }
  const direction = args.fleetAction === 'down' ? 'down' : 'up';
  if (args.dryRun) {
    const previews = await fleetPreviews(targets, targetOpener({ ...options, readOnly: true }), direction, args.target, concurrency);
    return printDryRun(previews, direction, project, args, io, p);
  }
  const confirmed =
    direction === 'down' ? await confirmDown(targets, targetOpener({ ...options, readOnly: true }), args, io, concurrency) : undefined;
  if (confirmed === null) return ExitCode.ok;
  const rollout = new Rollout(targets, targetOpener(options));
  const maxFailures = args.maxFailures ?? 1;
  const board = args.rollout ? await sharedBoard(project, options, args, direction) : undefined;
  const worker = board ? { worker: board.worker } : {};
  rollout.on(
    args.json
      ? (event) => io.stdout(JSON.stringify({ event: event.type, ...without(event), ...worker, at: new Date().toISOString() }))
      : printer(p, io, maxFailures, board),
  );
  const release = interrupts(io, () => rollout.stop());
  try {
    const result = await rollout.run({
      direction,
      target: args.target,
      confirmed,
      concurrency,
      canary: args.canary ?? 0,
      maxFailures,
      lockTimeoutMs: args.lockTimeoutSeconds * 1000,
      board,
    });
    return rolloutExitCode(result);
  } finally {
    release();
    await board?.close().catch(() => undefined);
  }
}

/** The claims of the shared rollout `--rollout NAME`, on `--control URL` or the configured database. */
async function sharedBoard(project: Project, options: ProjectOptions, args: CliArgs, direction: 'up' | 'down'): Promise<ClaimBoard> {
  return openClaimBoard(project, options, {
    rollout: args.rollout!,
    control: args.control,
    plan: `${direction} ${args.target ?? (direction === 'up' ? 'head' : '-1')}`,
    staleAfterMs: (args.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000,
    retryFailed: args.retryFailed,
  });
}

/**
 * Before a fleet down: every target's plan and what it would lose, summed. Data lost needs --yes (asked in a
 * terminal). Returns each target's confirmed revisions, or null when the person said no.
 */
async function confirmDown(
  targets: Parameters<typeof fleetDownPlans>[0],
  open: Parameters<typeof fleetDownPlans>[1],
  args: CliArgs,
  io: Io,
  concurrency: number,
): Promise<Map<string, string[]> | null> {
  const plans = await fleetDownPlans(targets, open, args.target, concurrency);
  const broken = plans.find((plan) => plan.broken);
  if (broken)
    throw new MigrateUiError(
      `fleet target ${broken.target}: ${broken.broken}`,
      ExitCode.migrationFailed,
      'Nothing ran; fix the revision and run again.',
    );
  const confirmed = new Map(plans.map((plan) => [plan.target, plan.revisions]));
  const { describeLoss } = await import('../core/preview/describe-loss.js');
  // Every loss needs the yes, as down's do; the ones that hold data come first, so the one line names one of them.
  const empty = (loss: { amount?: number; atLeast?: boolean }) => (loss.amount === 0 && !loss.atLeast ? 1 : 0);
  const losses = plans
    .flatMap((plan) => plan.losses.map((entry) => ({ target: plan.target, ...entry })))
    .sort((a, b) => empty(a.loss) - empty(b.loss))
    .map(({ target, revision, loss }) => `${target}: ${revision} ${loss.kind === 'values' ? 'overwrites' : 'drops'} ${describeLoss(loss)}`);
  if (losses.length === 0 || args.yes) return confirmed;
  const losing = plans.filter((plan) => plan.losses.length > 0).length;
  const reverts = plans.reduce((sum, plan) => sum + plan.revisions.length, 0);
  if (!io.isTTY) {
    const more = losses.length > 1 ? ` (and ${losses.length - 1} more)` : '';
    throw new UsageError(
      `fleet down would lose data on ${losing} of ${plans.length} target(s): ${losses[0]}${more}`,
      'Run it again with --yes to confirm.',
    );
  }
  io.stderr(`fleet down reverts ${reverts} revision(s) on ${plans.length} target(s) and loses data on ${losing}:`);
  for (const line of losses) io.stderr(`  ${line}`);
  const { ask } = await import('./move.js');
  if (!(await ask('Continue? [y/N] '))) {
    io.stderr('cancelled; nothing changed');
    return null;
  }
  return confirmed;
}

/** `fleet up|down --dry-run`: per target the revisions it would run and their SQL, as `up --dry-run` prints them. */
async function printDryRun(previews: TargetPreview[], direction: 'up' | 'down', project: Project, args: CliArgs, io: Io, p: Palette) {
  const { lintRevision } = await import('../core/sql/index.js');
  const warnings = (statements: string[]) => lintRevision({ dialect: project.dialect, up: statements }).map((w) => w.message);
  if (args.json) {
    const targets = previews.map((t) => ({
      target: t.target,
      revisions: t.revisions.map((r) => ({
        name: r.name,
        statements: r.statements,
        warnings: warnings(r.statements),
        ...(r.error ? { error: r.error } : {}),
      })),
      ...(t.error ? { error: t.error } : {}),
    }));
    io.stdout(JSON.stringify({ dryRun: true, direction, targets }, null, 2));
  } else {
    const verb = direction === 'up' ? 'apply' : 'revert';
    for (const t of previews) {
      if (t.error) {
        io.stdout(`${p.red('✗')} ${t.target}: ${t.error}`);
        io.stdout('');
        continue;
      }
      io.stdout(p.cyan(`-- ${t.target}: ${t.revisions.length > 0 ? `would ${verb} ${t.revisions.length}` : 'nothing to do'}`));
      if (t.revisions.length === 0) io.stdout('');
      for (const r of t.revisions) printPreview(p, r, io.stdout, warnings(r.statements));
    }
  }
  const failed = previews.find((t) => t.error);
  if (failed) return failed.exitCode ?? ExitCode.usage;
  return previews.some((t) => t.revisions.some((r) => r.error)) ? ExitCode.migrationFailed : ExitCode.ok;
}

/** The config's pool size: as many targets at once as it allows connections. */
function poolMax(project: Project): number | undefined {
  const max = (project.config.options.pool as { max?: unknown } | undefined)?.max;
  return typeof max === 'number' && max >= 1 ? Math.floor(max) : undefined;
}

function without({ type, ...rest }: FleetEvent): Omit<FleetEvent, 'type'> {
  void type;
  return rest;
}

/** One line per target of `fleet status`: name, current revision, pending count, lock holder, what failed. */
function statusLines(p: Palette, rows: TargetStatus[]): string[] {
  const width = Math.max(...rows.map((r) => r.target.length));
  return rows.map((r) => {
    const name = r.target.padEnd(width);
    if (r.error) return `${p.red('✗')} ${name}  ${p.red(r.error)}`;
    const glyph = r.failed.length > 0 ? p.red('✗') : r.pending > 0 ? p.yellow('·') : p.green('✓');
    const parts = [r.current ?? 'base', r.pending > 0 ? p.yellow(`${r.pending} pending`) : p.dim('up to date')];
    if (r.lock) parts.push(p.cyan(`locked by pid ${r.lock.pid} on ${r.lock.host} since ${new Date(r.lock.since).toISOString()}`));
    if (r.failed.length > 0) parts.push(p.red(`failed: ${r.failed.join(', ')}`));
    return `${glyph} ${name}  ${parts.join('  ')}`;
  });
}

/** `fleet status --rollout`: a line per target (state, worker, since when, heartbeat age, what failed) and the sum. */
function rolloutLines(p: Palette, status: RolloutStatus): string[] {
  const width = Math.max(...status.targets.map((t) => t.target.length));
  const glyph = { done: p.green('✓'), failed: p.red('✗'), running: p.cyan('▶'), pending: p.dim('·') };
  const age = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`);
  const lines = [p.dim(`fleet rollout ${status.rollout} (${status.plan}) on ${status.control}`)];
  for (const t of status.targets) {
    const parts = [t.state.padEnd(7)];
    if (t.by) parts.push(`${t.state === 'running' ? 'by' : 'ran by'} ${t.by}`);
    if (t.since) parts.push(`since ${t.since}`);
    if (t.state === 'running' && t.heartbeatAgeMs !== null)
      parts.push(
        t.stale ? p.yellow(`heartbeat ${age(t.heartbeatAgeMs)} ago (stale: another worker takes it over)`) : `heartbeat ${age(t.heartbeatAgeMs)} ago`,
      );
    if (t.attempts > 1) parts.push(p.dim(`attempt ${t.attempts}`));
    if (t.failure) parts.push(p.red(`${t.failure.revision ? `${t.failure.revision} failed: ` : ''}${t.failure.message.split('\n')[0]}`));
    lines.push(`${glyph[t.state]} ${t.target.padEnd(width)}  ${parts.join('  ')}`);
  }
  const { done, failed, running, pending } = status.counts;
  lines.push(`rollout ${status.rollout}: ${done} done, ${failed} failed, ${running} running, ${pending} pending`);
  return lines;
}

const SKIPPED: Record<SkipReason, (maxFailures: number) => string> = {
  'max-failures': (k) => `not started: ${k} target(s) failed (--max-failures ${k})`,
  'canary-failed': () => 'not started: a canary failed',
  stopped: () => 'not started: stopped',
};

/** The rollout as lines on stderr: a line per finished, failed or untouched target, and the sum at the end. */
function printer(p: Palette, io: Io, maxFailures: number, board?: ClaimBoard): (event: FleetEvent) => void {
  let direction = 'up';
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return (event) => {
    switch (event.type) {
      case 'fleet:planned': {
        direction = event.direction;
        const canary = event.canary.length > 0 ? `, canary ${event.canary.join(', ')}` : '';
        const shared = board ? `, worker ${board.worker}${event.retried ? `; ${event.retried} failed target(s) back to pending` : ''}` : '';
        io.stderr(p.dim(`fleet ${event.direction}: ${event.targets.length} target(s), ${event.concurrency} at once${canary}${shared}`));
        return;
      }
      case 'target:start':
        if (event.takenFrom) io.stderr(`${p.yellow('↻')} ${event.target}  taken over from ${event.takenFrom} (its heartbeat stopped)`);
        return;
      case 'target:done': {
        const what = event.done.length > 0 ? `${direction === 'up' ? 'applied' : 'reverted'} ${event.done.length}` : 'nothing to do';
        io.stderr(`${p.green('✓')} ${event.target}  ${what} ${p.dim(`(${seconds(event.durationMs)})`)}`);
        return;
      }
      case 'target:failed': {
        const where = event.revision ? `${event.revision} failed: ` : '';
        io.stderr(`${p.red('✗')} ${event.target}  ${where}${event.message.split('\n').join(' ')}`);
        if (event.statement) io.stderr(`    statement: ${event.statement}`);
        if (event.done.length > 0) io.stderr(p.dim(`    ${direction === 'up' ? 'applied' : 'reverted'} before it: ${event.done.join(', ')}`));
        return;
      }
      case 'target:stopped':
        io.stderr(`${p.yellow('■')} ${event.target}  stopped after ${event.done.length}; ${event.notRun.length} not run (up again carries on)`);
        return;
      case 'target:skipped':
        io.stderr(`${p.dim('-')} ${event.target}  ${p.dim(SKIPPED[event.reason](maxFailures))}`);
        return;
      case 'fleet:done': {
        const parts = [`${event.done.length} done`, `${event.failed.length} failed`, `${event.skipped.length} not started`];
        const ran = event.ran ? `; this worker ran ${event.ran.length}` : '';
        const line = `fleet: ${parts.join(', ')}${ran} (${seconds(event.durationMs)})`;
        io.stderr(event.failed.length > 0 ? p.red(line) : event.skipped.length > 0 ? p.yellow(line) : p.green(line));
        return;
      }
    }
  };
}

/** ctrl-c and SIGTERM: no further target starts, running ones stop after their current revision; a second one leaves at once. */
function interrupts(io: Io, stop: () => void): () => void {
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++count === 1) {
      io.stderr(
        `${signal === 'SIGINT' ? 'ctrl-c' : signal}: no further target starts; running ones stop after their current revision (again to abort now)`,
      );
      stop();
      return;
    }
    process.exit(ExitCode.stopped);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

import { ExitCode, type Project } from '../core/index.js';
import { loadFleet, targetOpener } from '../core/fleet/fleet.js';
import { type FleetEvent, Rollout, rolloutExitCode, type SkipReason } from '../core/fleet/rollout.js';
import { fleetStatus, type TargetStatus } from '../core/fleet/status.js';
import type { CliArgs } from './args.js';
import type { Palette } from './print.js';
import type { Io } from './report.js';

const DEFAULT_CONCURRENCY = 4;

/** `fleet status` and `fleet up`: the fleet's targets, each opened as a project of its own. */
export async function fleet(project: Project, args: CliArgs, io: Io, p: Palette): Promise<number> {
  const options = { cwd: io.cwd, configPath: project.config.configPath, dbUrl: args.db, env: io.env };
  const targets = await loadFleet(project, { ...options, fleetFile: args.fleetFile });
  const concurrency = args.concurrency ?? poolMax(project) ?? DEFAULT_CONCURRENCY;
  if (args.fleetAction === 'status') {
    const rows = await fleetStatus(targets, targetOpener({ ...options, readOnly: true }), concurrency);
    if (args.json) io.stdout(JSON.stringify({ targets: rows }, null, 2));
    else for (const line of statusLines(p, rows)) io.stdout(line);
    return rows.some((r) => r.error) ? ExitCode.usage : ExitCode.ok;
  }
  const rollout = new Rollout(targets, targetOpener(options));
  const maxFailures = args.maxFailures ?? 1;
  rollout.on(
    args.json
      ? (event) => io.stdout(JSON.stringify({ event: event.type, ...without(event), at: new Date().toISOString() }))
      : printer(p, io, maxFailures),
  );
  const release = interrupts(io, () => rollout.stop());
  try {
    const result = await rollout.run({
      direction: 'up',
      target: args.target,
      concurrency,
      canary: args.canary ?? 0,
      maxFailures,
      lockTimeoutMs: args.lockTimeoutSeconds * 1000,
    });
    return rolloutExitCode(result);
  } finally {
    release();
  }
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

const SKIPPED: Record<SkipReason, (maxFailures: number) => string> = {
  'max-failures': (k) => `not started: ${k} target(s) failed (--max-failures ${k})`,
  'canary-failed': () => 'not started: a canary failed',
  stopped: () => 'not started: stopped',
};

/** The rollout as lines on stderr: a line per finished, failed or untouched target, and the sum at the end. */
function printer(p: Palette, io: Io, maxFailures: number): (event: FleetEvent) => void {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return (event) => {
    switch (event.type) {
      case 'fleet:planned': {
        const canary = event.canary.length > 0 ? `, canary ${event.canary.join(', ')}` : '';
        io.stderr(p.dim(`fleet ${event.direction}: ${event.targets.length} target(s), ${event.concurrency} at once${canary}`));
        return;
      }
      case 'target:done': {
        const what = event.done.length > 0 ? `applied ${event.done.length}` : 'nothing to do';
        io.stderr(`${p.green('✓')} ${event.target}  ${what} ${p.dim(`(${seconds(event.durationMs)})`)}`);
        return;
      }
      case 'target:failed': {
        const where = event.revision ? `${event.revision} failed: ` : '';
        io.stderr(`${p.red('✗')} ${event.target}  ${where}${event.message.split('\n').join(' ')}`);
        if (event.statement) io.stderr(`    statement: ${event.statement}`);
        if (event.done.length > 0) io.stderr(p.dim(`    applied before it: ${event.done.join(', ')}`));
        return;
      }
      case 'target:skipped':
        io.stderr(`${p.dim('-')} ${event.target}  ${p.dim(SKIPPED[event.reason](maxFailures))}`);
        return;
      case 'fleet:done': {
        const parts = [`${event.done.length} done`, `${event.failed.length} failed`, `${event.skipped.length} not started`];
        const line = `fleet: ${parts.join(', ')} (${seconds(event.durationMs)})`;
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

import { ExitCode, type Project, UsageError } from '../core/index.js';
import type { StampCheck } from '../core/verify/stamp-check.js';
import { describeChange } from '../core/verify/snapshot.js';
import type { CliArgs } from './args.js';
import type { Palette } from './print.js';
import type { Io } from './report.js';

/**
 * `stamp TARGET`: marks what `up TARGET` would apply as applied (or, `--unapply`, forgets what `down TARGET` would
 * revert) without running anything, for a database built another way. It shows exactly which records it writes or
 * deletes and asks first (or takes `--yes`); under the lock the plan must still be the one shown. `--check` first
 * compares the database's schema with the history replayed on a scratch database, and refuses (exit 5) when they differ.
 */
export async function stamp(project: Project, args: CliArgs, io: Io, p: Palette): Promise<number> {
  if (!args.target)
    throw new UsageError('stamp needs a TARGET', 'For example `migrate-ui stamp head`: every pending revision recorded as applied, none run.');
  if (args.scratch && !args.check) throw new UsageError('stamp takes --scratch only with --check', 'It says where --check replays the history.');
  const unapply = args.unapply;
  const plan = await project.plan(unapply ? 'down' : 'up', args.target, { recordsOnly: true });
  const names = plan.revisions.map((r) => r.name);
  const mark = unapply ? '-' : '+';
  const what = unapply ? 'forget the records of' : 'record as applied';
  let check: StampCheck | undefined;
  const json = (stamped: string[], extra: { dryRun?: true; refused?: true } = {}) =>
    io.stdout(
      JSON.stringify({ stamp: unapply ? 'unapply' : 'apply', ...extra, revisions: stamped, ...(check ? { check: checkJson(check) } : {}) }, null, 2),
    );
  if (names.length === 0) {
    if (args.json) json([]);
    else io.stderr('nothing to do');
    return ExitCode.ok;
  }
  if (args.check) {
    check = await checkSchema(project, args, io, p);
    if (!check.matches) {
      if (args.json) json([], { refused: true });
      else for (const line of refusalLines(check, p)) io.stderr(line);
      return ExitCode.notProven;
    }
  }
  const heading = `stamp would ${what} ${names.length} revision(s) without running them, in MikroORM's table and migrate-ui's:`;
  if (args.dryRun) {
    if (args.json) json(names, { dryRun: true });
    else for (const line of [heading, ...names.map((name) => `  ${mark} ${name}`)]) io.stdout(line);
    return ExitCode.ok;
  }
  if (!args.yes) {
    const list = names.length > 3 ? `${names.slice(0, 3).join(', ')} (and ${names.length - 3} more)` : names.join(', ');
    if (!io.isTTY) throw new UsageError(`stamp would ${what} ${list} without running them`, 'Run it again with --yes to confirm.');
    io.stderr(heading);
    for (const name of names) io.stderr(`  ${mark} ${name}`);
    const { ask } = await import('./move.js');
    if (!(await ask('Continue? [y/N] '))) {
      io.stderr('cancelled; nothing changed');
      return ExitCode.ok;
    }
  }
  const result = await project.stamp({ target: args.target, unapply, confirmed: names, lockTimeoutMs: args.lockTimeoutSeconds * 1000 });
  if (args.json) json(result.stamped);
  else for (const name of result.stamped) io.stderr(`${p.green('✓')} ${unapply ? 'forgot  ' : 'stamped '} ${name} ${p.dim('(nothing ran)')}`);
  return ExitCode.ok;
}

async function checkSchema(project: Project, args: CliArgs, io: Io, p: Palette): Promise<StampCheck> {
  const [{ checkStamp }, { dropOnSignal }] = await Promise.all([import('../core/verify/stamp-check.js'), import('./verify.js')]);
  const stop = dropOnSignal(io);
  try {
    const check = await checkStamp(project, {
      target: args.target!,
      unapply: args.unapply,
      scratchUrl: args.scratch,
      open: { cwd: io.cwd, configPath: project.config.configPath, env: io.env },
    });
    if (check.matches && !args.json)
      io.stderr(`${p.green('✓')} the database's schema is the history's, replayed up to ${check.replayedTo ?? 'base'}`);
    return check;
  } finally {
    stop.done();
  }
}

/** One line for what was refused, then each difference (+ only in the database, - missing from it). */
function refusalLines(check: StampCheck, p: Palette): string[] {
  const n = check.differences.length;
  return [
    `migrate-ui: stamp refused: the database's schema differs from the history replayed up to ${check.replayedTo ?? 'base'} (${n} difference${n === 1 ? '' : 's'}); nothing recorded`,
    `  ${p.dim('+ only in the database, - missing from it, ~ not the same')}`,
    ...check.differences.map((c) => `  ${describeChange(c, check.database, check.history)}`),
  ];
}

function checkJson(check: StampCheck) {
  return { matches: check.matches, replayedTo: check.replayedTo, scratch: check.scratch, differences: check.differences };
}

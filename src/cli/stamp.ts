import { ExitCode, type Project, UsageError } from '../core/index.js';
import type { CliArgs } from './args.js';
import type { Palette } from './print.js';
import type { Io } from './report.js';

/**
 * `stamp TARGET`: marks what `up TARGET` would apply as applied (or, `--unapply`, forgets what `down TARGET` would
 * revert) without running anything, for a database built another way. It shows exactly which records it writes or
 * deletes and asks first (or takes `--yes`); under the lock the plan must still be the one shown.
 */
export async function stamp(project: Project, args: CliArgs, io: Io, p: Palette): Promise<number> {
  if (!args.target)
    throw new UsageError('stamp needs a TARGET', 'For example `migrate-ui stamp head`: every pending revision recorded as applied, none run.');
  const unapply = args.unapply;
  const plan = await project.plan(unapply ? 'down' : 'up', args.target, { recordsOnly: true });
  const names = plan.revisions.map((r) => r.name);
  const mark = unapply ? '-' : '+';
  const what = unapply ? 'forget the records of' : 'record as applied';
  const json = (stamped: string[], dryRun = false) =>
    io.stdout(JSON.stringify({ stamp: unapply ? 'unapply' : 'apply', ...(dryRun ? { dryRun: true } : {}), revisions: stamped }, null, 2));
  if (names.length === 0) {
    if (args.json) json([]);
    else io.stderr('nothing to do');
    return ExitCode.ok;
  }
  const heading = `stamp would ${what} ${names.length} revision(s) without running them, in MikroORM's table and migrate-ui's:`;
  if (args.dryRun) {
    if (args.json) json(names, true);
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

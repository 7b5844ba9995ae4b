import { relative } from 'node:path';
import { planSquash, type Squash, squashRevisions } from '../authoring/squash.js';
import { ExitCode, type Project, UsageError } from '../core/index.js';
import type { CliArgs } from './args.js';
import type { Palette } from './print.js';
import type { Io } from './report.js';
import { dropOnSignal } from './verify.js';

/**
 * `squash FROM TO`: one revision replacing the range, built from the schemas the originals give on a scratch database,
 * written and proven on another (a fresh database built by it has exactly the originals' schema, and its down() gives
 * back the schema before the range). It asks first (or takes `--yes`); `--dry-run` shows the file and writes nothing.
 */
export async function squash(project: Project, args: CliArgs, io: Io, p: Palette): Promise<number> {
  const request = {
    from: args.from!,
    to: args.to!,
    name: args.name,
    dryRun: args.dryRun,
    scratch: { scratchUrl: args.scratch, open: { cwd: io.cwd, configPath: project.config.configPath, env: io.env } },
  };
  const plan = await planSquash(project, request);
  const names = plan.range.map((r) => r.name);
  const what = `${plan.revision} replacing ${names.length} revision(s) (${names[0]} … ${names.at(-1)})`;
  if (!args.dryRun && !args.yes) {
    if (!io.isTTY) throw new UsageError(`squash would write ${what}`, 'Run it again with --yes to confirm, or with --dry-run to see the file.');
    io.stderr(`squash would write ${relative(io.cwd, plan.path)}, replacing:`);
    for (const name of names) io.stderr(`  - ${name}`);
    const { ask } = await import('./move.js');
    if (!(await ask('Continue? [y/N] '))) {
      io.stderr('cancelled; nothing written');
      return ExitCode.ok;
    }
  }
  const stop = dropOnSignal(io);
  try {
    const result = await squashRevisions(project, request, plan);
    if (args.json) io.stdout(JSON.stringify(squashJson(result, args.dryRun), null, 2));
    else if (args.dryRun) {
      io.stdout(p.dim(`// ${relative(io.cwd, result.path)} (not written)`));
      io.stdout(result.source);
    } else for (const line of squashText(p, result, io.cwd)) io.stdout(line);
    return ExitCode.ok;
  } finally {
    stop.done();
  }
}

function squashJson(result: Squash, dryRun: boolean) {
  return {
    ...(dryRun ? { dryRun: true, file: null, source: result.source } : { file: result.path }),
    revision: result.revision,
    replaces: result.replaces,
    base: result.base,
    operations: result.operations.length,
    ...(result.proof ? { proven: result.proof.up.length === 0 && result.proof.down.length === 0 } : {}),
  };
}

function squashText(p: Palette, result: Squash, cwd: string): string[] {
  return [
    `${p.green('✓')} wrote ${relative(cwd, result.path)}: ${result.operations.length} operation(s) replacing ${result.replaces.length} revision(s)`,
    `${p.green('✓')} proven on a scratch database: the same schema as ${result.replaces.at(-1)}, and down() gives back ${result.base ?? 'an empty database'}`,
    p.dim('  a database that applied them sees it applied; a new one applies only it. `status` says when the old files can go.'),
  ];
}

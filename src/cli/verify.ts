import { relative } from 'node:path';
import { ExitCode, type Project } from '../core/index.js';
import { dropEveryScratch } from '../core/verify/scratch.js';
import { describeChange } from '../core/verify/snapshot.js';
import { type RevisionProof, type VerifyReport, verifyRevisions } from '../core/verify/verify.js';
import type { CliArgs } from './args.js';
import type { Palette } from './print.js';
import type { Io } from './report.js';

const STATUS_TEXT: Record<RevisionProof['status'], string> = {
  reversible: 'reversible',
  'not-reversible': 'not reversible',
  'not-repeatable': 'not repeatable',
  'no-down': 'no down()',
  failed: 'failed',
};

/** `verify [RANGE]`: each revision proven reversible on a scratch database; exit 0 all proven, 5 something not. */
export async function verify(project: Project, args: CliArgs, io: Io, p: Palette): Promise<number> {
  const stop = dropOnSignal(io);
  try {
    const report = await verifyRevisions(project, {
      range: args.range,
      scratchUrl: args.scratch,
      concurrency: args.concurrency,
      open: { cwd: io.cwd, configPath: project.config.configPath, env: io.env },
      onEvent: args.json
        ? undefined
        : (event) => {
            if (event.type === 'verify:scratch') io.stderr(p.dim(`scratch database ${event.name}`));
            if (event.type === 'verify:replay') io.stderr(p.dim(`replaying ${event.revisions} revision(s) before the range`));
            if (event.type === 'verify:revision') for (const line of proofLines(p, event.proof)) io.stdout(line);
          },
    });
    if (args.json) io.stdout(JSON.stringify(verifyJson(report, project.config.projectDir), null, 2));
    else for (const line of summaryLines(p, report)) io.stdout(line);
    if (io.env.GITHUB_ACTIONS === 'true') for (const line of annotations(report, io.cwd)) io.stdout(line);
    return report.proven ? ExitCode.ok : ExitCode.notProven;
  } finally {
    stop.done();
  }
}

/** The lines of one revision's proof: a mark, the name, what was found. */
export function proofLines(p: Palette, proof: RevisionProof): string[] {
  const ok = proof.status === 'reversible';
  const lines = [
    `${ok ? p.green('✓') : p.red('✗')} ${proof.name}  ${ok ? p.green(STATUS_TEXT[proof.status]) : p.red(STATUS_TEXT[proof.status])} ${p.dim(`(${proof.durationMs} ms)`)}`,
  ];
  if (proof.status === 'not-reversible')
    lines.push(p.yellow('    down() does not give back the schema before up(); after down(), compared with before up():'));
  if (proof.status === 'not-repeatable' && proof.differences.length)
    lines.push(p.yellow('    up() again does not give the schema of the first up(); the second compared with the first:'));
  for (const change of proof.differences) lines.push(`      ${colourChange(p, describeChange(change))}`);
  if (proof.failure) {
    lines.push(p.yellow(`    ${proof.failure.step} failed: ${proof.failure.message}`));
    if (proof.failure.statement) lines.push(`      ${proof.failure.statement}`);
  }
  if (proof.status === 'no-down') lines.push(p.yellow('    it has no down(): write one that undoes up()'));
  for (const loss of proof.dataLost) lines.push(p.dim(`    down() loses data: ${loss}`));
  return lines;
}

function colourChange(p: Palette, line: string): string {
  return line.startsWith('+') ? p.green(line) : line.startsWith('-') ? p.red(line) : p.yellow(line);
}

function summaryLines(p: Palette, report: VerifyReport): string[] {
  const lines: string[] = [];
  if (report.revisions.length === 0 && !report.entities) return ['nothing to verify: no pending revision (give a RANGE, e.g. base..head)'];
  for (const name of report.notRun) lines.push(p.yellow(`- ${name}  not verified: an earlier revision could not be applied`));
  if (report.entitiesSkipped) lines.push(p.dim(`entities not compared at head: ${report.entitiesSkipped}`));
  if (report.entities?.inSync) lines.push(p.green('✓ at head, the entities match the schema'));
  if (report.entities && !report.entities.inSync) {
    lines.push(p.red('✗ at head, the entities differ from the schema; this SQL would bring the schema to them:'));
    for (const s of report.entities.schemaDiff) lines.push(`    ${s}`);
  }
  const proven = report.revisions.filter((r) => r.status === 'reversible').length;
  const total = report.revisions.length + report.notRun.length;
  const seconds = (report.durationMs / 1000).toFixed(1);
  lines.push(
    report.proven
      ? p.green(`${proven} of ${total} revision(s) proven on ${report.dialect} (${seconds} s)`)
      : p.red(
          `${proven} of ${total} revision(s) proven on ${report.dialect}${report.entities && !report.entities.inSync ? ', entities differ' : ''} (${seconds} s)`,
        ),
  );
  return lines;
}

function verifyJson(report: VerifyReport, projectDir: string) {
  return {
    dialect: report.dialect,
    scratch: report.scratch,
    proven: report.proven,
    revisions: report.revisions.map((r) => ({
      name: r.name,
      file: r.path ? relative(projectDir, r.path) : null,
      status: r.status,
      differences: r.differences,
      ...(r.failure ? { failure: r.failure } : {}),
      dataLost: r.dataLost,
      durationMs: r.durationMs,
    })),
    notRun: report.notRun,
    entities: report.entities ?? null,
    ...(report.entitiesSkipped ? { entitiesSkipped: report.entitiesSkipped } : {}),
    durationMs: report.durationMs,
  };
}

/** One GitHub Actions error annotation per revision not proven (and one for entities that differ). */
function annotations(report: VerifyReport, cwd: string): string[] {
  const encode = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const lines: string[] = [];
  for (const r of report.revisions) {
    if (r.status === 'reversible') continue;
    const what = r.differences.length ? r.differences.map((c) => describeChange(c)).join('; ') : (r.failure?.message ?? STATUS_TEXT[r.status]);
    const file = r.path ? relative(cwd, r.path) : r.name;
    lines.push(`::error file=${file},title=migrate-ui verify::${encode(`${r.name} ${STATUS_TEXT[r.status]}: ${what}`)}`);
  }
  if (report.entities && !report.entities.inSync)
    lines.push(`::error title=migrate-ui verify::${encode(`entities differ from the schema at head: ${report.entities.schemaDiff.join(' ')}`)}`);
  return lines;
}

/** ctrl-c and SIGTERM drop the scratch database before leaving (exit 130); a kill -9 leaves it to the next run's sweep. */
export function dropOnSignal(io: Io): { done: () => void } {
  const onSignal = (signal: NodeJS.Signals) => {
    io.stderr(`${signal === 'SIGINT' ? 'ctrl-c' : signal}: dropping the scratch database and stopping`);
    const leave = () => process.exit(ExitCode.stopped);
    // One being created is awaited, then dropped too.
    dropEveryScratch().then(leave, leave);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    done: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

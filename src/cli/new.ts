import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { AuthoringSession, type RevisionDraft } from '../authoring/session.js';
import { describeCannotRun, describeProblem } from '../authoring/validate.js';
import { ExitCode, type Project, UsageError } from '../core/index.js';
import type { CliArgs } from './args.js';
import type { Palette } from './print.js';
import type { Io } from './report.js';

const USAGE = 'Usage: migrate-ui new NAME --spec FILE | --from-entities [--print] [--no-entities] [--json]';

/** `new NAME`: a revision from a spec file or from the entities, written with its entity edits (or only shown, with --print). */
export async function newRevision(project: Project, args: CliArgs, io: Io, p: Palette): Promise<number> {
  if (!args.spec && !args.fromEntities && io.isTTY && !args.json && !args.print) {
    // In a terminal, without a spec: the form, with the name typed so far.
    const { runTui } = await import('../ui/start-tui.js');
    return runTui(project, { color: args.color, lockTimeoutSeconds: args.lockTimeoutSeconds, cwd: io.cwd, newRevision: args.name ?? '' });
  }
  if (!args.name) throw new UsageError('new needs the revision name, e.g. migrate-ui new add_projects --spec spec.json', USAGE);
  if (!args.spec && !args.fromEntities) throw new UsageError('new needs --spec FILE or --from-entities (or a terminal, for the form)', USAGE);
  const timeline = await project.timeline();
  if (args.fromEntities) {
    // MikroORM's diff compares the entities with the database as it is: with revisions pending it would write them again.
    const { pending } = timeline;
    if (pending > 0)
      throw new UsageError(
        `${pending} ${pending === 1 ? 'revision is' : 'revisions are'} pending: --from-entities compares the entities with the database as it is now`,
        'Apply them first (migrate-ui up), or write this revision with --spec.',
      );
  }
  const session = await AuthoringSession.open(project, { timeline });
  const spec = args.spec ? readSpec(args.spec, io.cwd) : await session.fromEntities();
  if (args.fromEntities && (spec as { operations: unknown[] }).operations.length === 0) {
    // Nothing to do is done (DESIGN §3): exit 0, and no empty revision.
    if (args.json) io.stdout(JSON.stringify({ file: null, entities: [], warnings: [], sql: {} }, null, 2));
    else io.stdout(`${p.green('✓')} nothing to write: the entities and the database already agree`);
    return ExitCode.ok;
  }
  // From the entities, they are the source: nothing to edit.
  const draft = await session.draft(args.name, spec, { entities: args.entities && !args.fromEntities, fromEntities: args.fromEntities });
  if (draft.authored.problems.length > 0) {
    for (const problem of draft.authored.problems)
      io.stderr(`migrate-ui: ${describeProblem(problem, (spec as { operations?: unknown[] })?.operations)}`);
    // Checked against the schema the pending revisions leave: say where that schema is not fully known.
    const [note, ...more] = session.pendingNotes;
    if (note) io.stderr(`  note: ${note}${more.length > 0 ? ` (and ${more.length} more pending revisions not followed whole)` : ''}`);
    return ExitCode.usage;
  }
  if (draft.cannotRun.length > 0) {
    // What the form refuses to write (its "ready" needs both directions to preview on the connected database), new refuses too.
    io.stderr(`migrate-ui: ${describeCannotRun(project.dialect, draft.cannotRun)}`);
    io.stderr('  Nothing was written. Change the spec, or write this step by hand (an sql operation).');
    return ExitCode.usage;
  }
  if (args.print) return printOnly(draft, io, p, args.json);
  if (existsSync(draft.path))
    throw new UsageError(`${relative(io.cwd, draft.path)} already exists`, 'Wait a second and run it again, or pick another name.');
  await session.write(draft);
  const sql = Object.fromEntries(draft.sql.map((d) => [d.dialect, d.statements]));
  if (args.json) {
    const out = { file: draft.path, entities: draft.entities.map((e) => e.path), warnings: draft.warnings.map((w) => w.message), sql };
    io.stdout(JSON.stringify(out, null, 2));
  } else {
    io.stdout(`${p.green('✓')} wrote ${relative(io.cwd, draft.path)}`);
    for (const edit of draft.entities) {
      const verb = edit.before === null ? 'created' : edit.after === null ? 'removed' : 'edited ';
      io.stdout(`${p.green('✓')} ${verb} ${relative(io.cwd, edit.path)}`);
    }
    for (const note of draft.notes) io.stdout(p.dim(`  ${note}`));
    for (const warning of draft.warnings) io.stdout(p.yellow(`⚠ ${warning.message}`));
  }
  return ExitCode.ok;
}

function readSpec(file: string, cwd: string): unknown {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the spec ${file}`, 'Check the path.');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `the spec ${file} is not valid JSON: ${(error as Error).message}`,
      'It is { "operations": [ { "op": "createTable", … } ] }.',
    );
  }
}

function printOnly({ authored, sql, entities: edits, warnings }: RevisionDraft, io: Io, p: Palette, json: boolean): number {
  if (json) {
    const out = {
      file: null,
      source: authored.source,
      entities: edits.map((e) => ({ path: e.path, after: e.after })),
      warnings: warnings.map((w) => w.message),
      sql: Object.fromEntries(sql.map((d) => [d.dialect, d.statements])),
    };
    io.stdout(JSON.stringify(out, null, 2));
    return ExitCode.ok;
  }
  io.stdout(p.dim(`// ${authored.revision}.ts (not written)`));
  io.stdout(authored.source);
  const connected = sql[0];
  io.stdout(p.dim(`-- the SQL it runs on ${connected.dialect}`));
  for (const statement of connected.statements) io.stdout(statement.endsWith(';') ? statement : `${statement};`);
  for (const edit of edits) {
    io.stdout('');
    io.stdout(p.dim(`// ${edit.path} (${edit.before === null ? 'new' : edit.after === null ? 'deleted' : 'changed'}, not written)`));
    io.stdout(edit.after ?? '');
  }
  for (const warning of warnings) io.stdout(p.yellow(`⚠ ${warning.message}`));
  return ExitCode.ok;
}

import { ExitCode, type Project } from '../core/index.js';
import { diffSchemas, type SchemaDiffReport } from '../core/verify/schema-diff.js';
import { describeChange, type TableShape } from '../core/verify/snapshot.js';
import type { CliArgs } from './args.js';
import type { Palette } from './print.js';
import type { Io } from './report.js';
import { dropOnSignal } from './verify.js';

/** `diff A B`: the schema at A against the schema at B, as changes, as SQL (--sql) or as JSON. */
export async function diff(project: Project, args: CliArgs, io: Io, p: Palette): Promise<number> {
  const stop = dropOnSignal(io);
  try {
    const report = await diffSchemas(project, args.from!, args.to!, {
      scratchUrl: args.scratch,
      open: { cwd: io.cwd, configPath: project.config.configPath, env: io.env },
    });
    if (args.json) io.stdout(JSON.stringify(diffJson(report), null, 2));
    else if (args.sql) {
      if (report.sqlUnavailable) io.stderr(`no SQL: ${report.sqlUnavailable}`);
      for (const s of report.sql) io.stdout(s);
    } else for (const line of diffText(p, report)) io.stdout(line);
    return ExitCode.ok;
  } finally {
    stop.done();
  }
}

function side(s: SchemaDiffReport['from']): string {
  return s.revision && s.revision !== s.point ? `${s.point} (${s.revision})` : s.point;
}

/** The changes, one a line, added green, removed red, changed yellow; or one line saying there are none. */
export function diffText(p: Palette, report: SchemaDiffReport): string[] {
  const title = `${side(report.from)} → ${side(report.to)} on ${report.dialect}`;
  if (report.changes.length === 0) return [p.green(`no schema difference: ${title}`)];
  const lines = [p.bold(`${title}: ${report.changes.length} difference(s)`)];
  for (const change of report.changes) {
    const line = describeChange(change, report.toSnapshot, report.fromSnapshot);
    lines.push(`  ${change.change === 'added' ? p.green(line) : change.change === 'removed' ? p.red(line) : p.yellow(line)}`);
    // A table added or removed whole: its columns, indexes and foreign keys under it.
    const table = change.kind === 'table' ? (change.change === 'added' ? report.toSnapshot : report.fromSnapshot)[change.table] : undefined;
    if (table) lines.push(...tableLines(p, table));
  }
  return lines;
}

function tableLines(p: Palette, table: TableShape): string[] {
  const lines = Object.entries(table.columns).map(
    ([name, c]) =>
      `      ${name} ${c.type}${c.nullable ? ' null' : ' not null'}${c.default !== null ? ` default ${c.default}` : ''}${c.primary ? ' primary' : ''}`,
  );
  for (const [name, i] of Object.entries(table.indexes))
    if (!i.primary) lines.push(p.dim(`      ${i.unique ? 'unique ' : ''}index ${name} (${i.columns.join(', ')})`));
  for (const [name, f] of Object.entries(table.foreignKeys))
    lines.push(p.dim(`      foreign key ${name} (${f.columns.join(', ')}) → ${f.references} (${f.referencedColumns.join(', ')})`));
  return lines;
}

function diffJson(report: SchemaDiffReport) {
  return { dialect: report.dialect, from: report.from, to: report.to, changes: report.changes, sql: report.sql };
}

import type { CheckReport } from '../core/index.js';
import type { Palette } from './print.js';

/** The lines `check` prints: in sync, or each difference. */
export function checkText(p: Palette, report: CheckReport): string[] {
  const lines: string[] = [];
  if (report.inSync) lines.push(p.green('✓ entities and schema are in sync; no applied file was edited or is missing'));
  if (report.schemaDiff.length) {
    if (report.dropsEveryTable)
      lines.push(p.red('warning: this would drop every table of the database; are these the entities MikroORM uses? Check entities/entitiesTs.'));
    lines.push(p.yellow('entities and schema differ; this SQL would bring the database to the entities:'));
    for (const s of report.schemaDiff) lines.push(`  ${s}`);
  }
  for (const name of report.modified) lines.push(p.yellow(`${name} was edited after it was applied`));
  for (const name of report.missing) lines.push(p.yellow(`${name} is applied but its file is missing`));
  return lines;
}

/** Advice for stderr: the side tables MikroORM's own schema diff would propose to drop, and the config line that stops it. */
export function skipTablesNote(p: Palette, report: CheckReport): string[] {
  if (report.unskipped.length === 0) return [];
  const list = report.unskipped.map((t) => `'${t}'`).join(', ');
  return [
    p.dim(`note: MikroORM's own schema diff (schema:update, migration:create) would drop ${list}; add to your MikroORM config:`),
    p.dim(`  schemaGenerator: { skipTables: [${list}] }`),
  ];
}

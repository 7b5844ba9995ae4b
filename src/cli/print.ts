import type { DataMigrationProgress, Revision, RevisionPreview, RevisionStatus, RunEvent, Timeline } from '../core/index.js';
import { deletableFiles } from '../core/squash.js';
import { rowsText } from '../core/data/progress-text.js';
import { dataMigrationJson } from './data-progress.js';

/** ANSI styling that collapses to plain text when colour is off. */
export function palette(color: boolean) {
  const wrap = (code: string) => (text: string) => (color ? `\u001B[${code}m${text}\u001B[0m` : text);
  return { green: wrap('32'), red: wrap('31'), yellow: wrap('33'), cyan: wrap('36'), dim: wrap('2'), bold: wrap('1') };
}
export type Palette = ReturnType<typeof palette>;

export const STATUS_GLYPH: Record<RevisionStatus, string> = {
  applied: '✓',
  pending: '·',
  missing: '?',
  modified: '!',
  broken: '✗',
};

/** The JSON of `status --json` (DESIGN §3). */
export function statusJson(dialect: string, timeline: Timeline, warnings: Map<string, string[]> = new Map(), data: DataMigrationProgress[] = []) {
  return {
    dialect,
    current: timeline.current,
    pending: timeline.pending,
    revisions: timeline.revisions.map((r) => ({
      name: r.name,
      status: r.status,
      appliedAt: r.appliedAt ? r.appliedAt.toISOString() : null,
      kind: r.kind,
      warnings: warnings.get(r.name) ?? [],
      ...(r.outOfOrder ? { outOfOrder: true } : {}),
      ...(r.error ? { error: r.error } : {}),
      ...squashJson(r, timeline),
    })),
    // One entry per data migration recorded in migrate_ui_progress, its steps added up.
    dataMigrations: data.map((d) => dataMigrationJson(d)),
  };
}

/** A squash's fields in `status --json`: what it replaces (and which old files this database no longer needs), or what replaces it. */
function squashJson(r: Revision, timeline: Timeline) {
  if (r.replacedBy) return { replacedBy: r.replacedBy };
  if (!r.replaces) return {};
  return { replaces: r.replaces, ...(r.partial ? { partiallyApplied: r.partial } : { oldFilesDeletable: deletableFiles(r, timeline.revisions) }) };
}

/** What `status` says under a squash, or under a revision one replaces. */
function squashLines(r: Revision, timeline: Timeline): string[] {
  if (r.replacedBy) return [`replaced by ${r.replacedBy}`];
  if (!r.replaces) return [];
  if (r.partial)
    return [`waits: ${r.partial.length} of the ${r.replaces.length} revisions it replaces are applied; bring them all up, or all down, first`];
  const lines = [`replaces ${r.replaces.length} revision(s)${r.virtual ? '; applied through them (the next run records it)' : ''}`];
  const deletable = deletableFiles(r, timeline.revisions);
  if (deletable.length > 0)
    lines.push(`their ${deletable.length} old file(s) can be deleted as far as this database goes (every environment must be past it)`);
  return lines;
}

/** The human table of `status`. */
export function statusText(
  p: Palette,
  header: { dialect: string; database: string; migrationsDir: string },
  timeline: Timeline,
  dataMigrations: DataMigrationProgress[] = [],
  /** Warnings shown under a revision (the merged-branch lint), by name. */
  warnings: ReadonlyMap<string, string[]> = new Map(),
): string {
  const colour: Record<RevisionStatus, (s: string) => string> = {
    applied: p.green,
    pending: p.cyan,
    missing: p.yellow,
    modified: p.yellow,
    broken: p.red,
  };
  const lines = [
    `${p.bold('migrate-ui')} · ${header.dialect} · ${header.database}`,
    `current: ${timeline.current ?? '(base)'}   pending: ${timeline.pending}`,
    '',
  ];
  if (timeline.revisions.length === 0) lines.push(`  no revisions yet in ${header.migrationsDir}`);
  const width = Math.max(0, ...timeline.revisions.map((r) => r.name.length));
  for (const r of timeline.revisions) {
    const when = r.appliedAt ? r.appliedAt.toISOString().replace('T', ' ').slice(0, 16) : '';
    const state = colour[r.status](`${STATUS_GLYPH[r.status]} ${r.status.padEnd(8)}`);
    lines.push(`  ${state} ${r.name.padEnd(width)}  ${when.padEnd(16)}  ${p.dim(r.kind)}`);
    if (r.error) lines.push(`             ${p.red(r.error)}`);
    if (r.outOfOrder)
      lines.push(`             ${p.yellow(`below ${timeline.current}, the newest applied: from a merged branch (up --allow-out-of-order)`)}`);
    for (const line of squashLines(r, timeline)) lines.push(`             ${p.dim(line)}`);
    for (const warning of warnings.get(r.name) ?? []) lines.push(`             ${p.yellow(`⚠ ${warning}`)}`);
    // A data migration under way (or stopped half-way) says how far it got; `up` continues it.
    const data = dataMigrations.find((d) => d.revision === r.name && d.status !== 'done');
    if (data) {
      const step = data.steps > 1 ? ` · step ${data.step}/${data.steps}` : '';
      lines.push(`             ${p.yellow(`data migration ${dataState(data)}: ${rowsText(data.rowsDone, data.rowsTotal)}${step}`)}`);
    }
  }
  return lines.join('\n');
}

/** Prints run events as plain lines: the headless listener of a run. */
export function printRunEvents(p: Palette, write: (line: string) => void, nothingToDo = 'nothing to do'): (event: RunEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'lock:waiting': {
        const h = event.holder;
        write(
          p.yellow(
            h
              ? `waiting for the lock held by pid ${h.pid} on ${h.host} since ${new Date(h.since).toISOString()}`
              : 'waiting for the lock held by another run',
          ),
        );
        break;
      }
      case 'run:planned':
        if (event.revisions.length === 0) write(nothingToDo);
        break;
      case 'run:repaired':
        write(p.yellow(`note: a run that did not finish had started ${event.revisions.join(', ')}; recorded as not applied`));
        break;
      case 'revision:done':
        write(`${p.green('✓')} ${event.direction === 'up' ? 'applied ' : 'reverted'} ${event.name} ${p.dim(`(${event.durationMs} ms)`)}`);
        break;
      case 'revision:failed':
        write(`${p.red('✗')} ${event.name} failed (${event.direction})`);
        if (event.statement) write(`  statement: ${event.statement}`);
        write(`  error: ${event.message}`);
        for (const detail of event.details) write(`  ${detail}`);
        if (event.hint) write(`  ${event.hint}`);
        break;
      case 'run:stopped':
        write(p.yellow(`stopped; not run: ${event.remaining.join(', ')}`));
        break;
      default:
        break;
    }
  };
}

/** One revision of a dry run: a header, then each statement (or why it cannot run). */
export function printPreview(p: Palette, preview: RevisionPreview, write: (line: string) => void, warnings: string[] = []): void {
  if (preview.statements.length > 0 || !preview.error) write(p.dim(`-- ${preview.name} (${preview.direction})`));
  for (const s of preview.statements) write(s.trimEnd().endsWith(';') ? s : `${s};`);
  // As SQL comments: the output stays a script that runs.
  for (const warning of warnings) write(p.yellow(`-- ⚠ ${warning}`));
  if (preview.error) {
    write(`${p.red('✗')} ${preview.name} failed (${preview.direction})`);
    write(`  error: ${preview.error}`);
  }
  write('');
}

/** A data migration's state in `status`: interrupted when its process on this machine is gone, stalled without a heartbeat. */
function dataState(data: DataMigrationProgress): string {
  if (data.gone) return 'interrupted (its process is gone; up resumes it)';
  return data.stale ? 'stalled' : data.status;
}

import { isAbsolute, relative } from 'node:path';
import { describeLoss } from '../../core/preview/describe-loss.js';
import { lintRevision } from '../../core/sql/index.js';
import type { DataMigrationProgress, Dialect, Direction, Revision } from '../../core/index.js';
import { checkpointText } from '../data/checkpoint-text.js';
import { relativeTime, wrap } from '../format.js';
import type { Line } from '../scroll-view.js';
import { GLYPH, type Theme } from '../theme.js';
import type { SqlState } from './use-revision-sql.js';

const CHECKSUM: Record<NonNullable<Revision['checksum']>, string> = {
  match: 'matches the file that was applied',
  differs: 'differs: the file was edited after it was applied',
  unknown: 'unknown: applied by another tool (MikroORM CLI) or the file is gone',
};

interface Input {
  revision: Revision | null;
  current: string | null;
  dialect: string;
  sql: Record<Direction, SqlState>;
  width: number;
  now: number;
  theme: Theme;
  /** A pending data migration's checkpoint, where an earlier run stopped short of its end. */
  checkpoint?: DataMigrationProgress;
  /** The merged-branch lint: tables this revision shares with the other branch's applied revisions. */
  branchWarnings?: string[];
}

/** A path under the working directory shows relative to it: shorter, and what the user would type. */
function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** The details of one revision as lines: state, kind, file, checksum, error, then its up and down SQL. */
export function detailsLines({ revision, current, dialect, sql, width, now, theme, checkpoint, branchWarnings = [] }: Input): Line[] {
  if (!revision) {
    return [
      { text: 'base — the empty database, before the first revision', bold: true },
      { text: '' },
      ...wrap('d here reverts every applied revision (down base). u here has nothing to apply.', width).map((text) => ({ text })),
    ];
  }
  const field = (label: string, value: string, color?: string): Line[] =>
    wrap(value, width - 12).map((text, i) => ({ text: `  ${(i === 0 ? label : '').padEnd(10)}${text}`, color }));
  const when = revision.appliedAt
    ? ` ${relativeTime(revision.appliedAt, now)} (${revision.appliedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC)`
    : '';
  const lines: Line[] = [
    { text: revision.name, bold: true },
    ...field(
      'state',
      `${GLYPH[revision.status]} ${revision.status}${when}${revision.name === current ? ' — the current revision' : ''}`,
      theme.status[revision.status],
    ),
    ...field('kind', revision.kind),
    ...field('file', revision.path ? shownPath(revision.path) : '(missing: recorded as applied, but the file is gone)'),
    ...field('checksum', revision.checksum ? CHECKSUM[revision.checksum] : 'not applied yet'),
  ];
  const stoppedAt = checkpoint ? checkpointText(checkpoint) : undefined;
  if (stoppedAt) lines.push(...field('data', stoppedAt, theme.warning));
  if (revision.error) lines.push(...field('error', revision.error, theme.error));
  for (const direction of ['up', 'down'] as const) {
    lines.push({ text: '' }, { text: `${direction} — the SQL it runs on ${dialect}`, bold: true });
    lines.push(...sqlLines(sql[direction], width, theme));
  }
  // Losses already show under the SQL that loses them.
  const sqlWarnings =
    sql.up && !sql.up.error
      ? lintRevision({
          dialect: dialect as Dialect,
          up: sql.up.statements,
          down: sql.down?.statements,
          hasDown: !sql.down?.error?.includes('no down()'),
        })
          .filter((w) => w.rule !== 'data-loss')
          .map((w) => w.message)
      : [];
  const warnings = [...sqlWarnings, ...branchWarnings];
  if (warnings.length > 0) lines.push({ text: '' }, { text: 'lint — worth a second look before it runs', bold: true });
  for (const w of warnings) lines.push(...wrap(`⚠ ${w}`, width - 2).map((text) => ({ text: `  ${text}`, color: theme.warning })));
  return lines;
}

function sqlLines(state: SqlState, width: number, theme: Theme): Line[] {
  if (state === null) return [{ text: '  reading…', dim: true }];
  const lines: Line[] = [];
  for (const statement of state.statements) {
    const text = statement.trimEnd().endsWith(';') ? statement : `${statement};`;
    lines.push(...wrap(text, width - 2).map((t) => ({ text: `  ${t}` })));
  }
  if (state.error) lines.push(...wrap(`cannot show the SQL: ${state.error}`, width - 2).map((text) => ({ text: `  ${text}`, color: theme.error })));
  else if (state.statements.length === 0) lines.push({ text: '  (no SQL)', dim: true });
  for (const loss of state.losses) lines.push({ text: `  ⚠ ${loss.absent ? 'would lose' : 'loses'} ${describeLoss(loss)}`, color: theme.warning });
  return lines;
}

import { relative } from 'node:path';
import { type AuthoredRevision, dialectsFor } from '../../authoring/engine.js';
import type { RevisionDraft } from '../../authoring/session.js';
import { describeProblem } from '../../authoring/validate.js';
import type { Dialect } from '../../core/index.js';
import { wrap } from '../format.js';
import type { Line } from '../scroll-view.js';
import type { Theme } from '../theme.js';
import { lineDiff } from './line-diff.js';

/** A tab of the preview: the file, the SQL on one database, the entity edits, the lint. */
export type PreviewTab = 'file' | `sql:${Dialect}` | 'entities' | 'lint';

/** The tabs in order: the SQL of the connected database right after the file, then the other two. */
export function previewTabs(connected: Dialect): PreviewTab[] {
  return ['file', ...dialectsFor(connected).map((d) => `sql:${d}` as const), 'entities', 'lint'];
}

export function tabLabel(tab: PreviewTab): string {
  return tab.startsWith('sql:') ? `SQL ${tab.slice(4)}` : tab === 'file' ? 'File' : tab === 'entities' ? 'Entities' : 'Lint';
}

interface Sources {
  authored: AuthoredRevision;
  /** The full draft of this spec, once drafted; null while it is being drafted. */
  draft: RevisionDraft | null;
  operations: unknown[];
  cwd: string;
  width: number;
  theme: Theme;
}

/** The lines of one tab, wrapped to the pane's width. */
export function previewLines(tab: PreviewTab, s: Sources): Line[] {
  const w = (text: string, style: Omit<Line, 'text'> = {}): Line[] => wrap(text, s.width).map((t) => ({ text: t, ...style }));
  const problems = s.authored.problems.flatMap((p) => w(`✗ ${describeProblem(p, s.operations)}`, { color: s.theme.error }));
  if (tab === 'lint') {
    if (problems.length > 0) return problems;
    if (!s.draft) return w('checking…', { dim: true });
    const warnings = s.draft.warnings.flatMap((x) => w(`⚠ ${x.message}`, { color: s.theme.warning }));
    const notes = s.draft.notes.flatMap((n) => w(`· ${n}`, { dim: true }));
    return warnings.length + notes.length > 0 ? [...warnings, ...notes] : w('✓ nothing to warn about', { color: s.theme.ok });
  }
  if (problems.length > 0) return [...w('Fix these first (the write step waits for them):', { bold: true }), ...problems];
  if (tab === 'file') return s.authored.source.split('\n').flatMap((line) => w(line));
  if (!s.draft) return w('drafting…', { dim: true });
  if (tab === 'entities') {
    if (s.draft.entities.length === 0) return w('no entity file changes', { dim: true });
    return s.draft.entities.flatMap((edit) => {
      const verb = edit.before === null ? 'new file' : edit.after === null ? 'removed' : 'edited';
      const diff = lineDiff(edit.before ?? '', edit.after ?? '').flatMap((d) =>
        w(`${d.mark} ${d.text}`, { color: d.mark === '+' ? s.theme.ok : d.mark === '-' ? s.theme.error : undefined, dim: d.mark === ' ' }),
      );
      return [...w(`${verb}: ${relative(s.cwd, edit.path)}`, { bold: true }), ...diff, { text: '' }];
    });
  }
  const dialect = tab.slice(4);
  const sql = s.draft.sql.find((d) => d.dialect === dialect);
  if (!sql) return w(`no SQL for ${dialect}`, { dim: true });
  if (sql.error) return w(sql.error, { color: s.theme.warning });
  return sql.statements.flatMap((statement) => [...w(`${statement};`), { text: '' }]);
}

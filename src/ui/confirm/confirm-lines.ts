import { plural, wrap } from '../format.js';
import type { Line } from '../scroll-view.js';
import type { Theme } from '../theme.js';
import type { Preview } from './use-plan-preview.js';
import type { DataMigrationProgress, Direction } from '../../core/index.js';
import { checkpointText } from '../data/checkpoint-text.js';

/** The title of a confirmation: what moves where, in words. */
export function confirmTitle(direction: Direction, target: string, count: number): string {
  if (direction === 'up') return `Upgrade to ${target}: ${plural(count, 'revision')} will be applied, oldest first`;
  if (target === 'base') return `Downgrade to base: every applied revision (${count}) will be reverted, newest first`;
  return `Downgrade to ${target}: ${plural(count, 'revision')} will be reverted, newest first; ${target} becomes current`;
}

/** Every revision that will run and its SQL, as lines for the scroll view. */
export function confirmLines(preview: Preview, width: number, theme: Theme, checkpoints?: ReadonlyMap<string, DataMigrationProgress>): Line[] {
  const lines: Line[] = [];
  preview.items.forEach(({ name, preview: item }, i) => {
    lines.push({ text: `${i + 1}. ${name}`, bold: true });
    const checkpoint = checkpoints?.get(name);
    const stoppedAt = checkpoint ? checkpointText(checkpoint) : undefined;
    if (stoppedAt) for (const t of wrap(stoppedAt, width - 5)) lines.push({ text: `     ${t}`, color: theme.warning });
    if (item === null) {
      lines.push({ text: '     reading the SQL…', dim: true });
    } else if (item.error) {
      for (const t of wrap(`cannot run: ${item.error}; the run will stop here`, width - 5)) lines.push({ text: `     ${t}`, color: theme.error });
    } else if (item.statements.length === 0) {
      lines.push({ text: '     (runs no SQL)', dim: true });
    } else {
      const lossy = new Set(item.losses.map((l) => l.statement));
      for (const statement of item.statements) {
        const text = statement.trimEnd().endsWith(';') ? statement : `${statement};`;
        for (const t of wrap(text, width - 5)) lines.push({ text: `     ${t}`, color: lossy.has(statement) ? theme.warning : undefined });
      }
    }
  });
  return lines;
}

import type { DescribedUp } from '../revisions.js';
import { isDataMigration } from './brand.js';
import { checkStep } from './steps.js';

/**
 * What a data migration would run, for a preview (dry run, details): each step as the statement its batches add up to,
 * and its schema changes before and after the steps to record. Nothing is asked of the database: a preview never runs
 * the batches' reads.
 */
export function describeDataMigration(migration: unknown, quote: (identifier: string) => string): DescribedUp | undefined {
  if (!isDataMigration(migration)) return undefined;
  const statements = migration.steps().map((raw, i) => {
    const step = checkStep(raw, i);
    const where = step.where ? ` where ${step.where}` : '';
    const by = step.key ? ` by ${step.key.join(', ')}` : ' by primary key';
    if (step.set) {
      const set = step.set.map(([column, expression]) => `${quote(column)} = ${expression}`).join(', ');
      return `update ${quote(step.table)} set ${set}${where} /* in batches${by} */`;
    }
    return `/* step ${i + 1}: the rows of ${quote(step.table)}${where} go to a TypeScript callback, in batches${by} */`;
  });
  return {
    statements,
    before: async () => migration.beforeSteps?.(),
    after: async () => migration.afterSteps?.(),
  };
}

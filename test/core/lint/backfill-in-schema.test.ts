import { describe, expect, it } from 'vitest';
import { lintFile } from '../../../src/authoring/ops/lint.js';

const file = (up: string, base = 'Migration') => `import { Migration } from '@mikro-orm/migrations';
import { DataMigration, ops } from 'migrate-ui';

export class Migration20260301000000_fill extends ${base} {
  override async up(): Promise<void> {
    const op = ops(this);
${up}
  }

  override async down(): Promise<void> {
    const op = ops(this);
    await op.dropColumn('features', 'rank');
  }
}
`;

// Issue 21: a backfill beside DDL in a plain Migration loses the revision's one transaction without a word.
describe('the lint of op.backfill in a schema revision', () => {
  it('warns when a Migration backfills beside schema changes', () => {
    const source = file(`    await op.addColumn('features', { name: 'rank', type: 'integer', nullable: true });
    await op.backfill('features', { rank: '1' });`);
    const warning = lintFile(source, 'sqlite').find((w) => w.rule === 'backfill-in-schema-revision');
    expect(warning?.message).toMatch(
      /^op\.backfill beside schema changes in a Migration: its batches commit one by one, so up\(\) is not one transaction/,
    );
  });

  it('says nothing of a Migration that only backfills, or of schema changes without a backfill', () => {
    expect(lintFile(file(`    await op.backfill('features', { rank: '1' });`), 'sqlite').map((w) => w.rule)).not.toContain(
      'backfill-in-schema-revision',
    );
    expect(
      lintFile(file(`    await op.addColumn('features', { name: 'rank', type: 'integer', nullable: true });`), 'sqlite').map((w) => w.rule),
    ).not.toContain('backfill-in-schema-revision');
  });
});

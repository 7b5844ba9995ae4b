import { describe, expect, it } from 'vitest';
import { LINT_SHAPES } from '../../../src/authoring/ops/lint.js';
import { mergedBranchWarnings, tablesOfSource } from '../../../src/core/lint/merged-branch.js';
import type { Revision } from '../../../src/core/timeline.js';
import { migration } from '../../helpers/real-project.js';

const opFile = (name: string, calls: string[]) => `import { Migration } from '@mikro-orm/migrations';
import { ops } from 'migrate-ui';

export class ${name} extends Migration {
  override async up(): Promise<void> {
    const op = ops(this);
${calls.map((c) => `    await ${c};`).join('\n')}
  }

  override async down(): Promise<void> {
    const op = ops(this);
    await op.dropTable('ignored_in_down');
  }
}
`;

const knexFile = (name: string) => `import { Migration } from '@mikro-orm/migrations';

export class ${name} extends Migration {
  override async up(): Promise<void> {
    const schema = this.getKnex().schema.alterTable('features', (table) => {
      table.specificType('slug', 'varchar(255)').nullable();
    });
    for (const { sql } of schema.toSQL()) this.addSql(sql);
  }
}
`;

describe('the tables a revision touches, read as text', () => {
  it('reads SQL strings, the form’s op calls and knex schema builder calls of up() (down() left out)', () => {
    expect(
      tablesOfSource(
        migration(
          'M1',
          ['alter table "features" add column "rank" int null', 'create index ix on users (name)', 'update channel set x = 1'],
          ['drop table teams'],
        ),
        'postgresql',
        LINT_SHAPES,
      ),
    ).toEqual(new Set(['features', 'users', 'channel']));
    expect(
      tablesOfSource(
        opFile('M2', ["op.addColumn('features', { name: 'priority', type: 'integer', nullable: true })", "op.renameTable('tags', 'labels')"]),
        'sqlite',
        LINT_SHAPES,
      ),
    ).toEqual(new Set(['features', 'tags', 'labels']));
    expect(tablesOfSource(knexFile('M3'), 'mysql', LINT_SHAPES)).toEqual(new Set(['features']));
  });
});

describe('the merged-branch lint', () => {
  const files: Record<string, string> = {
    '/m/A.ts': migration('A', ['create table features (id int primary key)'], ['drop table features']),
    '/m/B.ts': migration('B', ['alter table features add column priority int null'], []),
    '/m/C.ts': migration('C', ['create table teams (id int primary key)'], []),
    '/m/D.ts': migration('D', ['alter table features add column rank int null'], []),
    '/m/E.ts': migration('E', ['create index ix_rank on features (rank)', 'alter table users add column x int null'], []),
  };
  const revision = (name: string, status: Revision['status'], extra: Partial<Revision> = {}): Revision => ({
    name,
    status,
    appliedAt: null,
    kind: 'schema',
    path: `/m/${name}.ts`,
    checksum: null,
    ...extra,
  });
  const read = (path: string) => files[path];

  it('warns a pending revision from a merged branch once per table it shares with applied revisions after it, naming them', () => {
    // A and D applied on main; B (features) and C (teams) arrive with the merge, below D.
    const revisions = [
      revision('A', 'applied'),
      revision('B', 'pending', { outOfOrder: true }),
      revision('C', 'pending', { outOfOrder: true }),
      revision('D', 'applied'),
      revision('E', 'applied'),
    ];
    const warnings = mergedBranchWarnings(revisions, 'postgresql', LINT_SHAPES, read);
    expect([...warnings.keys()]).toEqual(['B']);
    expect(warnings.get('B')).toEqual([
      'from a merged branch: it touches features, which D and E (applied, from the other branch) changed too; check that they agree before applying it out of order',
    ]);
  });

  it('says nothing when no revision is out of order, or the other branch touched other tables', () => {
    const inOrder = [revision('A', 'applied'), revision('B', 'pending'), revision('D', 'pending')];
    expect(mergedBranchWarnings(inOrder, 'postgresql', LINT_SHAPES, read).size).toBe(0);
    const apart = [revision('A', 'applied'), revision('C', 'pending', { outOfOrder: true }), revision('D', 'applied')];
    expect(mergedBranchWarnings(apart, 'postgresql', LINT_SHAPES, read).size).toBe(0);
  });
});

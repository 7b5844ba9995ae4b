import { afterAll, describe, expect, test } from 'vitest';
import { lintFile } from '../../src/authoring/ops/lint.js';
import { AuthoringSession, Project } from '../../src/index.js';
import { DIALECTS } from '../helpers/databases.js';
import { authoringProject } from '../helpers/real-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

// The contract between the two lints of one revision: the static lint of the file migrate-ui writes (what `status`
// and the timeline show for it on disk, read as text) finds what the lint of the SQL its draft renders finds (what
// the form's preview shows), rule for rule, in the same words.
const SPECS: Record<string, { operations: object[] }> = {
  createTable: {
    operations: [
      {
        op: 'createTable',
        table: 'projects',
        columns: [
          { name: 'id', type: 'integer', primary: true },
          { name: 'title', type: 'string', length: 80 },
        ],
      },
    ],
  },
  addColumn: { operations: [{ op: 'addColumn', table: 'features', column: { name: 'priority', type: 'integer', nullable: true } }] },
  'addColumn not null': { operations: [{ op: 'addColumn', table: 'features', column: { name: 'rank', type: 'integer' } }] },
  'addColumn not null with a default': {
    operations: [{ op: 'addColumn', table: 'features', column: { name: 'rank', type: 'integer', default: 0 } }],
  },
  'alterColumn narrowing': { operations: [{ op: 'alterColumn', table: 'features', column: 'description', type: 'string', length: 40 }] },
  'alterColumn not null': { operations: [{ op: 'alterColumn', table: 'features', column: 'slug', nullable: false }] },
  'alterColumn type': { operations: [{ op: 'alterColumn', table: 'features', column: 'created_at', type: 'integer' }] },
  'alterColumn default': { operations: [{ op: 'alterColumn', table: 'features', column: 'name', default: 'x' }] },
  renameColumn: { operations: [{ op: 'renameColumn', table: 'features', from: 'description', to: 'details' }] },
  renameTable: { operations: [{ op: 'renameTable', from: 'channel', to: 'channels' }] },
  dropColumn: { operations: [{ op: 'dropColumn', table: 'features', column: 'slug' }] },
  dropTable: { operations: [{ op: 'dropTable', table: 'channel' }] },
  'renameColumn, dropColumn': {
    operations: [
      { op: 'renameColumn', table: 'features', from: 'slug', to: 'handle' },
      { op: 'dropColumn', table: 'features', column: 'handle' },
    ],
  },
  createIndex: { operations: [{ op: 'createIndex', table: 'features', columns: ['name'] }] },
  'createIndex unique': { operations: [{ op: 'createIndex', table: 'features', columns: ['name', 'user_id'], unique: true }] },
  dropIndex: { operations: [{ op: 'dropIndex', table: 'features', name: 'ix_features_slug' }] },
  renameIndex: { operations: [{ op: 'renameIndex', table: 'features', from: 'ix_features_slug', to: 'features_slug_idx' }] },
  'addForeignKey, dropForeignKey': {
    operations: [
      { op: 'addForeignKey', table: 'features', columns: ['user_id'], references: { table: 'users', columns: ['id'] }, name: 'features_owner' },
      { op: 'dropForeignKey', table: 'features', name: 'features_owner' },
    ],
  },
  'addCheck, dropCheck': {
    operations: [
      { op: 'addCheck', table: 'features', name: 'features_name_not_empty', expression: "name <> ''" },
      { op: 'dropCheck', table: 'features', name: 'features_name_not_empty' },
    ],
  },
  backfill: { operations: [{ op: 'backfill', table: 'features', set: { slug: 'lower(name)' }, where: 'slug is null' }] },
  'backfill between schema changes': {
    operations: [
      { op: 'addColumn', table: 'features', column: { name: 'code', type: 'string', nullable: true } },
      { op: 'backfill', table: 'features', set: { code: 'upper(name)' } },
      { op: 'alterColumn', table: 'features', column: 'code', nullable: false },
    ],
  },
  sql: { operations: [{ op: 'sql', up: 'create table notes (id integer primary key)', down: 'drop table notes' }] },
};

const FINDS: Record<string, string[]> = {
  'addColumn not null': ['not-null-without-default'],
  renameColumn: ['rename'],
  renameTable: ['rename'],
  dropColumn: ['data-loss'],
  dropTable: ['data-loss'],
  'renameColumn, dropColumn': ['rename', 'data-loss'],
  backfill: ['empty-down'],
  sql: ['raw-sql'],
};

describe.each(DIALECTS)('the lint of a generated file equals the lint of its draft, on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const example = authoringProject();
  let project: Project | undefined;
  let session: AuthoringSession;
  afterAll(async () => {
    await project?.close();
    example.remove();
  });

  test.sequential('set-up: the example applied', async (ctx) => {
    project = await Project.open({ cwd: example.dir, dbUrl: database(ctx).url, env: {} });
    await project.runner().run({ direction: 'up' });
    session = await AuthoringSession.open(project);
  });

  for (const name of Object.keys(SPECS))
    test.sequential(name, async (ctx) => {
      database(ctx);
      const draft = await session.draft('contract', SPECS[name], { entities: false });
      expect(draft.authored.problems).toEqual([]);
      expect(draft.cannotRun).toEqual([]);
      const ofFile = lintFile(draft.authored.source, project!.dialect).map((w) => [w.rule, w.message]);
      expect(ofFile).toEqual(draft.warnings.map((w) => [w.rule, w.message]));
      // Not two empty lists by accident: what each database's lint must find for these.
      for (const rule of FINDS[name] ?? []) expect(ofFile.map(([found]) => found)).toContain(rule);
    });
});

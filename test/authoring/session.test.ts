import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, type TestContext, test } from 'vitest';
import { AuthoringSession, describeProblem, Project } from '../../src/index.js';
import { EXAMPLE_REVISIONS as R } from '../helpers/project.js';
import { authoringProject } from '../helpers/real-project.js';
import { tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// The authoring engine as the form (and anyone embedding migrate-ui) calls it: drafts are complete and write nothing;
// write() is the one step that touches files.
describe('AuthoringSession from the public entry (SQLite)', () => {
  const database = useTestDatabase('sqlite');
  const example = authoringProject();
  let project: Project;
  let session: AuthoringSession;
  afterAll(async () => {
    await project?.close();
    example.remove();
  });

  /** The example applied, and a session on it (once, by the first test). */
  async function open(ctx: TestContext): Promise<void> {
    if (session) return;
    project = await Project.open({ cwd: example.dir, dbUrl: database(ctx).url, env: {} });
    await project.runner().run({ direction: 'up' });
    session = await AuthoringSession.open(project);
  }

  const SPEC = {
    operations: [
      { op: 'createTable', table: 'projects', columns: [{ name: 'id', type: 'integer', primary: true }] },
      { op: 'addColumn', table: 'features', column: { name: 'priority', type: 'integer', nullable: true } },
      { op: 'sql', up: 'create table notes (id integer primary key)', down: 'drop table notes' },
    ],
  };

  test('a draft has the file, the SQL on all three databases, the lint and the entity edits, and writes nothing', async (ctx) => {
    await open(ctx);
    const files = readdirSync(example.migrationsDir);
    const draft = await session.draft('add_projects', SPEC, { now: new Date('2027-01-02T03:04:05Z') });
    expect(draft.authored.problems).toEqual([]);
    expect(draft.path).toBe(join(example.migrationsDir, 'Migration20270102030405_add_projects.ts'));
    expect(draft.sql.map((d) => d.dialect)).toEqual(['sqlite', 'postgresql', 'mysql']);
    expect(draft.sql[1].statements[0]).toBe('create table "projects" ("id" int not null, constraint "projects_pkey" primary key ("id"))');
    expect(draft.sql[2].statements[1]).toBe('alter table `features` add `priority` int null');
    expect(draft.warnings.map((w) => w.rule)).toEqual(['raw-sql']);
    expect(draft.entities.map((e) => e.path.slice(example.dir.length + 1)).sort()).toEqual([
      'entities/feature.ts',
      'entities/project.ts',
      'mikro-orm.config.ts',
    ]);
    expect(readdirSync(example.migrationsDir)).toEqual(files);
    expect(existsSync(join(example.dir, 'entities/project.ts'))).toBe(false);
    expect(await tableNames(database(ctx))).not.toContain('projects');
  });

  test('a spec with problems drafts no SQL, and write() refuses it', async (ctx) => {
    await open(ctx);
    const draft = await session.draft('add projects', { operations: [{ op: 'dropTable', table: 'nowhere' }] });
    expect(draft.authored.problems.map((p) => describeProblem(p, [{ op: 'dropTable' }]))).toEqual([
      expect.stringMatching(/^name: /),
      expect.stringMatching(/^operation 1 \(dropTable\), table: .*nowhere/),
    ]);
    expect(draft.sql).toEqual([]);
    await expect(session.write(draft)).rejects.toThrow('nothing was written');
  });

  test('write() writes the entity edits and the revision, which then lists as pending', async (ctx) => {
    await open(ctx);
    const draft = await session.draft('add_projects', SPEC);
    await session.write(draft);
    expect(readFileSync(draft.path, 'utf8')).toBe(draft.authored.source);
    expect(existsSync(join(example.dir, 'entities/project.ts'))).toBe(true);
    const timeline = await project.timeline();
    expect(timeline.current).toBe(R.at(-1));
    expect(timeline.revisions.at(-1)).toMatchObject({ name: draft.authored.revision, status: 'pending' });
    await expect(session.write(draft)).rejects.toThrow('already exists');
  });
});

import { mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataLossOf, describeDataLoss } from '../../src/core/sql/index.js';
import { LiveTimeline } from '../../src/core/live-timeline.js';
import { databaseOf, type Project } from '../../src/core/project.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { openProject, sqlRevision, uiExample, type ExampleCopy } from '../helpers/ui-project.js';
import { DROP_STATEMENTS, DROPPED } from '../helpers/data-loss.js';

// Tests of the two src/core files this issue added (data-loss.ts, live-timeline.ts).
describe('dataLossOf', () => {
  it('finds dropped tables and columns on every dialect, and nothing in index, constraint or default drops', () => {
    const losses = DROP_STATEMENTS.flatMap((statement) => dataLossOf([statement], statement.includes('`') ? 'mysql' : 'postgresql'));
    expect(losses.map(describeDataLoss)).toEqual(DROPPED);
  });
});

describe('LiveTimeline', () => {
  let example: ExampleCopy;
  let db: TestDatabase;
  let project: Project;
  beforeAll(async () => {
    example = uiExample();
    db = (await createTestDatabase('sqlite', mkdtempSync(join(tmpdir(), 'mui-live-'))))!;
    project = await openProject(example.configPath, db.url);
  });
  afterAll(async () => {
    await project.close();
    await db.drop();
    example.remove();
  });

  it('reads the database every time and the files only when they changed (or when told)', async () => {
    const live = new LiveTimeline(databaseOf(project));
    expect((await live.read()).revisions).toHaveLength(6);
    await project.runner().run({ direction: 'up', target: '+1' });
    expect((await live.read()).current).toBe('Migration20260101090000_create_users');

    const name = 'Migration20260107090000_notes';
    const path = example.addRevision(name, sqlRevision(name, 'create table notes (id integer)', 'drop table notes'));
    // Without a check the cached listing stands; a fingerprint check sees the new file.
    expect((await live.read()).revisions).toHaveLength(6);
    expect((await live.read({ checkFiles: true })).revisions).toHaveLength(7);

    writeFileSync(path, 'export class Broken {');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect((await live.read()).revisions.find((r) => r.name === name)?.status).toBe('pending');
    live.invalidate();
    expect((await live.read()).revisions.find((r) => r.name === name)?.status).toBe('broken');
    rmSync(path);
    expect((await live.read({ checkFiles: true })).revisions).toHaveLength(6);
  });
});

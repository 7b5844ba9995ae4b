import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { renderApp, selectRow } from '../helpers/render-app.js';
import { openProject, sqlRevision, sqliteExample, type SqliteExample } from '../helpers/ui-project.js';
import { withSql } from '../helpers/sql.js';
import type { Project } from '../../src/core/project.js';

const BACKFILL = 'Migration20260105090000_backfill_feature_slug';
const INDEX = 'Migration20260106090000_add_feature_slug_index';
const PRECIOUS = 'Migration20260107090000_precious';

// DESIGN §4: what runs is exactly what was confirmed. Before the fix, y on "Revert 1 revision" reverted two
// once another process had applied one more, dropping `precious` without asking.
describe('a plan that changes between confirmation and y', () => {
  let fixture: SqliteExample;
  let other: Project;

  beforeAll(async () => {
    fixture = await sqliteExample(INDEX);
    other = await openProject(fixture.example.configPath, fixture.db.url);
  });
  afterAll(async () => {
    await other.close();
    await fixture.close();
  });

  it('runs nothing, says so, and shows the new plan for confirmation', async () => {
    const app = await renderApp(fixture.project);
    await selectRow(app, BACKFILL);
    await pressAndWait(app.stdin, app.lastFrame, 'd', 'Revert 1 revision?  y yes · n no · enter = yes');
    fixture.example.addRevision(PRECIOUS, sqlRevision(PRECIOUS, 'create table precious (id integer primary key)', 'drop table precious'));
    const result = await other.runner().run({ direction: 'up' });
    expect(result.done).toEqual([PRECIOUS]);
    await withSql(fixture.db, (sql) => sql.query('insert into precious (id) values (1), (2)'));

    let frame = await pressAndWait(app.stdin, app.lastFrame, 'y', 'the plan changed while waiting for the lock; nothing ran');
    frame = await waitForFrame(app.lastFrame, 'Revert 2 revisions and lose that data?');
    expect(frame).toContain(`1. ${PRECIOUS}`);
    expect(frame).toContain(`2. ${INDEX}`);
    expect(frame).toContain('table precious and its 2 rows');
    await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'cancelled: nothing ran');
    expect((await fixture.project.timeline()).current).toBe(PRECIOUS);
    expect(await withSql(fixture.db, (sql) => sql.query('select id from precious order by id'))).toEqual([{ id: 1 }, { id: 2 }]);
    app.unmount();
  });
});

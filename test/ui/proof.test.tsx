import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { withSql } from '../helpers/sql.js';
import { keys, pressAndWait } from '../helpers/ink.js';
import { renderApp, rowOf, selectRow } from '../helpers/render-app.js';
import { sqlRevision, sqliteExample, type SqliteExample } from '../helpers/ui-project.js';

const USERS = 'Migration20260101090000_create_users';
const CHANNEL = 'Migration20260102090000_add_channel_table';
const FEATURES = 'Migration20260103090000_add_features_table';
const SLUG = 'Migration20260104090000_add_feature_slug';
const LEAKY = 'Migration20260107090000_leaky';

// v verifies on a scratch database from the timeline; space marks a revision and = diffs it against the selected one.
describe('verify and diff in the TUI (SQLite)', () => {
  let env: SqliteExample;
  let project: Project;
  const tables = () =>
    withSql(env.db, async (c) =>
      (await c.query<{ name: string }>(`select name from sqlite_master where type = 'table' order by name`)).map((r) => r.name),
    );

  beforeAll(async () => {
    env = await sqliteExample(USERS);
    project = env.project;
  });
  afterAll(async () => {
    await env.close();
  });

  it('v on a pending revision proves it reversible on a scratch database; the database is untouched; esc goes back', async () => {
    const before = await tables();
    const app = await renderApp(project);
    await selectRow(app, FEATURES);
    const frame = await pressAndWait(app.stdin, app.lastFrame, 'v', 'proven', 30_000);
    expect(frame).toContain(`verify ${FEATURES} on a scratch database`);
    expect(frame).toContain(`✓ ${FEATURES}  reversible`);
    expect(frame).toContain('down() loses data: table features and its rows');
    expect(await tables()).toEqual(before);
    await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'enter  details');
    app.unmount();
  });

  it('space marks a revision, = on another opens the diff between them; = without a mark says to mark first', async () => {
    const app = await renderApp(project);
    await selectRow(app, SLUG);
    await pressAndWait(app.stdin, app.lastFrame, '=', 'mark a revision with space first');
    await selectRow(app, CHANNEL);
    await pressAndWait(app.stdin, app.lastFrame, ' ', `marked ${CHANNEL}`);
    await selectRow(app, SLUG);
    const frame = await pressAndWait(app.stdin, app.lastFrame, '=', '+ table features', 30_000);
    expect(frame).toContain(`diff ${CHANNEL} → ${SLUG}`);
    expect(frame).toContain('create index `ix_features_user_id` on `features` (`user_id`);');
    expect(frame).toContain('SQL on sqlite');
    await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'enter  details');
    app.unmount();
  });

  it('a revision v cannot prove is marked on the timeline with what differs; the space mark shows on its row', async () => {
    env.example.addRevision(LEAKY, sqlRevision(LEAKY, 'create table leaky (id integer primary key)', 'select 1'));
    const app = await renderApp(project);
    await selectRow(app, LEAKY);
    const frame = await pressAndWait(app.stdin, app.lastFrame, 'v', 'not proven', 30_000);
    expect(frame).toContain(`✗ ${LEAKY}  not reversible`);
    expect(frame).toContain('+ table leaky');
    const timeline = await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'enter  details');
    expect(rowOf(timeline, LEAKY)).toContain('✗ not proven');
    await selectRow(app, CHANNEL);
    const marked = await pressAndWait(app.stdin, app.lastFrame, ' ', `marked ${CHANNEL}`);
    expect(rowOf(marked, CHANNEL)).toContain('● marked');
    app.unmount();
  });
});

import { describe, expect, test } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENTER_GUARD_MS } from '../../src/ui/confirm/confirm-screen.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { keys, press, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { EXAMPLE_TABLES } from '../helpers/project.js';
import { renderApp, rowOf, selectRow, shownName, type RenderedApp } from '../helpers/render-app.js';
import { tableNames, withSql } from '../helpers/sql.js';
import { useUiExample } from '../helpers/ui-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

const USERS = 'Migration20260101090000_create_users';
const CHANNEL = 'Migration20260102090000_add_channel_table';
const FEATURES = 'Migration20260103090000_add_features_table';
const SLUG = 'Migration20260104090000_add_feature_slug';
const BACKFILL = 'Migration20260105090000_backfill_feature_slug';
const INDEX = 'Migration20260106090000_add_feature_slug_index';

// u and d from the keyboard on each database: the confirmation lists exactly what runs, and the database holds the result.
describe.each(DIALECTS)('upgrade and downgrade from the timeline on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;
  const { open: openProject } = useUiExample();

  /** Opens the app on this dialect's database (one project for the whole block). */
  async function open(ctx: Parameters<typeof database>[0]): Promise<{ app: RenderedApp; db: TestDatabase; project: Project }> {
    const db = database(ctx);
    const project = await openProject(db.url);
    const app = await renderApp(project);
    ctx.onTestFinished(() => app.unmount());
    return { app, db, project };
  }

  it('u on a pending revision lists exactly the revisions up to it with their SQL; y applies them', async (ctx) => {
    const { app, db, project } = await open(ctx);
    await selectRow(app, FEATURES);
    let frame = await pressAndWait(app.stdin, app.lastFrame, 'u', `Upgrade to ${FEATURES}: 3 revisions will be applied`);
    frame = await waitForFrame(app.lastFrame, 'Apply 3 revisions?  y yes · n no · enter = no');
    expect(frame).toMatch(
      new RegExp(
        `1\\. ${USERS}[\\s\\S]*create table .?users[\\s\\S]*2\\. ${CHANNEL}[\\s\\S]*create table .?channel[\\s\\S]*3\\. ${FEATURES}[\\s\\S]*create table .?features`,
      ),
    );
    expect(frame).not.toContain(SLUG);
    frame = await pressAndWait(app.stdin, app.lastFrame, 'y', '✓ done: 3 revisions applied');
    for (const name of [USERS, CHANNEL, FEATURES])
      expect(frame).toMatch(new RegExp(`✓ ${shownName(name)} +\\d{4}-\\d{2}-\\d{2} +(\\d+ ms|\\d+\\.\\d s)`));
    expect(rowOf(frame, FEATURES)).toMatch(/✓ applied .*◀ current/);
    expect(rowOf(frame, SLUG)).toMatch(/○ pending/);
    expect((await project.timeline()).current).toBe(FEATURES);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['users', 'channel', 'features']));
  });

  it('enter runs one revision that loses nothing; on several it cancels, for they need y', async (ctx) => {
    const { app, project } = await open(ctx);
    await selectRow(app, INDEX);
    press(app.stdin, 'u');
    let frame = await waitForFrame(app.lastFrame, 'Apply 3 revisions?  y yes · n no · enter = no');
    expect(frame).toMatch(new RegExp(`1\\. ${SLUG}[\\s\\S]*2\\. ${BACKFILL}[\\s\\S]*3\\. ${INDEX}`));
    await sleep(ENTER_GUARD_MS);
    await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'cancelled: nothing ran');
    expect((await project.timeline()).current).toBe(FEATURES);
    await selectRow(app, SLUG);
    press(app.stdin, 'u');
    await waitForFrame(app.lastFrame, 'Apply 1 revision?  y yes · n no · enter = yes');
    await sleep(ENTER_GUARD_MS);
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, '✓ done: 1 revision applied');
    expect(frame).toContain(`current ${SLUG}`);
    await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'd  downgrade');
    await selectRow(app, INDEX);
    await pressAndWait(app.stdin, app.lastFrame, 'u', 'Apply 2 revisions?');
    await pressAndWait(app.stdin, app.lastFrame, 'y', '✓ done: 2 revisions applied');
    expect((await project.timeline()).current).toBe(INDEX);
  });

  it('d says what data is lost, counted, and enter cancels: nothing changes', async (ctx) => {
    const { app, db, project } = await open(ctx);
    await withSql(db, async (sql) => {
      for (const id of ['f1', 'f2', 'f3']) {
        await sql.query('insert into features (id, user_id, name, is_active, created_at, updated_at, slug) values (?, ?, ?, ?, 0, 0, ?)', [
          id,
          'u1',
          id,
          true,
          id === 'f3' ? null : id,
        ]);
      }
    });
    await selectRow(app, CHANNEL);
    press(app.stdin, 'd');
    let frame = await waitForFrame(app.lastFrame, 'lose that data?  y yes · n no · enter = no');
    expect(frame).toContain(`Downgrade to ${CHANNEL}: 4 revisions will be reverted`);
    expect(frame).toMatch(
      new RegExp(`1\\. ${INDEX}[\\s\\S]*2\\. ${BACKFILL}[\\s\\S]*3\\. ${SLUG}[\\s\\S]*drop column slug[\\s\\S]*4\\. ${FEATURES}[\\s\\S]*drop table`),
    );
    expect(frame).toContain('This loses data:');
    expect(frame).toContain(`column features.slug and its 2 values (${SLUG})`);
    expect(frame).toContain(`table features and its 3 rows (${FEATURES})`);
    await sleep(ENTER_GUARD_MS);
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'cancelled: nothing ran');
    expect(rowOf(frame, CHANNEL).startsWith('›')).toBe(true);
    expect((await project.timeline()).current).toBe(INDEX);
  });

  it('n and esc cancel a confirmation too', async (ctx) => {
    const { app, project } = await open(ctx);
    await selectRow(app, CHANNEL);
    for (const key of ['n', keys.esc]) {
      await pressAndWait(app.stdin, app.lastFrame, 'd', 'lose that data?');
      await pressAndWait(app.stdin, app.lastFrame, key, 'cancelled: nothing ran');
    }
    expect((await project.timeline()).current).toBe(INDEX);
  });

  it('y on a downgrade reverts everything after the selected revision, which becomes current', async (ctx) => {
    const { app, db, project } = await open(ctx);
    await selectRow(app, CHANNEL);
    await pressAndWait(app.stdin, app.lastFrame, 'd', 'lose that data?');
    const frame = await pressAndWait(app.stdin, app.lastFrame, 'y', '✓ done: 4 revisions reverted');
    for (const name of [INDEX, BACKFILL, SLUG, FEATURES])
      expect(frame).toMatch(new RegExp(`✓ ${shownName(name)} +\\d{4}-\\d{2}-\\d{2} +(\\d+ ms|\\d+\\.\\d s)`));
    expect(rowOf(frame, CHANNEL)).toMatch(/✓ applied .*◀ current/);
    expect(rowOf(frame, FEATURES)).toMatch(/○ pending/);
    expect((await project.timeline()).current).toBe(CHANNEL);
    expect(await tableNames(db)).not.toContain('features');
    // esc leaves the run view for the timeline, which shows the same.
    const back = await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'd  downgrade');
    expect(back).toContain(`current ${CHANNEL}`);
  });

  it('says when there is nothing to do or the move is not possible', async (ctx) => {
    const { app, project } = await open(ctx);
    await selectRow(app, CHANNEL);
    await pressAndWait(app.stdin, app.lastFrame, 'd', `nothing to do: ${CHANNEL} is already the current revision`);
    await selectRow(app, USERS);
    await pressAndWait(app.stdin, app.lastFrame, 'u', `nothing to do: ${USERS} is already applied`);
    await selectRow(app, SLUG);
    await pressAndWait(app.stdin, app.lastFrame, 'd', `${SLUG} is not applied`);
    expect((await project.timeline()).current).toBe(CHANNEL);
  });

  it('d on base reverts every applied revision', async (ctx) => {
    const { app, db, project } = await open(ctx);
    await selectRow(app, '◇ base');
    let frame = await pressAndWait(app.stdin, app.lastFrame, 'd', 'Downgrade to base: every applied revision (2) will be reverted');
    frame = await waitForFrame(app.lastFrame, 'enter = no');
    expect(frame).toContain('table users (empty)');
    frame = await pressAndWait(app.stdin, app.lastFrame, 'y', '✓ done: 2 revisions reverted');
    expect(frame).toContain('current base (nothing applied)');
    expect((await project.timeline()).current).toBeNull();
    const tables = await tableNames(db);
    for (const table of EXAMPLE_TABLES) expect(tables).not.toContain(table);
  });

  it('u from the details screen upgrades to that revision', async (ctx) => {
    const { app, project } = await open(ctx);
    await selectRow(app, INDEX);
    await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'up — the SQL it runs on');
    await pressAndWait(app.stdin, app.lastFrame, 'u', 'Apply 6 revisions?');
    await pressAndWait(app.stdin, app.lastFrame, 'y', '✓ done: 6 revisions applied');
    // Back from the run view lands on the details it started from, now showing the revision applied.
    const frame = await pressAndWait(app.stdin, app.lastFrame, keys.esc, '— the current revision');
    expect(frame).toContain('checksum  matches the file that was applied');
    expect((await project.timeline()).current).toBe(INDEX);
  });
});

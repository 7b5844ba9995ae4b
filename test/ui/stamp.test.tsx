import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { acquireLock } from '../../src/core/lock.js';
import { databaseOf } from '../../src/core/project.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { keys, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { renderApp, rowOf, selectRow } from '../helpers/render-app.js';
import { recordedRevisions, tableNames, withSql } from '../helpers/sql.js';
import { openProject, useUiExample } from '../helpers/ui-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

const USERS = 'Migration20260101090000_create_users';
const CHANNEL = 'Migration20260102090000_add_channel_table';
const FEATURES = 'Migration20260103090000_add_features_table';
const SLUG = 'Migration20260104090000_add_feature_slug';

async function sideTable(db: TestDatabase): Promise<string[]> {
  const rows = await withSql(db, (sql) => sql.query<{ name: string }>('select name from migrate_ui_revisions order by name'));
  return rows.map((r) => String(r.name));
}

// s on the timeline: the records a stamp writes or forgets, asked first as the CLI asks; nothing runs.
describe.each(DIALECTS)('stamp from the timeline on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const { example, open } = useUiExample();

  test('s on a pending revision lists the records, y writes them; s on an applied one, esc cancels, y forgets; a plan changed meanwhile writes nothing', async (ctx) => {
    const db = database(ctx);
    const project = await open(db.url);
    const app = await renderApp(project, { columns: 160, rows: 30 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;

    await selectRow(app, FEATURES);
    let frame = await pressAndWait(stdin, lastFrame, 's', 'Record 3 revisions as applied?  y yes · n no · enter = no');
    expect(frame).toContain(`Stamp up to ${FEATURES}: 3 revisions recorded as applied without running them, in MikroORM's table and migrate-ui's`);
    expect(frame).toMatch(new RegExp(`\\+ ${USERS}\\n\\s*\\+ ${CHANNEL}\\n\\s*\\+ ${FEATURES}\\n`));
    expect(frame).not.toContain(SLUG);
    expect(frame.split('\n').at(-1)).toMatch(/y {2}stamp {3}n {2}cancel/);
    frame = await pressAndWait(stdin, lastFrame, 'y', 'stamped 3 revisions as applied: nothing ran');
    frame = await waitForFrame(lastFrame, (f) => /✓ applied .*◀ current/.test(rowOf(f, FEATURES)));
    expect(rowOf(frame, SLUG)).toMatch(/○ pending/);
    expect(await recordedRevisions(db)).toEqual([USERS, CHANNEL, FEATURES]);
    expect(await sideTable(db)).toEqual([USERS, CHANNEL, FEATURES]);
    // Nothing ran: not one of their tables is there.
    expect(await tableNames(db)).not.toEqual(expect.arrayContaining(['users']));

    // On an applied revision: the records after it are forgotten. esc first: nothing changes.
    await selectRow(app, USERS);
    frame = await pressAndWait(stdin, lastFrame, 's', 'Forget the records of 2 revisions?');
    expect(frame).toContain(`Unstamp down to ${USERS}: the records after ${USERS} forgotten (2 revisions), nothing reverted`);
    expect(frame).toMatch(new RegExp(`- ${FEATURES}\\n\\s*- ${CHANNEL}\\n`));
    await pressAndWait(stdin, lastFrame, keys.esc, 'cancelled: nothing recorded');
    expect(await recordedRevisions(db)).toEqual([USERS, CHANNEL, FEATURES]);
    // enter takes the default, which is no.
    await pressAndWait(stdin, lastFrame, 's', 'Forget the records of 2 revisions?');
    await pressAndWait(stdin, lastFrame, keys.enter, 'cancelled: nothing recorded');
    expect(await recordedRevisions(db)).toEqual([USERS, CHANNEL, FEATURES]);

    // y writes under the lock: while another run holds it, nothing is written.
    const other = await openProject(example.configPath, db.url);
    const lock = await acquireLock(databaseOf(other), { timeoutMs: 1000 });
    try {
      await pressAndWait(stdin, lastFrame, 's', 'Forget the records of 2 revisions?');
      await pressAndWait(stdin, lastFrame, 'y', 'writing the records (waiting for the lock if another run holds it)');
      await sleep(300);
      expect(await recordedRevisions(db)).toEqual([USERS, CHANNEL, FEATURES]);
    } finally {
      await lock.release();
      await other.close();
    }
    await waitForFrame(lastFrame, 'forgot the records of 2 revisions: nothing was reverted');
    frame = await waitForFrame(lastFrame, (f) => /◀ current/.test(rowOf(f, USERS)));
    expect(rowOf(frame, FEATURES)).toMatch(/○ pending/);
    expect(await recordedRevisions(db)).toEqual([USERS]);
    expect(await sideTable(db)).toEqual([USERS]);

    // On the current revision there is nothing to forget.
    await pressAndWait(stdin, lastFrame, 's', `nothing to stamp: ${USERS} is the current revision`);

    // Another process stamps while the question is open: y writes nothing and says the plan changed.
    await selectRow(app, FEATURES);
    await pressAndWait(stdin, lastFrame, 's', 'Record 2 revisions as applied?');
    const another = await openProject(example.configPath, db.url);
    try {
      await another.stamp({ target: CHANNEL });
    } finally {
      await another.close();
    }
    await pressAndWait(stdin, lastFrame, 'y', 'the plan changed while waiting for the lock');
    expect(await recordedRevisions(db)).toEqual([USERS, CHANNEL]);
    expect(await sideTable(db)).toEqual([USERS, CHANNEL]);
  });
});

import { relative } from 'node:path';
import { appendFileSync, unlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { keys, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { renderApp, rowOf, selectRow } from '../helpers/render-app.js';
import { sqlRevision, sqliteExample, type ExampleCopy, type SqliteExample } from '../helpers/ui-project.js';

const USERS = 'Migration20260101090000_create_users';
const FEATURES = 'Migration20260103090000_add_features_table';
const SLUG = 'Migration20260104090000_add_feature_slug';
const BROKEN = 'Migration20260107090000_broken';
const GONE = 'Migration20260108090000_gone';

describe('details screen (SQLite)', () => {
  let env: SqliteExample;
  let example: ExampleCopy;
  let project: Project;

  beforeAll(async () => {
    env = await sqliteExample(USERS);
    ({ example, project } = env);
  });
  afterAll(async () => {
    await env.close();
  });

  it('enter shows the file, the up and down SQL for the connected dialect, the checksum state and what down loses; esc goes back', async () => {
    const app = await renderApp(project);
    await selectRow(app, FEATURES);
    const frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'drop table `features`;');
    // Shown relative to the working directory; a long path wraps under the value: read it unwrapped.
    expect(frame.replace(/\n {12}/g, '')).toContain(`file      ${relative(process.cwd(), example.migrationsDir)}/${FEATURES}.ts`);
    expect(frame).toContain('state     ○ pending');
    expect(frame).toContain('kind      schema');
    expect(frame).toContain('checksum  not applied yet');
    expect(frame).toContain('up — the SQL it runs on sqlite');
    expect(frame).toContain('create table `features`');
    expect(frame).toContain('create index `ix_features_user_id` on `features` (`user_id`);');
    expect(frame).toContain('drop table `features`;');
    // Pending: the table is not in the database yet, so nothing is counted, and the loss is what down would do then.
    expect(frame).toContain('⚠ would lose table features and what it holds by then (not in the database yet)');
    const back = await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'enter  details');
    expect(rowOf(back, FEATURES).startsWith('›')).toBe(true);
    app.unmount();
  });

  it('an applied revision says its checksum matches; edited afterwards it is modified and says so', async () => {
    const app = await renderApp(project);
    await selectRow(app, USERS);
    let frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'checksum  matches the file that was applied');
    expect(frame).toMatch(/state\s+✓ applied just now .* — the current revision/);
    appendFileSync(`${example.migrationsDir}/${USERS}.ts`, '// edited after it was applied\n');
    frame = await waitForFrame(app.lastFrame, 'checksum  differs: the file was edited after it was applied', 3000);
    expect(frame).toContain('state     ! modified');
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'enter  details');
    expect(rowOf(frame, USERS)).toMatch(/! modified/);
    app.unmount();
  });

  it('a broken file shows its error instead of SQL, a missing one says the file is gone', async () => {
    example.addRevision(BROKEN, 'export class Nope {\n');
    const gone = example.addRevision(GONE, sqlRevision(GONE, 'create table gone (id integer primary key)', 'drop table gone'));
    const app = await renderApp(project);
    await selectRow(app, BROKEN);
    let frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'cannot show the SQL');
    expect(frame).toContain('state     ✗ broken');
    expect(frame).toMatch(/error\s+syntax error at line/);
    await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'enter  details');
    unlinkSync(`${example.migrationsDir}/${BROKEN}.ts`);
    // Applied by another tool, then its file disappears.
    await project.runner().run({ direction: 'up', target: GONE });
    unlinkSync(gone);
    frame = await waitForFrame(app.lastFrame, (f) => /\? missing/.test(rowOf(f, GONE)), 3000);
    await selectRow(app, GONE);
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, '(missing: recorded as applied, but the file is gone)');
    expect(frame).toContain('state     ? missing');
    app.unmount();
  });

  it('scrolls long details with j k, PgDn PgUp, G g in 80×20; enter on base explains it', async () => {
    const app = await renderApp(project, { columns: 80, rows: 20 });
    await selectRow(app, FEATURES);
    let frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'more lines');
    expect(frame.split('\n').length).toBeLessThanOrEqual(19);
    expect(frame).toContain(FEATURES);
    frame = await pressAndWait(app.stdin, app.lastFrame, 'j', (f) => !f.includes(`\n${FEATURES}`));
    frame = await pressAndWait(app.stdin, app.lastFrame, 'k', `\n${FEATURES}`);
    frame = await pressAndWait(app.stdin, app.lastFrame, 'G', (f) => !f.includes('more lines') && f.includes('⚠ loses table features'));
    frame = await pressAndWait(app.stdin, app.lastFrame, 'g', `\n${FEATURES}`);
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.pageDown, (f) => !f.includes(`\n${FEATURES}`));
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.pageUp, `\n${FEATURES}`);
    for (const f of app.sizedFrames()) expect(f.split('\n').length).toBeLessThanOrEqual(19);
    await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'enter  details');
    await selectRow(app, '◇ base');
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'base — the empty database, before the first revision');
    expect(frame).toContain('d here reverts every applied revision');
    expect(frame).not.toContain(SLUG);
    app.unmount();
  });
});

describe('details of a pending revision whose down drops what its up adds (SQLite)', () => {
  let env: SqliteExample;

  beforeAll(async () => {
    env = await sqliteExample(FEATURES);
  });
  afterAll(async () => {
    await env.close();
  });

  it('counts nothing for a column that does not exist yet (SQLite would count every row of the table)', async () => {
    const app = await renderApp(env.project);
    await selectRow(app, SLUG);
    const frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'would lose');
    expect(frame).toContain('⚠ would lose column features.slug and what it holds by then (not in the database yet)');
    expect(frame).not.toMatch(/loses column features\.slug/);
    app.unmount();
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { frameLines, keys, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { renderApp, rowOf, selectRow } from '../helpers/render-app.js';
import { recordedRevisions } from '../helpers/sql.js';
import { DIALECTS } from '../helpers/databases.js';
import { sqliteExample, type SqliteExample, useUiExample } from '../helpers/ui-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

const USERS = 'Migration20260101090000_create_users';
const CHANNEL = 'Migration20260102090000_add_channel_table';
const FEATURES = 'Migration20260103090000_add_features_table';
const SLUG = 'Migration20260104090000_add_feature_slug';
const SQUASH = 'Migration20260102090000_add_channel_table_squashed';
const ASK = 'Write the squash?  y yes · n no · enter = no';

const statusOf = (frame: string) => frameLines(frame).at(-1) ?? '';
/** A timeline row found by its text (a replaced row's name column holds the note too). */
const rowWith = (frame: string, text: string) => frameLines(frame).find((l) => l.includes(text)) ?? '';

// S on the timeline: the squash of the range between the marked revision and the selected one, as `squash FROM TO` makes it.
describe('squash from the timeline (SQLite)', () => {
  let env: SqliteExample;

  beforeAll(async () => {
    env = await sqliteExample(FEATURES);
  }, 60_000);
  afterAll(async () => {
    await env.close();
  });

  const squashFiles = () => readdirSync(env.example.migrationsDir).filter((f) => f.includes('squashed'));

  it('S without a mark says to mark first; space + S shows the file, esc writes nothing; y writes and proves it, and the timeline shows the rows it replaces', async (ctx) => {
    const app = await renderApp(env.project, { columns: 160, rows: 40 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;

    // The timeline's help lists S.
    let frame = await pressAndWait(stdin, lastFrame, '?', 'Keys — esc, ? or q closes');
    expect(frame).toMatch(/ {2}S {13}squash: one revision replacing the range from the marked revision \(space\) to the selected one/);
    await pressAndWait(stdin, lastFrame, keys.esc, (f) => !f.includes('Keys — esc'));

    // Without a mark: how to use it, in the message bar; no screen opens.
    await selectRow(app, CHANNEL);
    frame = await pressAndWait(stdin, lastFrame, 'S', 'mark one end of the range with space first, then select the other end and press S');
    expect(frame).not.toContain('Squash ');
    // The status bar offers S only while a revision is marked.
    expect(statusOf(frame)).not.toContain('squash');

    // Marked (the newer end: the range is taken older first), the other end selected.
    frame = await pressAndWait(stdin, lastFrame, ' ', `marked ${CHANNEL}: select another and press = to diff, v to verify, S to squash between`);
    expect(statusOf(frame)).toContain('S  squash');
    await selectRow(app, USERS);
    frame = await pressAndWait(stdin, lastFrame, 'S', `Squash 2 revisions into ${SQUASH}`);
    expect(frame).toMatch(new RegExp(`replaces, oldest first:\\n\\s*- ${USERS}\\n\\s*- ${CHANNEL}\\n`));
    expect(frame).toContain('starts from an empty database');
    frame = await waitForFrame(lastFrame, ASK, 60_000);
    expect(frame).toContain(`migrations/${SQUASH}.ts (not written yet)`);
    expect(frame).toContain(`@migrate-ui replaces ["${USERS}","${CHANNEL}"]`);
    expect(statusOf(frame)).toMatch(/y {2}write {3}n {2}cancel/);
    // ? lists the squash screen's keys, from the keymap.
    frame = await pressAndWait(stdin, lastFrame, '?', 'Squash: one revision replacing a range');
    expect(frame).toMatch(/ {2}y {13}yes: write the file shown, then prove it on a scratch database/);
    expect(frame).toMatch(/ {2}n esc enter {3}no: cancel, nothing is written/);
    await pressAndWait(stdin, lastFrame, keys.esc, (f) => f.includes(ASK) && !f.includes('Keys — esc'));
    // The source scrolls: G shows its end.
    frame = await pressAndWait(stdin, lastFrame, 'G', (f) => !f.includes('more lines ('));
    expect(frameLines(frame).some((l) => l === '}')).toBe(true);
    expect(squashFiles()).toEqual([]);

    // esc cancels: nothing written, the mark kept.
    frame = await pressAndWait(stdin, lastFrame, keys.esc, 'cancelled: nothing written');
    expect(rowOf(frame, USERS)).toMatch(/^›/);
    expect(squashFiles()).toEqual([]);
    expect(statusOf(frame)).toContain('S  squash');

    // n and enter cancel too.
    for (const key of ['n', keys.enter]) {
      await pressAndWait(stdin, lastFrame, 'S', ASK, 60_000);
      await pressAndWait(stdin, lastFrame, key, 'cancelled: nothing written');
      expect(squashFiles()).toEqual([]);
    }

    // y writes it and proves it, with its progress, then the result.
    await pressAndWait(stdin, lastFrame, 'S', ASK, 60_000);
    await pressAndWait(stdin, lastFrame, 'y', 'writing and proving the squash…');
    // q does not leave a file half-proven: it waits for the end.
    await pressAndWait(stdin, lastFrame, 'q', 'the squash is being written and proven: q quits once it is done');
    expect(app.exitCode()).toBeUndefined();
    frame = await waitForFrame(lastFrame, '✓ proven on a scratch database', 60_000);
    expect(frame).toMatch(new RegExp(`✓ wrote \\S*migrations/${SQUASH}\\.ts: 3 operations replacing 2 revisions`));
    expect(frame).toContain(`the same schema as ${CHANNEL}, and down() gives back an empty database`);
    expect(frame).toContain('esc or enter: back to the timeline');
    expect(statusOf(frame)).toMatch(/^ ↑↓ {2}scroll {3}esc {2}back {3}/);
    expect(squashFiles()).toEqual([`${SQUASH}.ts`]);
    const source = readFileSync(join(env.example.migrationsDir, `${SQUASH}.ts`), 'utf8');
    expect(source).toContain(`@migrate-ui replaces ["${USERS}","${CHANNEL}"]`);
    expect(source).toMatch(/createTable|create table/i);

    // Back on the timeline, read again: the two rows are replaced, the squash shows applied (they all are).
    frame = await pressAndWait(stdin, lastFrame, keys.enter, (f) => rowWith(f, 'create_users · replaced') !== '');
    expect(rowWith(frame, 'create_users · replaced')).toMatch(/✓ applied/);
    expect(rowWith(frame, 'add_channel_table · replaced')).toMatch(/✓ applied/);
    expect(rowOf(frame, SQUASH)).toMatch(/✓ +applied/);
    expect(rowOf(frame, FEATURES)).not.toContain('replaced');
    // The mark went with the range; nothing was run or recorded (the first run records the squash).
    expect(statusOf(frame)).not.toContain('squash');
    expect(await recordedRevisions(env.db)).toEqual([USERS, CHANNEL, FEATURES]);
    const timeline = await env.project.timeline();
    expect(timeline.revisions.find((r) => r.name === USERS)?.replacedBy).toBe(SQUASH);

    // A range holding a replaced revision is refused in one line; no screen opens.
    await selectRow(app, CHANNEL);
    await pressAndWait(stdin, lastFrame, ' ', `marked ${CHANNEL}`);
    await selectRow(app, FEATURES);
    frame = await pressAndWait(stdin, lastFrame, 'S', `${CHANNEL} is replaced by ${SQUASH} already — Squash a range after it.`);
    expect(frame).not.toContain('Squash 2');
    expect(squashFiles()).toEqual([`${SQUASH}.ts`]);
    expect(existsSync(join(env.example.migrationsDir, `${FEATURES}.ts`))).toBe(true);
  }, 240_000);

  it('ctrl-c while the squash is written and proven quits once it is done, the file proven and kept', async (ctx) => {
    const app = await renderApp(env.project, { columns: 160, rows: 40 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    await selectRow(app, FEATURES);
    await pressAndWait(stdin, lastFrame, ' ', `marked ${FEATURES}`);
    await selectRow(app, SLUG);
    await pressAndWait(stdin, lastFrame, 'S', ASK, 60_000);
    await pressAndWait(stdin, lastFrame, 'y', 'writing and proving the squash…');
    await pressAndWait(stdin, lastFrame, keys.ctrlC, 'stopping: the app quits once the squash is written and proven');
    expect(app.exitCode()).toBeUndefined();
    await waitForFrame(() => (app.exitCode() === undefined ? '' : 'left'), 'left', 60_000);
    expect(app.exitCode()).toBe(0);
    expect(squashFiles()).toEqual([`${SQUASH}.ts`, `${SLUG}_squashed.ts`]);
    // Nothing ran on the database: the slug column is still to come.
    expect(await recordedRevisions(env.db)).toEqual([USERS, CHANNEL, FEATURES]);
  }, 120_000);
});

// The same y on the servers: the squash drafted, written and proven on a scratch database of that kind.
describe.each(DIALECTS.filter((d) => d !== 'sqlite'))('squash from the timeline on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const { example, open } = useUiExample();

  test('space + S + y writes the squash proven on that server; the timeline shows the rows it replaces; nothing recorded', async (ctx) => {
    const db = database(ctx);
    const project = await open(db.url);
    await project.runner().run({ direction: 'up', target: FEATURES });
    const app = await renderApp(project, { columns: 160, rows: 40 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    await selectRow(app, CHANNEL);
    await pressAndWait(stdin, lastFrame, ' ', `marked ${CHANNEL}`);
    await selectRow(app, USERS);
    await pressAndWait(stdin, lastFrame, 'S', ASK, 60_000);
    await pressAndWait(stdin, lastFrame, 'y', 'writing and proving the squash…');
    let frame = await waitForFrame(lastFrame, '✓ proven on a scratch database', 120_000);
    expect(frame).toMatch(new RegExp(`✓ wrote \\S*migrations/${SQUASH}\\.ts: \\d+ operations replacing 2 revisions`));
    expect(readFileSync(join(example.migrationsDir, `${SQUASH}.ts`), 'utf8')).toContain(`@migrate-ui replaces ["${USERS}","${CHANNEL}"]`);
    frame = await pressAndWait(stdin, lastFrame, keys.enter, (f) => rowWith(f, 'create_users · replaced') !== '');
    expect(rowWith(frame, 'add_channel_table · replaced')).toMatch(/✓ applied/);
    expect(rowOf(frame, SQUASH)).toMatch(/✓ +applied/);
    expect(await recordedRevisions(db)).toEqual([USERS, CHANNEL, FEATURES]);
  }, 240_000);
});

import { EventEmitter } from 'node:events';
import { unlinkSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { frameLines, keys, press, pressAndWait, resize, waitForFrame } from '../helpers/ink.js';
import { renderApp, rowOf, type RenderedApp } from '../helpers/render-app.js';
import { openProject, sqlRevision, sqliteExample, type ExampleCopy, type SqliteExample } from '../helpers/ui-project.js';
import type { TestDatabase } from '../helpers/databases.js';

const USERS = 'Migration20260101090000_create_users';
const CHANNEL = 'Migration20260102090000_add_channel_table';
const FEATURES = 'Migration20260103090000_add_features_table';
const SLUG = 'Migration20260104090000_add_feature_slug';
const INDEX = 'Migration20260106090000_add_feature_slug_index';

describe('timeline screen (SQLite)', () => {
  let env: SqliteExample;
  let example: ExampleCopy;
  let db: TestDatabase;
  let project: Project;
  let app: RenderedApp | undefined;

  beforeAll(async () => {
    env = await sqliteExample(CHANNEL);
    ({ example, db, project } = env);
  });
  afterEach(() => {
    app?.unmount();
    app = undefined;
  });
  afterAll(async () => {
    await env.close();
  });

  it('shows the header, every revision oldest first with its state, and selects the current revision', async () => {
    app = await renderApp(project);
    const frame = app.lastFrame()!;
    expect(frame).toContain('mikro-orm.config.ts');
    expect(frame).toContain('sqlite');
    expect(frame).toContain(db.url.replace('sqlite:', ''));
    expect(frame).toContain(`current ${CHANNEL}`);
    expect(frame).toContain('4 pending');
    const lines = frameLines(frame).filter((l) => /^[› ] [✓○?!✗◇] /.test(l));
    const order = [USERS, CHANNEL, FEATURES, SLUG, INDEX].map((n) => lines.findIndex((l) => l.includes(n)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(rowOf(frame, USERS)).toMatch(/✓ applied .*just now\s+schema/);
    expect(rowOf(frame, FEATURES)).toMatch(/○ pending .*schema/);
    expect(rowOf(frame, 'backfill_feature_slug')).toMatch(/data$/);
    expect(rowOf(frame, CHANNEL)).toMatch(/^› .*◀ current/);
    expect(frame).toContain('base — the empty database');
  });

  it('moves with ↑↓, j k, g G, PgUp PgDn and keeps the frame inside the terminal', async () => {
    app = await renderApp(project);
    const { stdin, lastFrame } = app;
    await pressAndWait(stdin, lastFrame, keys.down, (f) => rowOf(f, FEATURES).startsWith('›'));
    await pressAndWait(stdin, lastFrame, 'j', (f) => rowOf(f, SLUG).startsWith('›'));
    await pressAndWait(stdin, lastFrame, 'k', (f) => rowOf(f, FEATURES).startsWith('›'));
    await pressAndWait(stdin, lastFrame, keys.up, (f) => rowOf(f, CHANNEL).startsWith('›'));
    await pressAndWait(stdin, lastFrame, 'G', (f) => rowOf(f, INDEX).startsWith('›'));
    await pressAndWait(stdin, lastFrame, 'g', (f) => rowOf(f, '◇ base').startsWith('›'));
    await pressAndWait(stdin, lastFrame, keys.pageDown, (f) => rowOf(f, INDEX).startsWith('›'));
    await pressAndWait(stdin, lastFrame, keys.pageUp, (f) => rowOf(f, '◇ base').startsWith('›'));
    for (const frame of app.sizedFrames()) expect(frame.split('\n').length).toBeLessThanOrEqual(29);
  });

  it('filters with /, keeps the filter on enter, erases with backspace and clears it with esc', async () => {
    app = await renderApp(project);
    const { stdin, lastFrame } = app;
    await pressAndWait(stdin, lastFrame, '/', '/ █');
    press(stdin, 'slug');
    let frame = await waitForFrame(lastFrame, '/ slug█');
    // The selection (on the current revision, now filtered out) moves to the first match.
    expect(rowOf(frame, SLUG).startsWith('›')).toBe(true);
    expect(rowOf(frame, INDEX)).not.toBe('');
    expect(rowOf(frame, USERS)).toBe('');
    frame = await pressAndWait(stdin, lastFrame, keys.backspace, '/ slu█');
    frame = await pressAndWait(stdin, lastFrame, keys.enter, 'filter "slu"');
    expect(frame).toContain('esc  clear filter');
    expect(rowOf(frame, CHANNEL)).toBe('');
    // Typed keys went into the filter, not to the commands: q did not quit.
    expect(app.exitCode()).toBeUndefined();
    frame = await pressAndWait(stdin, lastFrame, keys.esc, (f) => rowOf(f, USERS) !== '' && !f.includes('filter "'));
    expect(rowOf(frame, CHANNEL)).not.toBe('');
    await pressAndWait(stdin, lastFrame, '/', '/ █');
    press(stdin, 'pending');
    frame = await waitForFrame(lastFrame, '/ pending█');
    expect(rowOf(frame, USERS)).toBe('');
    expect(rowOf(frame, FEATURES)).toMatch(/pending/);
    await pressAndWait(stdin, lastFrame, keys.esc, (f) => rowOf(f, USERS) !== '' && !f.includes('█'));
  });

  it('opens the help overlay with ?, generated from the keymap, and closes it with esc or ?', async () => {
    app = await renderApp(project);
    const { stdin, lastFrame } = app;
    let frame = await pressAndWait(stdin, lastFrame, '?', 'Keys — esc, ? or q closes');
    expect(frame).toContain('upgrade: apply pending revisions up to the selected one');
    expect(frame).toContain('g Home');
    expect(frame).toMatch(/esc\s+close/);
    frame = await pressAndWait(stdin, lastFrame, keys.esc, (f) => !f.includes('Keys —') && rowOf(f, USERS) !== '');
    await pressAndWait(stdin, lastFrame, '?', 'Keys — esc, ? or q closes');
    frame = await pressAndWait(stdin, lastFrame, '?', (f) => !f.includes('Keys —') && rowOf(f, USERS) !== '');
    expect(frame).toContain('u  upgrade');
  });

  it('esc never quits; q quits with exit code 0', async () => {
    app = await renderApp(project);
    const { stdin, lastFrame } = app;
    press(stdin, keys.esc);
    press(stdin, keys.esc);
    await pressAndWait(stdin, lastFrame, 'j', (f) => rowOf(f, FEATURES).startsWith('›'));
    expect(app.exitCode()).toBeUndefined();
    press(stdin, 'q');
    await waitForFrame(() => String(app!.exitCode()), '0');
  });

  it('ctrl-c with nothing running exits cleanly with 0', async () => {
    app = await renderApp(project);
    press(app.stdin, keys.ctrlC);
    await waitForFrame(() => String(app!.exitCode()), '0');
  });

  it('SIGINT or SIGTERM from outside (the signals the app listens to) quits like ctrl-c', async () => {
    const signals = new EventEmitter();
    app = await renderApp(project, { signals });
    signals.emit('interrupt');
    await waitForFrame(() => String(app!.exitCode()), '0');
  });

  it('r re-reads the files and the database and says so', async () => {
    app = await renderApp(project);
    const frame = await pressAndWait(app.stdin, app.lastFrame, 'r', 'refreshed: files and database read again');
    expect(rowOf(frame, USERS)).not.toBe('');
  });

  it('refreshes by itself when another process applies a revision, keeping the selection', async () => {
    app = await renderApp(project);
    const { stdin, lastFrame } = app;
    await pressAndWait(stdin, lastFrame, 'G', (f) => rowOf(f, INDEX).startsWith('›'));
    const other = await openProject(example.configPath, db.url);
    try {
      await other.runner().run({ direction: 'up', target: FEATURES });
      const started = Date.now();
      const frame = await waitForFrame(lastFrame, `current ${FEATURES}`, 2_500);
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(rowOf(frame, FEATURES)).toMatch(/✓ applied/);
      expect(rowOf(frame, INDEX).startsWith('›')).toBe(true);
      await other.runner().run({ direction: 'down', target: CHANNEL });
      await waitForFrame(lastFrame, `current ${CHANNEL}`, 2_500);
    } finally {
      await other.close();
    }
    expect((await project.timeline()).current).toBe(CHANNEL);
  });

  it('shows a new file at once, a broken one in the message bar, and recovers when it is fixed', async () => {
    app = await renderApp(project);
    const { lastFrame } = app;
    const name = 'Migration20260107090000_add_notes';
    const path = example.addRevision(name, 'export class Broken extends {\n');
    let frame = await waitForFrame(lastFrame, `${name} cannot load`, 3_000);
    expect(rowOf(frame, name)).toMatch(/✗ broken/);
    example.addRevision(name, sqlRevision(name, 'create table notes (id integer primary key)', 'drop table notes'));
    frame = await waitForFrame(lastFrame, (f) => /○ pending/.test(rowOf(f, name)) && !f.includes('cannot load'), 3_000);
    unlinkSync(path);
    frame = await waitForFrame(lastFrame, (f) => rowOf(f, name) === '', 3_000);
    expect(rowOf(frame, INDEX)).not.toBe('');
  });

  it('follows resizes: 80×24 and 120×40, the frame never taller than the terminal', async () => {
    app = await renderApp(project, { columns: 120, rows: 40 });
    resize(app.stdout, 80, 24);
    let frame = await waitForFrame(app.lastFrame, (f) => f.split('\n').every((l) => l.length <= 80) && f.split('\n').length <= 23);
    expect(frame).toContain('q  quit');
    expect(rowOf(frame, 'backfill_feature_slug')).toContain('data');
    resize(app.stdout, 120, 40);
    frame = await waitForFrame(app.lastFrame, (f) => f.split('\n').length === 39);
    expect(rowOf(frame, USERS)).not.toBe('');
    for (const f of app.sizedFrames()) expect(f.split('\n').length).toBeLessThanOrEqual(39);
  });
});

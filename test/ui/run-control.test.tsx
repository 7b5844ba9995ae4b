import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/core/lock.js';
import { databaseOf, type Project } from '../../src/core/project.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { keys, press, pressAndWait, waitForFrame } from '../helpers/ink.js';
import { renderApp, rowOf, selectRow, shownName } from '../helpers/render-app.js';
import { openProject, sqlRevision, uiExample, type ExampleCopy } from '../helpers/ui-project.js';

const INDEX = 'Migration20260106090000_add_feature_slug_index';
const SLOW = 'Migration20260107090000_slow_step';
const AFTER = 'Migration20260108090000_after_slow';
const FAILS = 'Migration20260109090000_fails';
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

/** A revision that waits before its SQL both ways, so a test can act while it runs. */
function slowRevision(name: string, ms: number): string {
  return `import { Migration } from '@mikro-orm/migrations';

export class ${name} extends Migration {
  override async up(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ${ms}));
    this.addSql('create table slow_step (id integer primary key)');
  }

  override async down(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ${ms}));
    this.addSql('drop table slow_step');
  }
}
`;
}

/** Waits until the run view shows `name` with a spinner. */
const running = (name: string) => (f: string) => f.split('\n').some((l) => l.includes(shownName(name)) && SPINNER.test(l));

// Stopping, quitting and failing while a run is in progress; the lock held by another run (SQLite).
describe('run control', () => {
  let example: ExampleCopy;
  let db: TestDatabase;
  let project: Project;

  beforeAll(async () => {
    example = uiExample();
    example.addRevision(SLOW, slowRevision(SLOW, 1200));
    example.addRevision(AFTER, sqlRevision(AFTER, 'create table after_slow (id integer primary key)', 'drop table after_slow'));
    example.addRevision(FAILS, sqlRevision(FAILS, 'insert into no_such_table (id) values (1)', 'select 1', { delayMs: 800 }));
    db = (await createTestDatabase('sqlite'))!;
    project = await openProject(example.configPath, db.url);
  });
  afterAll(async () => {
    await project.close();
    await db.drop();
    example.remove();
  });

  it('ctrl-c during a run stops after the current revision, keeps what ran and exits with 0', async () => {
    const app = await renderApp(project);
    await selectRow(app, AFTER);
    await pressAndWait(app.stdin, app.lastFrame, 'u', 'Apply 8 revisions?');
    press(app.stdin, 'y');
    await waitForFrame(app.lastFrame, running(SLOW));
    press(app.stdin, keys.ctrlC);
    await waitForFrame(app.lastFrame, 'stopping after the current revision…');
    await waitForFrame(() => String(app.exitCode()), '0');
    const timeline = await project.timeline();
    expect(timeline.current).toBe(SLOW);
    expect(timeline.revisions.find((r) => r.name === AFTER)?.status).toBe('pending');
  });

  it('q during a run asks first; n keeps it running to the end', async () => {
    const app = await renderApp(project);
    await selectRow(app, INDEX);
    await pressAndWait(app.stdin, app.lastFrame, 'd', 'Revert 1 revision and lose that data?');
    press(app.stdin, 'y');
    await waitForFrame(app.lastFrame, running(SLOW));
    let frame = await pressAndWait(app.stdin, app.lastFrame, 'q', 'A run is in progress.');
    expect(frame).toContain('y quit after the current revision · n keep running');
    frame = await pressAndWait(app.stdin, app.lastFrame, 'n', '✓ done: 1 revision reverted');
    expect(app.exitCode()).toBeUndefined();
    expect(rowOf(frame, SLOW)).toMatch(/○ pending/);
    expect((await project.timeline()).current).toBe(INDEX);
    app.unmount();
  });

  it('q then y during a run quits once the current revision is done', async () => {
    const app = await renderApp(project);
    await selectRow(app, AFTER);
    await pressAndWait(app.stdin, app.lastFrame, 'u', 'Apply 2 revisions?');
    press(app.stdin, 'y');
    await waitForFrame(app.lastFrame, running(SLOW));
    await pressAndWait(app.stdin, app.lastFrame, 'q', 'A run is in progress.');
    press(app.stdin, 'y');
    await waitForFrame(() => String(app.exitCode()), '0');
    expect((await project.timeline()).current).toBe(SLOW);
  });

  it('a failing revision shows ✗ with the statement and the database message; earlier ones stay; the app keeps running', async () => {
    const app = await renderApp(project);
    await selectRow(app, FAILS);
    await pressAndWait(app.stdin, app.lastFrame, 'u', 'Apply 2 revisions?');
    let frame = await pressAndWait(app.stdin, app.lastFrame, 'y', '✗ the run failed');
    expect(frame).toMatch(new RegExp(`✓ ${shownName(AFTER)}\\s+\\S+\\s+(\\d+ ms|\\d+\\.\\d s)`));
    expect(frame).toContain(`✗ ${shownName(FAILS)}`);
    expect(frame).toContain('statement: insert into no_such_table (id) values (1)');
    expect(frame).toMatch(/error: .*no such table: no_such_table/);
    expect(frame).toContain('1 revision applied before it stay applied');
    expect((await project.timeline()).current).toBe(AFTER);
    frame = await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'd  downgrade');
    expect(rowOf(frame, FAILS)).toMatch(/○ pending/);
    expect(rowOf(frame, AFTER)).toMatch(/◀ current/);
    press(app.stdin, 'q');
    await waitForFrame(() => String(app.exitCode()), '0');
  });

  it('ctrl-c during a run that then fails exits with 1', async () => {
    const app = await renderApp(project);
    await selectRow(app, FAILS);
    await pressAndWait(app.stdin, app.lastFrame, 'u', 'Apply 1 revision?');
    press(app.stdin, 'y');
    await waitForFrame(app.lastFrame, running(FAILS));
    press(app.stdin, keys.ctrlC);
    await waitForFrame(() => String(app.exitCode()), '1');
    expect((await project.timeline()).current).toBe(AFTER);
  });

  it('shows a lock held by another run, waits for it, then runs', async () => {
    const other = await openProject(example.configPath, db.url);
    const lock = await acquireLock(databaseOf(other), { timeoutMs: 1000 });
    try {
      const app = await renderApp(project);
      let frame = await waitForFrame(app.lastFrame, 'another run holds the lock (pid', 3000);
      expect(frame).toContain(`lock held by pid ${process.pid}`);
      await selectRow(app, SLOW);
      await pressAndWait(app.stdin, app.lastFrame, 'd', 'Revert 1 revision and lose that data?');
      frame = await pressAndWait(app.stdin, app.lastFrame, 'y', `waiting for the lock held by pid ${process.pid}`);
      await lock.release();
      frame = await waitForFrame(app.lastFrame, '✓ done: 1 revision reverted');
      expect((await project.timeline()).current).toBe(SLOW);
      frame = await pressAndWait(app.stdin, app.lastFrame, keys.esc, (f) => f.includes('d  downgrade') && !f.includes('lock held'), 3000);
      app.unmount();
    } finally {
      await lock.release();
      await other.close();
    }
  });

  it('a lock held past the timeout ends the run with the message; the app recovers', async () => {
    const other = await openProject(example.configPath, db.url);
    const lock = await acquireLock(databaseOf(other), { timeoutMs: 1000 });
    try {
      const app = await renderApp(project, { lockTimeoutMs: 700 });
      await selectRow(app, INDEX);
      await pressAndWait(app.stdin, app.lastFrame, 'd', 'Revert 1 revision and lose that data?');
      const frame = await pressAndWait(app.stdin, app.lastFrame, 'y', '✗ the run did not complete');
      expect(frame).toMatch(/the migration lock is held by pid \d+/);
      expect(frame).toContain('Wait for that run to finish and try again (--lock-timeout SECONDS waits longer).');
      expect((await project.timeline()).current).toBe(SLOW);
      await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'd  downgrade');
      await lock.release();
      await waitForFrame(app.lastFrame, (f) => !f.includes('lock held'), 3000);
      app.unmount();
    } finally {
      await lock.release();
      await other.close();
    }
  });

  it('ctrl-c the moment the lock comes lets the revision that started finish before the app leaves', async () => {
    const other = await openProject(example.configPath, db.url);
    const lock = await acquireLock(databaseOf(other), { timeoutMs: 1000 });
    const makeRunner = project.runner.bind(project);
    try {
      const app = await renderApp(project);
      // The app's runner, tapped: ctrl-c as the revision starts, before any frame has drawn the lock's arrival.
      let exitAtRunEnd: number | undefined | 'not yet' = 'not yet';
      project.runner = () => {
        const runner = makeRunner();
        runner.events.on('event', (event) => {
          if (event.type === 'revision:start') press(app.stdin, keys.ctrlC);
          if (event.type === 'run:done') exitAtRunEnd = app.exitCode();
        });
        return runner;
      };
      await selectRow(app, AFTER);
      await pressAndWait(app.stdin, app.lastFrame, 'u', 'Apply 1 revision?');
      await pressAndWait(app.stdin, app.lastFrame, 'y', `waiting for the lock held by pid ${process.pid}`);
      await lock.release();
      await waitForFrame(() => String(app.exitCode()), '0');
      // Left after the run, not while the revision ran (the last frame still said "waiting for the lock").
      expect(exitAtRunEnd).toBeUndefined();
      expect((await project.timeline()).current).toBe(AFTER);
    } finally {
      project.runner = makeRunner;
      await lock.release();
      await other.close();
    }
  });
});

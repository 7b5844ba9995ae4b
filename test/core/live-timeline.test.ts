import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState, Project } from '../../src/index.js';
import { waitFor } from '../helpers/processes.js';
import { openProject, sqliteExample, sqlRevision, type SqliteExample } from '../helpers/ui-project.js';

const USERS = 'Migration20260101090000_create_users';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The live timeline is core's, behind subscribe(): the TUI, `watch` and these tests listen to the same thing.
describe('LiveTimeline.subscribe (no React)', () => {
  let fixture: SqliteExample;
  let other: Project;

  beforeAll(async () => {
    fixture = await sqliteExample();
    other = await openProject(fixture.example.configPath, fixture.db.url);
  });
  afterAll(async () => {
    await other.close();
    await fixture.close();
  });

  it('tells listeners of the first read, of another process applying a revision, of a new file, and of nothing else', async () => {
    const live = fixture.project.live({ pollMs: 200 });
    const heard: LiveState[] = [];
    const unsubscribe = live.subscribe((state) => heard.push(state));
    await waitFor(async () => heard.length === 1, 'the first read');
    expect(heard[0].timeline?.current).toBeNull();
    expect(heard[0].timeline?.revisions).toHaveLength(6);

    // Idle: polls run, but nothing visible changed, so nobody is told.
    await sleep(800);
    expect(heard).toHaveLength(1);

    await other.runner().run({ direction: 'up', target: '+1' });
    await waitFor(async () => heard.at(-1)?.timeline?.current === USERS, 'the applied revision to be heard');
    const afterApply = heard.length;

    const name = 'Migration20260107090000_notes';
    fixture.example.addRevision(name, sqlRevision(name, 'create table notes (id integer)', 'drop table notes'));
    await waitFor(async () => heard.at(-1)?.timeline?.revisions.some((r) => r.name === name), 'the new file to be heard', 3000);
    expect(heard.length).toBe(afterApply + 1);

    unsubscribe();
    await other.runner().run({ direction: 'up', target: '+1' });
    await sleep(800);
    expect(heard.at(-1)?.timeline?.current).toBe(USERS);
  });

  it('coalesces refreshes: many at once read once or twice, and all resolve with the state current', async () => {
    const live = fixture.project.live();
    let reads = 0;
    const read = live.read.bind(live);
    live.read = (options) => {
      reads++;
      return read(options);
    };
    await Promise.all(Array.from({ length: 10 }, () => live.refresh()));
    expect(reads).toBeLessThanOrEqual(2);
    expect(live.state.timeline?.revisions.length).toBeGreaterThan(0);
  });

  it('a failed read is reported in the state as one line', async () => {
    const project = await openProject(fixture.example.configPath, fixture.db.url);
    const live = project.live();
    await live.refresh();
    await project.close();
    await live.refresh();
    expect(live.state.error).toMatch(/.+/);
    expect(live.state.error).not.toContain('\n');
  });
});

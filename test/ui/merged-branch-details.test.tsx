import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, pressAndWait } from '../helpers/ink.js';
import { renderApp, selectRow } from '../helpers/render-app.js';
import { sqliteExample, sqlRevision, type SqliteExample } from '../helpers/ui-project.js';

const SLUG = 'Migration20260104090000_add_feature_slug';
const INDEX = 'Migration20260106090000_add_feature_slug_index';
const OURS = 'Migration20260107090000_add_feature_rank';
const THEIRS = 'Migration20260103120000_add_feature_priority';

// The details of a revision from a merged branch name the other branch's revision that changed the same table.
describe('the merged-branch lint in the details (SQLite)', () => {
  let env: SqliteExample;
  beforeAll(async () => {
    env = await sqliteExample();
    env.example.addRevision(OURS, sqlRevision(OURS, 'alter table features add column rank integer null', 'alter table features drop column rank'));
    const run = await env.project.runner().run({ direction: 'up' });
    expect(run.failed).toBeUndefined();
    // The merge brings the other branch's revision, below the newest applied one.
    env.example.addRevision(
      THEIRS,
      sqlRevision(THEIRS, 'alter table features add column priority integer null', 'alter table features drop column priority'),
    );
  });
  afterAll(() => env.close());

  it('shows the warning under lint, and none for a revision in order', async () => {
    const app = await renderApp(env.project, { columns: 260, rows: 40 });
    try {
      // Its row's name is cut short for the note: selected by position, the full name shows under the list.
      await pressAndWait(app.stdin, app.lastFrame, 'g', 'selected base');
      const row = await pressAndWait(app.stdin, app.lastFrame, 'jjjj', `selected ${THEIRS}`);
      expect(row).toMatch(/› ○ pending .*· merged branch/);
      const frame = await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'lint — worth a second look before it runs');
      // Wrapped at the terminal's width: read as one line.
      expect(frame.replace(/\s*\n\s*/g, ' ')).toContain(
        `⚠ from a merged branch: it touches features, which ${SLUG}, ${INDEX} and ${OURS} (applied, from the other branch) changed too; check that they agree before applying it out of order`,
      );
      await pressAndWait(app.stdin, app.lastFrame, keys.esc, 'enter  details');
      await selectRow(app, OURS);
      const ours = await pressAndWait(app.stdin, app.lastFrame, keys.enter, 'alter table features drop column rank');
      expect(ours).not.toContain('from a merged branch');
    } finally {
      app.unmount();
    }
  });
});

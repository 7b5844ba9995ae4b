import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { replacesLine } from '../../src/core/squash.js';
import { frameLines } from '../helpers/ink.js';
import { renderApp, rowOf, type RenderedApp } from '../helpers/render-app.js';
import { sqlRevision, sqliteExample, type SqliteExample } from '../helpers/ui-project.js';

const USERS = 'Migration20260101090000_create_users';
const CHANNEL = 'Migration20260102090000_add_channel_table';
const SLUG = 'Migration20260104090000_add_feature_slug';
const SQUASH = 'Migration20260102090000_add_channel_table_squashed';

/** A squash of the first two revisions, as `squash` marks one (its body does not matter to the timeline). */
const squashFile = () =>
  sqlRevision(SQUASH, 'select 1', 'select 1').replace('export class', `/**\n * ${replacesLine([USERS, CHANNEL])}\n */\nexport class`);

describe('the timeline with a squash (SQLite)', () => {
  let env: SqliteExample;
  let app: RenderedApp | undefined;

  beforeAll(async () => {
    env = await sqliteExample(SLUG);
    env.example.addRevision(SQUASH, squashFile());
  });
  afterEach(() => {
    app?.unmount();
    app = undefined;
  });
  afterAll(async () => {
    await env.close();
  });

  it('marks the revisions it replaces, and shows it applied where they all are', async () => {
    app = await renderApp(env.project, { columns: 100, rows: 20 });
    const frame = app.lastFrame()!;
    // A row with a note is found by its text (its name column holds the note too).
    const row = (text: string) => frameLines(frame).find((l) => l.includes(text)) ?? '';
    expect(row('create_users · replaced ')).toMatch(/^ {2}✓ applied +create_users · replaced +2026-01-01 /);
    expect(row('add_channel_table · replaced ')).toMatch(/^ {2}✓ applied +add_channel_table · replaced +2026-01-02 /);
    expect(rowOf(frame, SQUASH)).toMatch(/^ {2}✓ +applied +add_channel_table_squashed /);
    expect(rowOf(frame, SLUG)).not.toContain('replaced');
  });
});

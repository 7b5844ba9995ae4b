import { afterAll, describe, expect, test } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { PG_URL, type TestDatabase } from '../helpers/databases.js';
import { waitForFrame } from '../helpers/ink.js';
import { renderApp, rowOf } from '../helpers/render-app.js';
import { openProject, uiExample } from '../helpers/ui-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

/** Runs one statement on the server's maintenance database (to drop and create test databases). */
async function admin(sql: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// The database goes away under the open app: the message bar says so, the app keeps running and recovers.
describe('losing the connection (PostgreSQL)', () => {
  const database = useTestDatabase('postgresql');
  const example = uiExample();
  let project: Project | undefined;
  afterAll(async () => {
    await project?.close();
    example.remove();
  });

  test('shows the error in the message bar and recovers when the database is back', async (ctx) => {
    const db: TestDatabase = database(ctx);
    const name = new URL(db.url).pathname.slice(1);
    project = await openProject(example.configPath, db.url);
    await project.runner().run({ direction: 'up', target: '+2' });
    const app = await renderApp(project);
    expect(rowOf(app.lastFrame()!, 'add_channel_table')).toMatch(/◀ current/);

    await admin(`drop database ${name} with (force)`);
    let frame = await waitForFrame(app.lastFrame, '✗ cannot read the database:', 5000);
    expect(frame).toContain('retrying every second');
    // The last timeline it read stays on screen.
    expect(rowOf(frame, 'add_channel_table')).toMatch(/◀ current/);
    expect(app.exitCode()).toBeUndefined();

    await admin(`create database ${name}`);
    frame = await waitForFrame(app.lastFrame, (f) => !f.includes('cannot read the database') && f.includes('current base'), 10_000);
    expect(rowOf(frame, 'create_users')).toMatch(/○ pending/);
    app.unmount();
  });
});

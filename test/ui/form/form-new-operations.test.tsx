import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { databaseOf, type Project } from '../../../src/core/project.js';
import { readSnapshot } from '../../../src/authoring/snapshot.js';
import { runCli } from '../../helpers/cli.js';
import { DIALECTS } from '../../helpers/databases.js';
import { keys, plain, waitForFrame } from '../../helpers/ink.js';
import { renderApp } from '../../helpers/render-app.js';
import { openProject, uiExample, type ExampleCopy } from '../../helpers/ui-project.js';
import { useTestDatabase } from '../../helpers/use-database.js';
import { addOperation, arrow, chooseValue, focusedField, step } from './drive.js';

const FEATURES = 'Migration20260103090000_add_features_table';

// An operation added as one entry is in the form's menu, offers what the schema has, writes, and applies.
describe.each(DIALECTS)('the form with the operations added as entries, on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  let example: ExampleCopy;
  let project: Project | undefined;

  beforeAll(() => {
    example = uiExample();
  });
  afterAll(async () => {
    await project?.close();
    example.remove();
  });

  test('renameIndex from the keys: the index chosen from the table, written, applied, reverted', async (ctx) => {
    const db = database(ctx);
    const cli = (...args: string[]) => runCli([...args, '--config', example.configPath, '--db', db.url]);
    expect((await cli('up', FEATURES)).code).toBe(0);
    project = await openProject(example.configPath, db.url);
    const app = await renderApp(project, { columns: 100, rows: 30 });
    ctx.onTestFinished(() => app.unmount());

    await step(app, 'n', '› name');
    await step(app, 'rename_index', (f) => focusedField(f).includes('rename_index'));
    await step(app, keys.enter, 'Add an operation');
    await step(app, keys.esc, 'Operations, in the order they run');
    let frame = await addOperation(app, 'renameIndex');
    await chooseValue(app, 'features');
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› index'));
    await chooseValue(app, 'ix_features_created_at');
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› new name'));
    await step(app, 'features_created_idx', (f) => focusedField(f).includes('features_created_idx'));
    frame = await step(app, keys.enter, 'Operations, in the order they run');
    expect(plain(frame)).toMatch(/1 ✓ renameIndex ix_features_created_at → features_created_idx on features/);
    await waitForFrame(app.lastFrame, 'ready: w previews and writes it');
    // No entity file changes; the Lint tab says what is left to do by hand once the draft is done.
    for (let i = 0; i < 4; i++) frame = await step(app, arrow.right, (f) => f !== frame);
    await waitForFrame(app.lastFrame, (f) => plain(f).includes('[Entities]') && plain(f).includes('no entity file changes'));
    await step(app, arrow.right, (f) => plain(f).includes('[Lint]') && plain(f).includes('rename it there by hand'));
    await step(app, 'w', /Write Migration\d{14}_rename_index\.ts/);
    await step(app, 'y', 'wrote Migration');
    const written = readdirSync(example.migrationsDir).find((f) => f.endsWith('_rename_index.ts'))!;
    const source = readFileSync(join(example.migrationsDir, written), 'utf8');
    expect(source).toContain("await op.renameIndex('features', 'ix_features_created_at', 'features_created_idx', { columns: ['created_at'] });");

    await step(app, 'u', /Apply \d+ revisions?\?/);
    await step(app, 'y', '✓ done');
    const indexes = async () => ((await readSnapshot(databaseOf(project!))).tables.get('features')?.indexes ?? []).map((i) => i.name);
    expect(await indexes()).toContain('features_created_idx');
    expect(await indexes()).not.toContain('ix_features_created_at');
    expect((await cli('down', '-1', '--yes')).code).toBe(0);
    expect(await indexes()).toContain('ix_features_created_at');
  });
});

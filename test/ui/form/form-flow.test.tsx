import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { DIALECTS } from '../../helpers/databases.js';
import { keys, plain, waitForFrame } from '../../helpers/ink.js';
import { renderApp, rowOf } from '../../helpers/render-app.js';
import { tableNames } from '../../helpers/sql.js';
import { useUiExample } from '../../helpers/ui-project.js';
import { useTestDatabase } from '../../helpers/use-database.js';
import { addColumnItem, addOperation, arrow, chooseValue, enterUntil, finishItem, focusedField, step } from './drive.js';

const FEATURES = 'Migration20260103090000_add_features_table';

// The whole flow from the keyboard, on each database: a table with three columns, an index on it and a
// column on an existing table; every preview tab; write; the timeline selects it; u, y applies it; check agrees.
describe.each(DIALECTS)('the revision form on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const { example, open } = useUiExample();

  test('builds, previews, writes and applies a revision through the keys alone', async (ctx) => {
    const db = database(ctx);
    const cli = (...args: string[]) => runCli([...args, '--config', example.configPath, '--db', db.url]);
    expect((await cli('up', FEATURES)).code).toBe(0);
    const project = await open(db.url);
    const app = await renderApp(project, { columns: 100, rows: 30 });
    ctx.onTestFinished(() => app.unmount());

    await step(app, 'n', '› name');
    await step(app, 'add_projects', (f) => focusedField(f).includes('add_projects'));
    await step(app, keys.enter, 'Add an operation');
    // createTable: its name, then its list of columns (the first column comes as an id primary key).
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› table'));
    await step(app, 'projects', (f) => focusedField(f).includes('projects'));
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› columns'));
    await step(app, keys.enter, (f) => /^› column\s+id$/.test(focusedField(f)));
    await finishItem(app, 'id string primary key');
    await addColumnItem(app, 'name', 'text');
    await addColumnItem(app, 'owner_id', 'string');
    await step(app, keys.esc, (f) => focusedField(f).startsWith('› columns'));
    await step(app, keys.esc, 'Operations, in the order they run');
    // createIndex on the new table: its table chosen from the live tables and the spec's own.
    await addOperation(app, 'createIndex');
    await chooseValue(app, 'projects');
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› columns'));
    await step(app, keys.down + keys.down, (f) => plain(f).includes('▸ [ ] owner_id'));
    await step(app, ' ', (f) => focusedField(f).endsWith('owner_id'));
    await enterUntil(app, 'name');
    await step(app, keys.enter, 'Operations, in the order they run');
    // addColumn on an existing table.
    await addOperation(app, 'addColumn');
    await chooseValue(app, 'features');
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› column'));
    await step(app, 'priority', (f) => focusedField(f).includes('priority'));
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› type'));
    await chooseValue(app, 'integer');
    await enterUntil(app, 'nullable');
    await chooseValue(app, 'yes');
    await enterUntil(app, 'default');
    await step(app, '0', (f) => focusedField(f).endsWith('0'));
    let frame = await step(app, keys.enter, 'Operations, in the order they run');
    expect(plain(frame)).toMatch(/1 ✓ createTable projects \(id, name, owner_id\)/);
    expect(plain(frame)).toMatch(/2 ✓ createIndex on projects \(owner_id\)/);
    expect(plain(frame)).toMatch(/3 ✓ addColumn features\.priority integer null/);
    frame = await waitForFrame(app.lastFrame, 'ready: w previews and writes it');

    // Every tab of the preview, → from the file on.
    frame = await waitForFrame(app.lastFrame, (f) => plain(f).includes('[File]') && plain(f).includes("import { ops } from 'migrate-ui'"));
    const connected = dialect === 'mariadb' ? 'mariadb' : dialect;
    const others = ['sqlite', 'postgresql', 'mysql'].filter((d) => d !== (dialect === 'mariadb' ? 'mysql' : dialect));
    for (const sql of [connected, ...others]) {
      frame = await step(app, arrow.right, (f) => plain(f).includes(`[SQL ${sql}]`) && /create table .?projects/.test(plain(f)));
      expect(plain(frame)).toMatch(/index .?projects_owner_id_index/);
    }
    frame = await step(app, arrow.right, (f) => plain(f).includes('[Entities]') && plain(f).includes('edited: '));
    expect(plain(frame)).toMatch(/edited: .*entities\/feature\.ts[\s\S]*\+ .*priority/);
    frame = await step(app, arrow.right, (f) => plain(f).includes('[Lint]') && /✓ nothing to warn about|⚠ /.test(plain(f)));

    // Nothing is written before y.
    frame = await step(app, 'w', /Write Migration\d{14}_add_projects\.ts and \d entity files\?/);
    expect(readdirSync(example.migrationsDir).some((f) => f.endsWith('_add_projects.ts'))).toBe(false);
    expect(existsSync(join(example.dir, 'entities', 'project.ts'))).toBe(false);
    frame = await step(app, 'y', 'wrote Migration');
    const written = readdirSync(example.migrationsDir)
      .find((f) => f.endsWith('_add_projects.ts'))!
      .replace(/\.ts$/, '');
    frame = await waitForFrame(app.lastFrame, (f) => rowOf(f, written).startsWith('› ○'));
    expect(readFileSync(join(example.dir, 'entities', 'project.ts'), 'utf8')).toMatch(/owner_id|ownerId/);
    expect(readFileSync(join(example.dir, 'entities', 'feature.ts'), 'utf8')).toContain('priority');

    // u on it, then y: it is applied, and entities, schema and the file agree.
    await step(app, 'u', /Apply \d+ revisions?\?/);
    frame = await step(app, 'y', '✓ done');
    expect(await tableNames(db)).toContain('projects');
    const check = await cli('check');
    expect(check.stdout + check.stderr).toMatch(/in sync/);
    expect(check.code).toBe(0);
    // down() is the exact inverse: back down one, the table and the column are gone, and check still agrees.
    expect((await cli('down', '-1', '--yes')).code).toBe(0);
    expect(await tableNames(db)).not.toContain('projects');
  });
});

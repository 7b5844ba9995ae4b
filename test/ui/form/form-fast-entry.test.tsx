import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Project } from '../../../src/core/project.js';
import { runCli } from '../../helpers/cli.js';
import { keys, plain, press, resize, waitForFrame } from '../../helpers/ink.js';
import { renderApp, type RenderedApp, rowOf, selectRow } from '../../helpers/render-app.js';
import { openProject, uiExample, type ExampleCopy } from '../../helpers/ui-project.js';
import { arrow, enterUntil, focusedField, step } from './drive.js';

const FEATURES = 'Migration20260103090000_add_features_table';

/** What terminals send for the keys of a line editor. */
const line = {
  home: '\u001B[H',
  end: '\u001B[F',
  ctrlA: '\x01',
  ctrlE: '\x05',
  ctrlK: '\x0b',
  ctrlU: '\x15',
  ctrlW: '\x17',
  ctrlZ: '\x1a',
  altLeft: '\u001B[1;3D',
  ctrlRight: '\u001B[1;5C',
  shiftRight: '\u001B[1;2C',
} as const;

// Issue 21, "entry that is fast": type-ahead, g/G/Home/End, the line editor, undo, "indexed", safe preselections.
describe('the revision form, fast entry', () => {
  let example: ExampleCopy;
  let project: Project;
  let app: RenderedApp;
  const url = () => `sqlite:${join(example.dir, 'fast.sqlite')}`;

  beforeEach(async () => {
    example = uiExample();
    expect((await runCli(['up', FEATURES, '--config', example.configPath, '--db', url()])).code).toBe(0);
    project = await openProject(example.configPath, url());
    app = await renderApp(project, { columns: 100, rows: 30 });
  });
  afterEach(async () => {
    app.unmount();
    await project.close();
    example.remove();
  });

  const field = (label: string, value: string) => (f: string) => new RegExp(`^› ${label}\\s+${value}$`).test(focusedField(f));
  const selected = (f: string) =>
    plain(f)
      .split('\n')
      .find((l) => l.startsWith('› '))
      ?.trim() ?? '';

  async function named(name: string): Promise<void> {
    await step(app, 'n', '› name');
    await step(app, name, (f) => focusedField(f).includes(name));
    await step(app, keys.enter, 'Add an operation');
  }

  test('letters pick from the menu and from a choice, more letters refine; g G Home End jump', async () => {
    await named('fast_pick');
    await step(app, 'd', (f) => selected(f).startsWith('› dropColumn'));
    await step(app, 'ropI', (f) => selected(f).startsWith('› dropIndex'));
    await step(app, 'G', (f) => selected(f).startsWith('› dropCheck'));
    await step(app, 'g', (f) => selected(f).startsWith('› createTable'));
    await step(app, keys.end, (f) => selected(f).startsWith('› dropCheck'));
    await step(app, keys.home, (f) => selected(f).startsWith('› createTable'));
    await step(app, 'a', (f) => selected(f).startsWith('› addColumn'));
    await step(app, keys.enter, field('table', '\\S+'));
    await step(app, 'f', field('table', 'features'));
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› column'));
    await step(app, 'rank', (f) => focusedField(f).includes('rank'));
    await step(app, keys.enter, field('type', 'string'));
    await step(app, 'd', field('type', 'double'));
    await step(app, 'a', field('type', 'date'));
    await step(app, 'tet', field('type', 'datetime'));
    await step(app, keys.end, field('type', 'blob'));
    await step(app, keys.home, field('type', 'string'));
    await step(app, 'i', field('type', 'integer'));
    // A letter nothing starts with leaves the choice where it is.
    await step(app, 'q', (f) => plain(f).includes('rank integer'));
    expect(focusedField(app.lastFrame()!)).toMatch(/^› type\s+integer$/);
    await step(app, keys.enter, field('nullable', 'no'));
    await step(app, 'y', field('nullable', 'yes'));
    await step(app, 'n', field('nullable', 'no'));
  });

  test('"indexed" on addColumn writes its createIndex too; the list and the file say so', async () => {
    await named('indexed_rank');
    await step(app, 'a', (f) => selected(f).startsWith('› addColumn'));
    await step(app, keys.enter, field('table', '\\S+'));
    await step(app, 'f', field('table', 'features'));
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› column'));
    await step(app, 'rank', (f) => focusedField(f).includes('rank'));
    await step(app, keys.enter, field('type', 'string'));
    await step(app, 'i', field('type', 'integer'));
    await step(app, keys.enter, field('nullable', 'no'));
    await step(app, 'y', field('nullable', 'yes'));
    await step(app, keys.enter, field('indexed', 'no'));
    await step(app, 'y', field('indexed', 'yes'));
    const frame = await step(app, keys.esc, (f) => plain(f).includes('ready: w previews and writes it'));
    expect(plain(frame)).toMatch(/1 ✓ addColumn features\.rank integer null, indexed/);
    const index = "await op.createIndex('features', ['rank']";
    const file = plain(frame).includes(index) ? frame : await step(app, keys.pageDown, index);
    expect(plain(file)).toContain("await op.addColumn('features', { name: 'rank', type: 'integer', nullable: true });");
  });

  test('a text field has a cursor: arrows, Home/End, ctrl-a/e/u/w/k and word jumps; a paste lands at the cursor', async () => {
    await step(app, 'n', '› name');
    await step(app, 'add_rnk', (f) => focusedField(f).includes('add_rnk'));
    await step(app, arrow.left, (f) => focusedField(f).includes('add_rnk'));
    await step(app, arrow.left, (f) => focusedField(f).includes('add_rnk'));
    await step(app, 'a', (f) => focusedField(f).includes('add_rank'));
    await step(app, line.ctrlA, (f) => focusedField(f).includes('add_rank'));
    // A paste: several characters in one chunk, typed at the cursor.
    await step(app, 'big_', (f) => focusedField(f).includes('big_add_rank'));
    await step(app, line.ctrlE, (f) => focusedField(f).includes('big_add_rank'));
    await step(app, '_x', (f) => focusedField(f).includes('big_add_rank_x'));
    // A word is letters, digits and _: ctrl-w takes back the whole name, ctrl-z brings it back.
    await step(app, line.ctrlW, (f) => /^› name\s*$/.test(focusedField(f)));
    await step(app, line.ctrlZ, (f) => focusedField(f).includes('big_add_rank_x'));
    await step(app, line.home, (f) => focusedField(f).includes('big_add_rank_x'));
    await step(app, line.ctrlK, (f) => /^› name\s*$/.test(focusedField(f)));
    await step(app, 'add rank', (f) => focusedField(f).includes('add rank'));
    await step(app, line.altLeft, (f) => focusedField(f).includes('add rank'));
    await step(app, line.ctrlU, (f) => /^› name\s+rank$/.test(focusedField(f)));
    await step(app, 'add_', (f) => focusedField(f).includes('add_rank'));
    await step(app, line.end, (f) => focusedField(f).includes('add_rank'));
    await step(app, line.altLeft, (f) => focusedField(f).includes('add_rank'));
    await step(app, line.ctrlRight, (f) => focusedField(f).includes('add_rank'));
    await step(app, keys.backspace, (f) => /^› name\s+add_ran$/.test(focusedField(f)));
    // shift-→ switches the preview's tab while ← → move the cursor.
    await step(app, line.shiftRight, '[SQL sqlite]');
    await step(app, keys.enter, 'Add an operation');
  });

  test('a createTable column can reference a table: its key is pre-filled and the type follows it; the foreign key is written', async () => {
    await named('add_projects');
    await step(app, 'c', (f) => selected(f).startsWith('› createTable'));
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› table'));
    await step(app, 'projects', (f) => focusedField(f).includes('projects'));
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› columns'));
    await step(app, keys.enter, field('column', 'id'));
    let frame = await enterUntil(app, 'references');
    expect(focusedField(frame)).toMatch(/^› references\s+\(none\)$/);
    expect(plain(frame)).toContain('users.id');
    await step(app, keys.esc, 'Columns (columns)');
    await step(app, 'a', (f) => focusedField(f).startsWith('› column'));
    await step(app, 'owner_id', (f) => focusedField(f).includes('owner_id'));
    await step(app, keys.enter, field('type', 'string'));
    await step(app, 'i', field('type', 'integer'));
    await enterUntil(app, 'references');
    frame = await step(app, 'u', field('references', 'users\\.id'));
    expect(plain(frame)).toMatch(/owner_id string → users\.id/);
    await step(app, keys.esc, (f) => plain(f).includes('Columns (columns)'));
    await step(app, keys.esc, (f) => focusedField(f).startsWith('› columns'));
    frame = await step(app, keys.esc, (f) => plain(f).includes('ready: w previews and writes it'));
    expect(plain(frame)).toMatch(/1 ✓ createTable projects \(id, owner_id\)/);
    // The key is made with the table (SQLite writes it into its CREATE TABLE instead of rebuilding the table).
    const key = /foreignKeys: \[\s+\{\s+columns: \['owner_id'\],\s+references: \{ table: 'users', columns: \['id'\] \}/;
    frame = key.test(plain(frame)) ? frame : await step(app, keys.pageDown, (f) => key.test(plain(f)));
    expect(plain(frame)).toMatch(key);
  });

  test('u undoes every edit: x removing an operation, a choice, a whole typed field', async () => {
    await named('undo_things');
    await step(app, 's', (f) => selected(f).startsWith('› sql'));
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› up SQL'));
    await step(app, 'select 1', (f) => focusedField(f).includes('select 1'));
    await step(app, keys.esc, 'Operations, in the order they run');
    await step(app, 'a', 'Add an operation');
    await step(app, 'a', (f) => selected(f).startsWith('› addColumn'));
    await step(app, keys.enter, field('table', '\\S+'));
    await step(app, 'f', field('table', 'features'));
    await step(app, keys.esc, (f) => plain(f).includes('2 ✗ addColumn features.'));
    let frame = await step(app, 'x', (f) => !plain(f).includes('addColumn'));
    expect(plain(frame)).toContain('1 ✓ sql');
    frame = await step(app, 'u', (f) => plain(f).includes('2 ✗ addColumn features.'));
    // The table chosen, then the record added: each comes back off in turn.
    frame = await step(app, 'u', (f) => focusedField(f).startsWith('› table'));
    await step(app, keys.esc, 'Operations, in the order they run');
    frame = await step(app, 'u', (f) => plain(f).includes('Add an operation'));
    await step(app, keys.esc, (f) => plain(f).includes('Operations, in the order they run') && !plain(f).includes('addColumn'));
    // Typing into one field is one edit.
    frame = await step(app, 'u', (f) => /^› up SQL\s*$/.test(focusedField(f)) || focusedField(f).startsWith('› up SQL'));
    expect(plain(frame)).not.toContain('select 1');
  });

  test('dropColumn preselects nothing and marks the primary key ✗; a backfill never preselects or takes its key', async () => {
    await named('safe_choices');
    await step(app, 'd', (f) => selected(f).startsWith('› dropColumn'));
    await step(app, keys.enter, field('table', '\\S+'));
    await step(app, 'f', field('table', 'features'));
    let frame = await step(app, keys.enter, (f) => focusedField(f).startsWith('› column'));
    expect(focusedField(frame)).toMatch(/^› column\s+↓ chooses the column to drop$/);
    expect(plain(frame)).toMatch(/ id {2}✗ the primary key: a table keeps it/);
    await step(app, keys.esc, 'Operations, in the order they run');
    await step(app, 'x', 'none yet');
    await step(app, 'a', 'Add an operation');
    await step(app, 'b', (f) => selected(f).startsWith('› backfill'));
    await step(app, keys.enter, field('table', '\\S+'));
    await step(app, 'f', field('table', 'features'));
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› set'));
    frame = await step(app, keys.enter, (f) => focusedField(f).startsWith('› column'));
    expect(focusedField(frame)).toMatch(/^› column\s+user_id$/);
    expect(plain(frame)).toMatch(/ id {2}✗ the key the backfill walks by/);
    await step(app, 'i', field('column', 'id'));
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› expression'));
    await step(app, 'lower(id)', (f) => focusedField(f).includes('lower(id)'));
    frame = await step(app, keys.enter, 'Columns (set)');
    expect(plain(frame)).toMatch(/✗ id = lower\(id\)/);
    expect(plain(frame)).toContain('id is the key the backfill walks features by');
  });

  test('a backfill beside schema steps says the revision is a data migration, not one transaction', async () => {
    await named('fill_and_add');
    await step(app, 'a', (f) => selected(f).startsWith('› addColumn'));
    await step(app, keys.enter, field('table', '\\S+'));
    await step(app, 'f', field('table', 'features'));
    await step(app, keys.esc, 'Operations, in the order they run');
    await step(app, 'a', 'Add an operation');
    await step(app, 'b', (f) => selected(f).startsWith('› backfill'));
    await step(app, keys.enter, field('table', '\\S+'));
    const frame = await step(app, keys.esc, 'a data migration, not one transaction');
    expect(plain(frame)).toMatch(/⚠ a data migration, not one transaction: the schema steps commit on their own/);
  });

  test('at 160×45 the preview stands beside the form, the full height', async () => {
    resize(app.stdout, 160, 45);
    await named('wide_form');
    const frame = await step(app, 'a', (f) => selected(f).startsWith('› addColumn'));
    const rows = plain(frame).split('\n');
    expect(rows.find((l) => l.startsWith('Add an operation'))).toMatch(/^Add an operation +\[File\]│ SQL sqlite/);
    expect(rows.find((l) => l.startsWith('› addColumn'))).toMatch(/^› addColumn +a column on an existing table {2,}\S/);
    expect(rows.length).toBeLessThanOrEqual(45);
  });

  test('throwing a draft away says where it leads', async () => {
    await named('throw_me');
    await step(app, keys.esc, 'Operations, in the order they run');
    await step(app, keys.esc, '› name');
    const frame = await step(app, keys.esc, 'Throw this draft away?');
    expect(plain(frame)).toContain('y throws it away and goes back to the timeline');
    await step(app, 'y', 'nothing was written');
  });

  test('e reopens an indexed addColumn and a column that references a key as they were entered, and w writes the same spec', async () => {
    const spec = join(example.dir, 'spec.json');
    const operations = [
      { op: 'addColumn', table: 'features', column: { name: 'rank', type: 'integer', nullable: true } },
      { op: 'createIndex', table: 'features', columns: ['rank'] },
      {
        op: 'createTable',
        table: 'projects',
        columns: [
          { name: 'id', type: 'string', primary: true },
          { name: 'user_id', type: 'string' },
        ],
      },
      { op: 'addForeignKey', table: 'projects', columns: ['user_id'], references: { table: 'users', columns: ['id'] } },
    ];
    writeFileSync(spec, JSON.stringify({ operations }));
    expect((await runCli(['new', 'rank_and_projects', '--spec', spec, '--config', example.configPath, '--db', url()])).code).toBe(0);
    const file = readdirSync(example.migrationsDir).find((f) => f.endsWith('_rank_and_projects.ts'))!;
    const name = file.replace(/\.ts$/, '');
    await waitForFrame(app.lastFrame, (f) => rowOf(f, name) !== '');
    await selectRow(app, name);
    let frame = await step(app, 'e', 'Editing rank_and_projects');
    frame = await waitForFrame(app.lastFrame, (f) => / w +write /.test(plain(f)));
    const list = plain(frame).split('Operations, in the order they run\n')[1].split('\n  ready:')[0];
    expect(list.split('\n').map((l) => l.replace(/^› /, '').trim())).toEqual([
      '1 ✓ addColumn features.rank integer null, indexed',
      '2 ✓ createTable projects (id, user_id)',
    ]);
    // The table's columns: user_id points at users.id.
    await step(app, keys.down, (f) => selected(f).includes('createTable projects'));
    frame = await step(app, keys.enter, field('table', 'projects'));
    expect(plain(frame)).toMatch(/^ {2}columns +id string primary key · user_id string → users\.id$/m);
    await step(app, keys.esc, 'ready: w previews and writes it');
    await step(app, 'w', `Write ${file}`);
    // y at once, before the entity edits are drafted: the write follows when they are (the frame's effect undid the y).
    press(app.stdin, 'y');
    await waitForFrame(app.lastFrame, (f) => plain(f).includes('wrote Migration'), 40_000);
    const source = readFileSync(join(example.migrationsDir, file), 'utf8');
    const line = source.split('\n').find((l) => l.includes('@migrate-ui spec '))!;
    expect(JSON.parse(line.slice(line.indexOf('@migrate-ui spec ') + '@migrate-ui spec '.length)).operations).toEqual(operations);
  });

  test('throwing away the changes to a reopened revision says its file stays as it is', async () => {
    const spec = join(example.dir, 'spec.json');
    const addRank = { op: 'addColumn', table: 'features', column: { name: 'rank', type: 'integer', nullable: true } };
    writeFileSync(spec, JSON.stringify({ operations: [addRank] }));
    expect((await runCli(['new', 'add_rank', '--spec', spec, '--config', example.configPath, '--db', url()])).code).toBe(0);
    const file = readdirSync(example.migrationsDir).find((f) => f.endsWith('_add_rank.ts'))!;
    const before = readFileSync(join(example.migrationsDir, file), 'utf8');
    await waitForFrame(app.lastFrame, (f) => rowOf(f, file.replace(/\.ts$/, '')) !== '');
    await selectRow(app, file.replace(/\.ts$/, ''));
    await step(app, 'e', 'Editing add_rank');
    await waitForFrame(app.lastFrame, (f) => / w +write /.test(plain(f)));
    await step(app, 'x', 'none yet');
    await step(app, keys.esc, '› name');
    const frame = await step(app, keys.esc, 'Throw this draft away?');
    expect(plain(frame)).toContain(`y throws away the changes; ${file} stays as it is on disk`);
    await step(app, 'y', (f) => !plain(f).includes('Editing add_rank') && rowOf(f, file.replace(/\.ts$/, '')) !== '');
    expect(readFileSync(join(example.migrationsDir, file), 'utf8')).toBe(before);
  });
});

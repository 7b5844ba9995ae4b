import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Project } from '../../../src/core/project.js';
import { runCli } from '../../helpers/cli.js';
import type { TestDatabase } from '../../helpers/databases.js';
import { withSql } from '../../helpers/sql.js';
import { keys, plain, press, waitForFrame } from '../../helpers/ink.js';
import { renderApp, rowOf, selectRow, type RenderedApp } from '../../helpers/render-app.js';
import { openProject, uiExample, type ExampleCopy } from '../../helpers/ui-project.js';
import { addOperation, chooseValue, enterUntil, finishItem, focusedField, step } from './drive.js';

const FEATURES = 'Migration20260103090000_add_features_table';
const SLUG = 'Migration20260104090000_add_feature_slug';

// Every key path of the form on SQLite (the database does not change how keys behave; form-flow runs all three).
describe('the revision form, key by key', () => {
  let example: ExampleCopy;
  let project: Project;
  let app: RenderedApp;
  const cli = (...args: string[]) => runCli([...args, '--config', example.configPath, '--db', `sqlite:${join(example.dir, 'test.sqlite')}`]);

  beforeEach(async () => {
    example = uiExample();
    expect((await cli('up', FEATURES)).code).toBe(0);
    project = await openProject(example.configPath, `sqlite:${join(example.dir, 'test.sqlite')}`);
    app = await renderApp(project, { columns: 100, rows: 30 });
  });
  afterEach(async () => {
    app.unmount();
    await project.close();
    example.remove();
  });

  const written = () => readdirSync(example.migrationsDir).filter((f) => !f.startsWith('Migration202601'));
  const lines = (frame: string) => plain(frame).split('\n');

  async function named(name: string): Promise<void> {
    await step(app, 'n', '› name');
    await step(app, name, (f) => focusedField(f).includes(name));
    await step(app, keys.enter, 'Add an operation');
  }

  /** Adds an `sql` operation with this up() from the operations list. */
  async function sqlOperation(up: string, first = false): Promise<void> {
    if (first) {
      let frame = app.lastFrame() ?? '';
      for (let i = 0; i < 12 && !plain(frame).includes('› sql '); i++) frame = await step(app, keys.down, (f) => f !== frame);
      await step(app, keys.enter, (f) => focusedField(f).startsWith('› up SQL'));
    } else await addOperation(app, 'sql');
    await step(app, up, (f) => focusedField(f).includes(up));
    await enterUntil(app, 'down SQL');
    await step(app, keys.enter, 'Operations, in the order they run');
  }

  test('an invalid name shows its problem next to the field, enter does not go on, and w does not write', async () => {
    await step(app, 'n', '› name');
    let frame = await step(app, 'Add-Projects', (f) => focusedField(f).includes('Add-Projects'));
    expect(lines(frame).find((l) => l.includes('✗'))).toMatch(/^\s+✗ use lower-case letters, digits and _/);
    frame = await step(app, keys.enter, 'the name: use lower-case letters');
    expect(focusedField(frame)).toContain('Add-Projects');
    expect(plain(frame)).not.toContain('Add an operation');
    // Fixed, it goes on; an operation left incomplete keeps the write step away and w says why.
    await step(app, keys.backspace.repeat(12), (f) => /^› name\s*$/.test(focusedField(f)));
    await step(app, 'add_things', (f) => focusedField(f).includes('add_things'));
    await step(app, keys.enter, 'Add an operation');
    frame = await step(app, keys.enter, (f) => focusedField(f).startsWith('› table'));
    expect(plain(frame)).toContain('✗ a name is needed');
    frame = await step(app, keys.esc, 'Operations, in the order they run');
    expect(plain(frame)).toMatch(/not ready to write, 2 problems: operation 1 \(createTable\), table: a name is needed/);
    expect(plain(frame)).not.toMatch(/ w +write/);
    frame = await step(app, 'w', 'not ready to write: operation 1 (createTable), table: a name is needed');
    expect(plain(frame)).not.toContain('Write Migration');
    expect(written()).toEqual([]);
  });

  test('operations are edited, removed and reordered from their list', async () => {
    await named('reorder_things');
    await sqlOperation('select 1', true);
    await sqlOperation('select 2');
    let frame = await sqlOperation('select 3').then(() => app.lastFrame()!);
    expect(
      lines(frame)
        .filter((l) => /^[› ] +\d ✓ sql/.test(l))
        .map((l) => l.slice(-8)),
    ).toEqual(['select 1', 'select 2', 'select 3']);
    // K moves the selected (last) one up: it runs earlier.
    frame = await step(app, 'K', (f) => lines(f).some((l) => /^› +2 ✓ sql select 3/.test(l)));
    expect(plain(frame)).toMatch(/1 ✓ sql select 1[\s\S]*2 ✓ sql select 3[\s\S]*3 ✓ sql select 2/);
    frame = await step(app, 'J', (f) => lines(f).some((l) => /^› +3 ✓ sql select 3/.test(l)));
    // enter edits it: its fields as they were; esc keeps what was typed.
    await step(app, keys.up, (f) => lines(f).some((l) => /^› +2 ✓ sql select 2/.test(l)));
    frame = await step(app, keys.enter, (f) => focusedField(f).startsWith('› up SQL'));
    expect(focusedField(frame)).toContain('select 2');
    await step(app, ' + 40', (f) => focusedField(f).includes('select 2 + 40'));
    frame = await step(app, keys.esc, 'Operations, in the order they run');
    expect(plain(frame)).toMatch(/2 ✓ sql select 2 \+ 40/);
    // x removes it.
    frame = await step(app, 'x', (f) => !plain(f).includes('select 2 + 40'));
    expect(plain(frame)).toMatch(/1 ✓ sql select 1[\s\S]*2 ✓ sql select 3/);
    // The file the preview shows follows: two statements, in the new order.
    frame = await waitForFrame(app.lastFrame, (f) => /op\.sql\('select 1'\)[\s\S]*op\.sql\('select 3'\)/.test(plain(f)));
    expect(plain(frame)).not.toContain('select 2');
  });

  test('esc steps back one level at a time, keeps what was typed, and asks before throwing the draft away', async () => {
    await named('step_back');
    // From the menu back to the (empty) list, then to the name, which is still typed.
    let frame = await step(app, keys.esc, 'none yet: a adds one');
    frame = await step(app, keys.esc, (f) => focusedField(f).includes('step_back'));
    // Into a createTable, a table name half typed, then a column: esc at each level.
    await step(app, keys.enter, 'Add an operation');
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› table'));
    await step(app, 'proj', (f) => focusedField(f).includes('proj'));
    await step(app, '\t', (f) => focusedField(f).startsWith('› columns'));
    await step(app, keys.enter, (f) => /^› column\s+id$/.test(focusedField(f)));
    frame = await step(app, keys.esc, 'Columns (columns)');
    expect(plain(frame)).toContain('id string primary key');
    frame = await step(app, keys.esc, (f) => focusedField(f).startsWith('› columns'));
    frame = await step(app, '\u001B[Z', (f) => focusedField(f).startsWith('› table'));
    expect(focusedField(frame)).toContain('proj');
    frame = await step(app, keys.esc, 'Operations, in the order they run');
    expect(plain(frame)).toContain('createTable proj (id)');
    frame = await step(app, keys.esc, (f) => focusedField(f).includes('step_back'));
    // From the first step: a question, n keeps everything, y throws it away.
    frame = await step(app, keys.esc, 'Throw this draft away?');
    frame = await step(app, 'n', (f) => focusedField(f).includes('step_back'));
    await step(app, keys.enter, 'createTable proj (id)');
    await step(app, keys.esc, (f) => focusedField(f).includes('step_back'));
    await step(app, keys.esc, 'Throw this draft away?');
    frame = await step(app, 'y', 'nothing was written');
    expect(rowOf(frame, SLUG)).toMatch(/○ pending/);
    expect(written()).toEqual([]);
  });

  test('ctrl-c with a draft asks "Throw this draft away?" first; n keeps it; ctrl-c on the question quits', async () => {
    await named('keep_me');
    let frame = await step(app, keys.ctrlC, 'Throw this draft away?');
    expect(app.exitCode()).toBeUndefined();
    frame = await step(app, 'n', 'Add an operation');
    expect(plain(frame)).toContain('keep_me');
    await step(app, keys.ctrlC, 'Throw this draft away?');
    press(app.stdin, keys.ctrlC);
    await waitForFrame(() => String(app.exitCode()), '0');
  });

  test('e reopens a pending revision the form wrote; writing it again replaces the file and redoes the entity edits', async () => {
    await named('add_projects');
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› table'));
    await step(app, 'projects', (f) => focusedField(f).includes('projects'));
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› columns'));
    await step(app, keys.enter, (f) => /^› column\s+id$/.test(focusedField(f)));
    await finishItem(app, 'id string primary key');
    await step(app, keys.esc, (f) => focusedField(f).startsWith('› columns'));
    await step(app, keys.esc, 'ready: w previews and writes it');
    await step(app, 'w', /Write Migration\d+_add_projects\.ts and 2 entity files\?/);
    let frame = await step(app, 'y', 'wrote Migration');
    const [file] = written();
    const name = file.replace(/\.ts$/, '');
    expect(existsSync(join(example.dir, 'entities', 'project.ts'))).toBe(true);
    frame = await waitForFrame(app.lastFrame, (f) => rowOf(f, name).startsWith('› ○'));

    // e opens it with its operations; the table is renamed before it is ever applied.
    frame = await step(app, 'e', `Editing add_projects  ·  ${name}.ts`);
    expect(plain(frame)).toContain('1 ✓ createTable projects (id)');
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› table'));
    await step(app, keys.backspace.repeat(8), (f) => /^› table\s+a new table name$/.test(focusedField(f)));
    await step(app, 'workspaces', (f) => focusedField(f).includes('workspaces'));
    await step(app, keys.esc, 'createTable workspaces (id)');
    // w is offered once the draft (with the entity edits taken back and redone) is ready.
    await waitForFrame(app.lastFrame, (f) => /ready: w previews and writes it/.test(plain(f)) && / w +write /.test(plain(f)));
    await step(app, 'w', `Write ${name}.ts and 3 entity files?`);
    frame = await step(app, 'y', 'wrote Migration');
    // The same file (same name, same place in the timeline), now for workspaces; the entities follow.
    expect(written()).toEqual([file]);
    const source = readFileSync(join(example.migrationsDir, file), 'utf8');
    expect(source).toContain("'workspaces'");
    expect(source).not.toContain("'projects'");
    expect(existsSync(join(example.dir, 'entities', 'project.ts'))).toBe(false);
    expect(existsSync(join(example.dir, 'entities', 'workspace.ts'))).toBe(true);
    const config = readFileSync(example.configPath, 'utf8');
    expect(config).toContain('WorkspaceSchema');
    expect(config).not.toContain('ProjectSchema');
    const up = await cli('up');
    expect(up.code).toBe(0);
    const check = await cli('check');
    expect(check.stdout + check.stderr).toMatch(/in sync/);
  });

  test('e, x on one operation, w: only the entity edit of that operation is taken back; the table still created keeps its entity', async () => {
    const spec = join(example.dir, 'spec.json');
    const createProjects = { op: 'createTable', table: 'projects', columns: [{ name: 'id', type: 'string', primary: true }] };
    const addPriority = { op: 'addColumn', table: 'features', column: { name: 'priority', type: 'integer', nullable: true } };
    writeFileSync(spec, JSON.stringify({ operations: [createProjects, addPriority] }));
    expect((await cli('new', 'projects_and_priority', '--spec', spec)).code).toBe(0);
    const [file] = written();
    const project = join(example.dir, 'entities', 'project.ts');
    const projectText = readFileSync(project, 'utf8');
    const feature = () => readFileSync(join(example.dir, 'entities', 'feature.ts'), 'utf8');
    expect(feature()).toContain('priority');

    await waitForFrame(app.lastFrame, (f) => rowOf(f, file.replace(/\.ts$/, '')) !== '');
    await selectRow(app, file.replace(/\.ts$/, ''));
    await step(app, 'e', 'Editing projects_and_priority');
    await waitForFrame(app.lastFrame, (f) => / w +write /.test(plain(f)));
    await step(app, keys.down, (f) => lines(f).some((l) => /^› +2 ✓ addColumn features/.test(l)));
    await step(app, 'x', (f) => !plain(f).includes('addColumn features'));
    await waitForFrame(app.lastFrame, (f) => / w +write /.test(plain(f)));
    await step(app, 'w', `Write ${file} and 1 entity file?`);
    await step(app, 'y', 'wrote Migration');

    // The revision still creates projects: its entity and registration stay as they were; priority is gone.
    expect(readFileSync(join(example.migrationsDir, file), 'utf8')).not.toContain('addColumn');
    expect(readFileSync(project, 'utf8')).toBe(projectText);
    expect(readFileSync(example.configPath, 'utf8')).toContain('ProjectSchema');
    expect(feature()).not.toContain('priority');
    expect((await cli('up')).code).toBe(0);
    const check = await cli('check');
    expect(check.stdout + check.stderr).toMatch(/in sync/);
  });

  test('dropColumn starts on no column; a backfill starts on a column that is not the key, and refuses the key', async () => {
    await named('careful');
    let frame = await addOperation(app, 'dropColumn');
    frame = await chooseValue(app, 'features');
    frame = await step(app, keys.enter, (f) => focusedField(f).startsWith('› column'));
    expect(focusedField(frame)).toMatch(/^› column\s+↓ chooses the column to drop$/);
    expect(plain(frame)).not.toMatch(/▸ id/);
    frame = await step(app, keys.esc, 'Operations, in the order they run');
    expect(plain(frame)).toMatch(/1 ✗ dropColumn features\.…/);
    expect(plain(frame)).not.toContain('ready: w previews');

    await step(app, 'x', 'none yet: a adds one');
    frame = await addOperation(app, 'backfill');
    frame = await chooseValue(app, 'features');
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› set'));
    frame = await step(app, keys.enter, (f) => focusedField(f).startsWith('› column'));
    expect(focusedField(frame)).toMatch(/^› column\s+user_id$/);
    // Chosen by hand, the key is refused next to the field and the operation is not ready.
    frame = await step(app, keys.up, (f) => /^› column\s+id$/.test(focusedField(f)));
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› expression'));
    frame = await step(app, "'x'", (f) => focusedField(f).includes("'x'"));
    frame = await waitForFrame(app.lastFrame, (f) => plain(f).includes('✗ id is the key the backfill walks features by; a backfill cannot set it'));
    expect(written()).toEqual([]);
  });

  test('a revision that cannot run on the connected database is not ready: the list says why, and w does not write', async () => {
    // A trigger on features: rebuilding it on SQLite (alterColumn) would drop the trigger, up and down alike.
    await withSql({ dialect: 'sqlite', url: `sqlite:${join(example.dir, 'test.sqlite')}` } as TestDatabase, (sql) =>
      sql.query(`create trigger features_touch after update on features begin select 1; end`),
    );
    await named('loosen_name');
    await addOperation(app, 'alterColumn');
    await chooseValue(app, 'features');
    await step(app, keys.enter, (f) => focusedField(f).startsWith('› column'));
    await chooseValue(app, 'name');
    await enterUntil(app, 'nullable');
    await chooseValue(app, 'yes');
    await step(app, keys.esc, 'Operations, in the order they run');
    const frame = await waitForFrame(app.lastFrame, (f) => plain(f).includes('cannot run on sqlite:'));
    expect(lines(frame).find((l) => l.includes('cannot run on sqlite:'))).toMatch(
      /^ +cannot run on sqlite: up\(\) and down\(\): rebuilding features on SQLite would drop its trigger/,
    );
    expect(plain(frame)).not.toContain('ready: w previews');
    await step(app, 'w', 'not ready to write, it cannot run on sqlite: up(): rebuilding features');
    expect(written()).toEqual([]);
  });

  test('e on an applied revision, or on one written by hand, says why it cannot be edited in the form', async () => {
    await selectRow(app, FEATURES);
    let frame = await step(app, 'e', `${FEATURES} is applied: an applied revision is never rewritten`);
    expect(plain(frame)).not.toContain('Editing');
    await selectRow(app, SLUG);
    frame = await step(app, 'e', `${SLUG} was not written from a spec`);
    expect(plain(frame)).not.toContain('Editing');
  });

  test('the help overlay lists the form keys; the status bar shows the keys of the step', async () => {
    await named('help_me');
    let frame = app.lastFrame()!;
    expect(plain(frame)).toMatch(/↑↓ +move +enter +add +esc +back +\? +help/);
    frame = await step(app, '?', 'Keys — esc, ? or q closes');
    expect(plain(frame)).toContain('Adding an operation');
    expect(plain(frame)).toMatch(/K +move the selected one up/);
    frame = await step(app, keys.esc, 'Add an operation');
    // q closes help as in less and man; it never quits past the draft.
    await step(app, '?', 'Keys — esc, ? or q closes');
    frame = await step(app, 'q', (f) => !f.includes('Keys —') && plain(f).includes('Add an operation'));
    expect(plain(frame)).toContain('help_me');
    expect(app.exitCode()).toBeUndefined();
    // A choice takes printable keys (q does not quit); space takes a column only where several can be taken.
    frame = await addOperation(app, 'createIndex');
    frame = await chooseValue(app, 'features');
    expect(plain(frame)).not.toMatch(/space +take/);
    frame = await step(app, keys.enter, (f) => focusedField(f).startsWith('› columns'));
    expect(plain(frame)).toMatch(/space +take/);
    frame = await step(app, 'q', (f) => f === frame || plain(f).includes('› columns'));
    expect(app.exitCode()).toBeUndefined();
  });
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { Tmux } from '../helpers/tmux.js';
import { uiExample, type ExampleCopy } from '../helpers/ui-project.js';

/** The line of the focused field or list entry. */
const focused = (screen: string) => screen.split('\n').find((l) => l.startsWith('› ')) ?? '';

// `migrate-ui new NAME` in a real terminal of 80×24: the form from the keyboard, written, then applied with `up`.
describe('the revision form in a terminal', () => {
  let example: ExampleCopy;
  let tmux: Tmux;
  const dbUrl = () => `sqlite:${join(example.dir, 'form.sqlite')}`;
  const cli = (...args: string[]) => runCli([...args, '--config', example.configPath, '--db', dbUrl()]);

  beforeAll(() => {
    example = uiExample();
  });
  afterEach(() => tmux?.kill());
  afterAll(() => example.remove());

  it('adds a table with an index and a column on an existing table, previews, writes and applies it', async () => {
    expect((await cli('up')).code).toBe(0);
    tmux = new Tmux();
    tmux.start(`node ${BIN} new add_projects --config ${example.configPath} --db ${dbUrl()}`, { cwd: ROOT, columns: 80, rows: 24 });
    await tmux.waitFor((s) => s.includes('New revision add_projects') && focused(s).includes('add_projects'), 20_000);
    await tmux.press('Enter', 'Add an operation');
    await tmux.press('Enter', (s) => focused(s).startsWith('› table'));
    await tmux.press(['-l', 'projects'], (s) => focused(s).includes('projects'));
    await tmux.press('Enter', (s) => focused(s).startsWith('› columns'));
    await tmux.press('Enter', (s) => /^› column\s+id$/.test(focused(s)));
    // The first column (id, a string primary key) as it comes: enter through its fields, back to the list.
    await tmux.press(['Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter'], 'Columns (columns)');
    await tmux.press('a', (s) => focused(s).startsWith('› column'));
    await tmux.press(['-l', 'name'], (s) => focused(s).includes('name'));
    await tmux.press(
      ['Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter'],
      (s) => s.includes('Columns (columns)') && s.includes('name string'),
    );
    await tmux.press('Escape', (s) => focused(s).startsWith('› columns'));
    await tmux.press('Escape', 'Operations, in the order they run');
    // createIndex on projects.name: the table and the column chosen from lists.
    await tmux.press('a', 'Add an operation');
    await tmux.press(['Down', 'Down', 'Down', 'Down', 'Down'], '› createIndex');
    await tmux.press('Enter', (s) => focused(s).startsWith('› table'));
    await tmux.press(['Down', 'Down'], (s) => /^› table\s+projects$/.test(focused(s)));
    await tmux.press('Enter', (s) => focused(s).startsWith('› columns'));
    await tmux.press(['Down', 'Space'], (s) => /^› columns\s+name$/.test(focused(s)));
    await tmux.press(['Enter', 'Enter', 'Enter'], 'Operations, in the order they run');
    // addColumn features.priority, an integer that may be null.
    await tmux.press('a', 'Add an operation');
    await tmux.press('Down', '› addColumn');
    await tmux.press('Enter', (s) => focused(s).startsWith('› table'));
    await tmux.press('Down', (s) => /^› table\s+features$/.test(focused(s)));
    await tmux.press('Enter', (s) => focused(s).startsWith('› column'));
    await tmux.press(['-l', 'priority'], (s) => focused(s).includes('priority'));
    await tmux.press(['Enter', 'Down', 'Down'], (s) => /^› type\s+integer$/.test(focused(s)));
    await tmux.press(['Enter', 'Down'], (s) => /^› nullable\s+yes$/.test(focused(s)));
    let screen = await tmux.press(['Enter', 'Enter', 'Enter', 'Enter'], (s) => s.includes('ready: w previews and writes it') && / w +write /.test(s));
    expect(screen).toMatch(/1 ✓ createTable projects \(id, name\)/);
    expect(screen).toMatch(/3 ✓ addColumn features\.priority integer null/);
    // The SQL on each database, one tab after another.
    for (const dialect of ['sqlite', 'postgresql', 'mysql']) {
      screen = await tmux.press('Right', (s) => s.includes(`[SQL ${dialect}]`) && /create table .?projects/.test(s));
    }
    screen = await tmux.press('Right', (s) => s.includes('[Entities]') && s.includes('edited: '));
    screen = await tmux.press('w', /Write Migration\d+_add_projects\.ts and \d entity files\?/);
    expect(readdirSync(example.migrationsDir).some((f) => f.includes('add_projects'))).toBe(false);
    // `new NAME` is one task: written, the shell comes back and says what to do next.
    screen = await tmux.press('y', 'EXIT=0');
    expect(screen).toMatch(/wrote Migration\d{14}_add_projects: migrate-ui up applies it/);
    expect((await cli('up')).code).toBe(0);
    const check = await cli('check');
    expect(check.stdout + check.stderr).toMatch(/in sync/);
    expect(check.code).toBe(0);
  });
});

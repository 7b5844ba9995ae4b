import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { Tmux } from '../helpers/tmux.js';
import { type ExampleCopy, uiExample } from '../helpers/ui-project.js';

/** The line of the focused field or list entry. */
const focused = (screen: string) => screen.split('\n').find((l) => l.startsWith('› ')) ?? '';

// "Add a nullable column and an index on it", as a person types it into `migrate-ui new NAME` at 80×24, counting every
// key from the first Enter to the shell prompt (issue 21: 54 keys before type-ahead and "indexed"; the goal is ≤ 25).
describe('fast entry in the form, in a terminal', () => {
  let example: ExampleCopy;
  let tmux: Tmux;
  const dbUrl = () => `sqlite:${join(example.dir, 'form-keys.sqlite')}`;
  const cli = (...args: string[]) => runCli([...args, '--config', example.configPath, '--db', dbUrl()]);

  beforeAll(() => {
    example = uiExample();
  });
  afterEach(() => tmux?.kill());
  afterAll(() => example.remove());

  it('adds a nullable column and an index on it in at most 25 keys, written, back at the shell', async () => {
    expect((await cli('up')).code).toBe(0);
    tmux = new Tmux();
    tmux.start(`node ${BIN} new add_priority --config ${example.configPath} --db ${dbUrl()}`, { cwd: ROOT, columns: 80, rows: 24 });
    await tmux.waitFor((s) => focused(s).includes('add_priority'), 20_000);
    let count = 0;
    /** Sends keys (a `-l` text counts each of its characters) and waits for what they show. */
    const type = (keys: string[], expected: Parameters<Tmux['waitFor']>[0]) => {
      count += keys[0] === '-l' ? [...keys[1]].length : keys.length;
      return tmux.press(keys, expected);
    };
    await type(['Enter'], 'Add an operation');
    await type(['a'], '› addColumn');
    await type(['Enter'], (s) => focused(s).startsWith('› table'));
    await type(['f'], (s) => /^› table\s+features$/.test(focused(s)));
    await type(['Enter'], (s) => focused(s).startsWith('› column'));
    await type(['-l', 'priority'], (s) => focused(s).includes('priority'));
    await type(['Enter'], (s) => focused(s).startsWith('› type'));
    await type(['i'], (s) => /^› type\s+integer$/.test(focused(s)));
    await type(['Enter'], (s) => focused(s).startsWith('› nullable'));
    await type(['y'], (s) => /^› nullable\s+yes$/.test(focused(s)));
    await type(['Enter'], (s) => focused(s).startsWith('› indexed'));
    await type(['y'], (s) => /^› indexed\s+yes$/.test(focused(s)));
    let screen = await type(['Escape'], (s) => s.includes('ready: w previews and writes it'));
    expect(screen).toMatch(/1 ✓ addColumn features\.priority integer null, indexed/);
    await type(['w'], /Write Migration\d+_add_priority\.ts/);
    screen = await type(['y'], 'EXIT=0');
    expect(screen).toMatch(/wrote Migration\d{14}_add_priority: migrate-ui up applies it/);
    expect(count).toBeLessThanOrEqual(25);
    expect(count).toBe(22);

    const file = readdirSync(example.migrationsDir).find((f) => f.endsWith('_add_priority.ts'));
    expect(file).toBeDefined();
    const source = readFileSync(join(example.migrationsDir, file!), 'utf8');
    expect(source).toContain("await op.addColumn('features', { name: 'priority', type: 'integer', nullable: true });");
    expect(source).toContain("await op.createIndex('features', ['priority']");
    expect((await cli('up')).code).toBe(0);
    const check = await cli('check');
    expect(check.stdout + check.stderr).toMatch(/in sync/);
  });
});

// The form's key count (issue 21): "add a nullable column and an index on it" typed into `migrate-ui new NAME` in a
// real terminal (tmux, 80×24) on a copy of the bundled example, every key counted from the first Enter to the shell
// prompt (a text typed counts each character). The revision written is checked: addColumn and its createIndex.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, log, makeTempDir, removeDir } from '../lib/util.js';

const focused = (screen) => screen.split('\n').find((l) => l.startsWith('› ')) ?? '';

/** Each step: the keys sent (tmux's names; `-l` then text), and what the screen shows once they acted. */
const STEPS = [
  [['Enter'], (s) => s.includes('Add an operation')],
  [['a'], (s) => s.includes('› addColumn')],
  [['Enter'], (s) => focused(s).startsWith('› table')],
  [['f'], (s) => /^› table\s+features$/.test(focused(s))],
  [['Enter'], (s) => focused(s).startsWith('› column')],
  [['-l', 'priority'], (s) => focused(s).includes('priority')],
  [['Enter'], (s) => focused(s).startsWith('› type')],
  [['i'], (s) => /^› type\s+integer$/.test(focused(s))],
  [['Enter'], (s) => focused(s).startsWith('› nullable')],
  [['y'], (s) => /^› nullable\s+yes$/.test(focused(s))],
  [['Enter'], (s) => focused(s).startsWith('› indexed')],
  [['y'], (s) => /^› indexed\s+yes$/.test(focused(s))],
  [['Escape'], (s) => s.includes('ready: w previews and writes it')],
  [['w'], (s) => /Write Migration\d+_add_priority\.ts/.test(s)],
  [['y'], (s) => s.includes('EXIT=0')],
];

const keysIn = (keys) => (keys[0] === '-l' ? [...keys[1]].length : keys.length);

async function waitFor(screen, test, what) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const shown = screen();
    if (test(shown)) return shown;
    if (Date.now() > deadline) throw new Error(`the form never showed ${what}; the screen was:\n${shown}`);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

export async function formKeys() {
  const dir = makeTempDir('form-keys');
  const socket = `mui-bench-${process.pid}`;
  const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  try {
    for (const entry of ['entities', 'migrations', 'mikro-orm.config.ts']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    const config = join(dir, 'mikro-orm.config.ts');
    const db = `sqlite:${join(dir, 'form-keys.sqlite')}`;
    execFileSync(process.execPath, [BIN, 'up', '--config', config, '--db', db], { cwd: ROOT, stdio: 'ignore' });
    const line = `env -u CI node ${BIN} new add_priority --config ${config} --db ${db}; echo EXIT=$?; sleep 600`;
    tmux('new-session', '-d', '-x', '80', '-y', '24', '-c', ROOT, '-s', 'main', line);
    const screen = () => tmux('capture-pane', '-p', '-t', 'main');
    await waitFor(screen, (s) => focused(s).includes('add_priority'), 'the name');
    let count = 0;
    for (const [keys, shows] of STEPS) {
      count += keysIn(keys);
      tmux('send-keys', '-t', 'main', ...keys);
      await waitFor(screen, shows, `the effect of ${keys.join(' ')}`);
    }
    const file = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith('_add_priority.ts'));
    const source = file ? readFileSync(join(dir, 'migrations', file), 'utf8') : '';
    if (!source.includes("op.addColumn('features'") || !source.includes("op.createIndex('features', ['priority']"))
      throw new Error('the revision written is not addColumn features.priority with its index');
    log(`  form keys: ${count} keys`);
    return [
      {
        id: 'form-keys',
        what: 'form: keys to add a nullable column and an index on it (`new NAME`, tmux 80×24, to the shell)',
        value: count,
        unit: 'keys',
        targetText: '≤ 25',
        pass: count <= 25,
      },
    ];
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // Already gone.
    }
    removeDir(dir);
  }
}

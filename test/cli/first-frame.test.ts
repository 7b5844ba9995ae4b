import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const ESCAPES = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B[()][A-Z0-9]|\u001B[=>]/g;
const dir = mkdtempSync(join(tmpdir(), 'mui-first-frame-'));

/**
 * Everything the app writes to a real terminal (util-linux `script` gives it one, 100×30) until `ready` shows, with
 * its escapes removed: the frames in the order they were drawn. The process is then ended.
 */
function framesUntil(command: string, ready: RegExp, timeoutMs = 40_000): Promise<string> {
  const line = `stty cols 100 rows 30; exec ${command} --db sqlite:${join(dir, 'first.sqlite')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', line, '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let seen = '';
    const end = (result: string | Error) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => end(new Error(`${command}: no ${ready} within ${timeoutMs} ms; it wrote:\n${seen.slice(-2000)}`)), timeoutMs);
    child.stdout.on('data', (data) => {
      seen += String(data).replace(ESCAPES, '');
      if (ready.test(seen)) end(seen);
    });
    child.on('error', end);
  });
}

/** The loading frame comes first, before the screen the command opens. */
function expectLoadingFirst(output: string, screen: RegExp): void {
  const loading = output.indexOf('opening the project…');
  expect(loading, output).toBeGreaterThanOrEqual(0);
  expect(output.slice(0, loading)).toMatch(/migrate-ui\s+mikro-orm\.config\.ts\s*$/);
  expect(output.slice(0, loading)).not.toMatch(screen);
  expect(output.slice(loading)).toMatch(screen);
}

// The first frame is the loading frame, drawn before MikroORM, Ink and the connection load (no timing asserted here:
// bench/tui-keypress.js times it).
describe.sequential('the first frame in a real terminal', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrate-ui: the loading frame, then the timeline', async () => {
    expectLoadingFirst(await framesUntil('node bin/migrate-ui.js', /\d+ pending/), /\d+ pending/);
  });

  it('migrate-ui watch: the loading frame, then the watch screen', async () => {
    expectLoadingFirst(await framesUntil('node bin/migrate-ui.js watch', /Data migrations/), /Data migrations/);
  });

  it('migrate-ui new NAME: the loading frame, then the form', async () => {
    expectLoadingFirst(await framesUntil('node bin/migrate-ui.js new add_projects', /New revision add_projects/), /New revision/);
  });

  it('npx migrate-ui: the same loading frame first (npx only starts it later)', async () => {
    expectLoadingFirst(await framesUntil('npx --no-install migrate-ui', /\d+ pending/, 90_000), /\d+ pending/);
  }, 100_000);
});

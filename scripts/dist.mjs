// Whether dist/ is older than what it is built from, and the build itself: used by `prepare` (npm install, and the
// first `npx migrate-ui` in this folder, which installs the folder again) and by the benchmarks.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

function newestMtime(path) {
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when dist/ is missing, or a source or build setting changed after it was built. */
export function distIsStale() {
  if (!existsSync(MAIN)) return true;
  const sources = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) => newestMtime(join(ROOT, p)));
  return Math.max(...sources) > newestMtime(join(ROOT, 'dist', 'src'));
}

/** Builds dist/ from scratch (`npm run build`): tsc -p tsconfig.build.json into an emptied dist/. */
export function buildDist() {
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

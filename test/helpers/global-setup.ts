import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The CLI tests drive bin/migrate-ui.js, which runs the built dist/: build once before any test.
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}

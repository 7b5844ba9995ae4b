import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The CLI tests drive bin/migrate-ui.js, which runs the built dist/: build once before any test.
// Incremental (build info inside dist/, so deleting dist/ forces a full build): files that did not
// change are not rewritten, so runs in other terminals do not read them half-written.
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], {
    cwd: root,
    stdio: 'inherit',
  });
}

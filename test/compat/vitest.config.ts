import { defineConfig } from 'vitest/config';

// The compatibility legs, after the main suite in `npm test` (their fixtures installed by compat/install.sh): MikroORM
// 6.4 and 6.5 through the packed package, MikroORM 7 on Node 22 through compat/v7. Alone:
// npx vitest run -c test/compat/vitest.config.ts
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/compat/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});

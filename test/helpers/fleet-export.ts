import type { EntityManager } from '@mikro-orm/sqlite';
import type { Fleet } from '../../src/index.js';

// A config's fleet, as the README shows it: appended to a project's mikro-orm.config.ts by the fleet tests (its type
// imports vanish when it runs), type-checked here by `npx tsc` on the repository's MikroORM 6. One static tenant, then
// the files a tenants table of the configured database lists.
export const fleet: Fleet<EntityManager> = {
  targets: [{ url: 'sqlite:./tenants/ft9.sqlite', name: 'ft9' }],
  databases: async (em) => (await em.execute<{ file: string }[]>('select file from ft_tenants order by file')).map((row) => row.file),
};

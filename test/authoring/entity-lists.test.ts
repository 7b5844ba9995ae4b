import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectInSync, expectOk } from '../helpers/expect-cli.js';
import { migration, realProject, USER_ENTITY } from '../helpers/real-project.js';
import { foreignKeys } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { typecheck } from './entities/helpers.js';
import { createTable, foreignKey } from '../helpers/spec.js';

// Seen on a public MikroORM project: the CLI's config (in config/, named by package.json's configPaths) spreads a base
// config from another module, which lists the entity classes imported through a barrel; the key is inherited from an
// abstract base entity. The entity files and the list a new entity goes into are found through the spread.

const DRIVER_PACKAGE = { sqlite: 'sqlite', postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mariadb' } as const;
const INITIAL = 'Migration20250101000000_users';

const CREATE_USERS: Record<(typeof DIALECTS)[number], string> = {
  sqlite: 'create table `users` (`id` text not null, `name` text not null, primary key (`id`));',
  postgresql: 'create table "users" ("id" uuid not null, "name" varchar(255) not null, constraint "users_pkey" primary key ("id"));',
  mariadb:
    'create table `users` (`id` varchar(36) not null, `name` varchar(255) not null, primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
};

const BADGES = {
  operations: [
    createTable(
      'badges',
      { name: 'id', type: 'uuid', primary: true },
      { name: 'label', type: 'string', length: 50 },
      { name: 'user_id', type: 'uuid' },
    ),
    foreignKey('badges', 'user_id', 'users'),
  ],
};

function spreadProject(dialect: (typeof DIALECTS)[number]) {
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'spread', private: true, 'mikro-orm': { configPaths: ['./config/mikro-orm-cli.config.ts'] } }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, experimentalDecorators: true, skipLibCheck: true, noEmit: true },
        include: ['src', 'config'],
      }),
      'src/entities/BaseEntity.ts': `import { randomUUID } from 'node:crypto';
import { PrimaryKey } from '@mikro-orm/core';

export abstract class BaseEntity {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();
}
`,
      'src/entities/User.ts': `import { Entity, Property } from '@mikro-orm/core';
import { BaseEntity } from './BaseEntity';

@Entity({ tableName: 'users' })
export class User extends BaseEntity {
  @Property({ type: 'string' })
  name!: string;
}
`,
      'src/entities/index.ts': "export * from './User';\n",
      'config/mikro-orm.config.ts': `import { User } from '../src/entities';

const config = {
  dbName: 'replaced-by-the-url',
  entities: [User],
  migrations: { path: __dirname + '/../src/migrations' },
};
export default config;
`,
      'config/mikro-orm-cli.config.ts': `import { defineConfig } from '@mikro-orm/${DRIVER_PACKAGE[dialect]}';
import config from './mikro-orm.config';

export default defineConfig({
  ...config,
  debug: false,
});
`,
      [`src/migrations/${INITIAL}.ts`]: migration(INITIAL, [CREATE_USERS[dialect]], ['drop table users']),
      'spec.json': JSON.stringify(BADGES),
    },
  });
  // Generated revisions import migrate-ui, as a user's install has it.
  mkdirSync(join(project.dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(project.dir, 'node_modules', 'migrate-ui'));
  return project;
}

describe.concurrent.each(DIALECTS)('a CLI config spreading the config that lists the entities, on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = spreadProject(dialect);
  afterAll(() => project.remove());
  const read = (path: string) => readFileSync(join(project.dir, path), 'utf8');
  const it = test.sequential;

  it('up applies the first revision', async (ctx) => {
    expectOk(await cliOn(database(ctx), { cwd: project.dir }).run(['up']));
  });

  it('a spec adding a table with a foreign key to users.id: a new entity, listed where the spread config lists them', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    const made = expectOk(await cli.run(['new', 'add_badges', '--spec', 'spec.json']));
    expect(made.stdout).not.toContain('edit the entities by hand');
    expect(made.stdout).toContain('created src/entities/Badge.ts');
    expect(read('src/entities/Badge.ts')).toMatch(/@ManyToOne\(\(\) => User, \{ fieldName: 'user_id'[^\n]*\}\)\n {2}user!: User;/);
    expect(read('config/mikro-orm.config.ts')).toContain("import { Badge, User } from '../src/entities';");
    expect(read('config/mikro-orm.config.ts')).toContain('entities: [User, Badge],');
    expect(read('src/entities/index.ts')).toBe("export * from './User';\nexport * from './Badge';\n");
    expect(read('config/mikro-orm-cli.config.ts')).not.toContain('Badge');
  });

  it('tsc passes on the project with its edits', () => {
    expect(typecheck(join(project.dir, 'tsconfig.json'))).toEqual({ code: 0, output: '' });
  });

  it('after up, the foreign key is there and check finds entities and schema in sync', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir });
    expect((await cli.json(['up'])).applied).toEqual([expect.stringMatching(/_add_badges$/)]);
    expect(await foreignKeys(db, 'badges')).toEqual(['user_id → users.id']);
    expectInSync(await cli.run(['check']));
  });
});

// Also seen: `entities: Object.values(entities)` over `import * as entities from './entities'`, a list no file spells
// out. MikroORM's discovery says which file declares each entity, so they are edited all the same.
describe('entities listed at run time (Object.values of a barrel), on SQLite', () => {
  const database = useTestDatabase('sqlite');
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'object-values', private: true }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, experimentalDecorators: true } }),
      'src/entities/User.ts': USER_ENTITY,
      'src/entities/index.ts': "export * from './User';\n",
      'src/mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/sqlite';
import * as entities from './entities';

export default defineConfig({ dbName: 'replaced-by-the-url', entities: Object.values(entities) });
`,
      [`src/migrations/${INITIAL}.ts`]: migration(
        INITIAL,
        ['create table `users` (`id` integer not null primary key autoincrement, `name` text not null);'],
        ['drop table `users`'],
      ),
      'spec.json': JSON.stringify({
        operations: [{ op: 'addColumn', table: 'users', column: { name: 'nickname', type: 'string', nullable: true } }],
      }),
    },
  });
  afterAll(() => project.remove());
  const it = test.sequential;

  it('a spec adding a column edits the entity MikroORM found; after up, check is in sync', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    expectOk(await cli.run(['up']));
    const made = expectOk(await cli.run(['new', 'add_nickname', '--spec', 'spec.json']));
    expect(made.stdout).toContain('edited  src/entities/User.ts');
    expect(readFileSync(join(project.dir, 'src/entities/User.ts'), 'utf8')).toContain(
      "  @Property({ type: 'string', nullable: true })\n  nickname?: string;\n}",
    );
    expectOk(await cli.run(['up']));
    expectInSync(await cli.run(['check']));
  });
});

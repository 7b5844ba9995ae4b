import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { applyFirstRevision, cliOn, expectInSync, expectOk } from '../helpers/expect-cli.js';
import { DECORATOR_TSCONFIG, type RealProject, realProject, USER_ENTITY } from '../helpers/real-project.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { typecheck } from './entities/helpers.js';
import { createTable, foreignKey } from '../helpers/spec.js';

// Entity edits in the project's own style (issue 18), each on a project of the shape seen: `type` left to decorator
// metadata, an ES module project whose files import nothing relative, and entities listed as
// `Object.values(entities)` of a barrel. Each: the first revision from the entities, a spec, the files as written,
// tsc, and after up, check in sync (SQLite).

/** A spec creating `table` (an integer id, a string `label` column) with a foreign key to users.id. */
function tableOfUsers(table: string, label: string): string {
  return JSON.stringify({
    operations: [
      createTable(table, { name: 'id', type: 'integer', primary: true }, { name: label, type: 'string' }, { name: 'user_id', type: 'integer' }),
      foreignKey(table, 'user_id', 'users'),
    ],
  });
}

/** A project written into the repository's .test-tmp, with migrate-ui linked as a user's install has it. */
function project(files: Record<string, string>): RealProject {
  const made = realProject({ files });
  mkdirSync(join(made.dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(made.dir, 'node_modules', 'migrate-ui'));
  return made;
}

/** The steps each project (`files`, on a SQLite database of its own) goes through: init from the entities and up, the spec, tsc, up and check. */
function useStyleProject(files: Record<string, string>, expectFiles: (read: (path: string) => string) => void): void {
  const database = useTestDatabase('sqlite');
  const made = project(files);
  afterAll(() => made.remove());
  const read = (path: string) => readFileSync(join(made.dir, path), 'utf8');
  const it = test.sequential;

  it('the first revision, from the entities, applies', async (ctx) => {
    await applyFirstRevision(cliOn(database(ctx), { cwd: made.dir }));
  });

  it('new --spec edits the entities as their authors write them', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: made.dir });
    const result = expectOk(await cli.run(['new', 'change', '--spec', 'spec.json']));
    expect(result.stdout).not.toContain('by hand');
    expectFiles(read);
  });

  it('tsc passes on the edited project', () => {
    expect(typecheck(join(made.dir, 'tsconfig.json'))).toEqual({ code: 0, output: '' });
  });

  it('after up, check finds entities and schema in sync', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: made.dir });
    expect((await cli.json(['up'])).applied).toEqual([expect.stringMatching(/_change$/)]);
    expectInSync(await cli.run(['check']));
  });
}

describe('a project that leaves column types to decorator metadata, on SQLite', () => {
  // User states `type` only where metadata cannot tell (uuid); Post states it nowhere it could be left out.
  useStyleProject(
    {
      'package.json': JSON.stringify({ name: 'reflected-types', private: true }),
      'tsconfig.json': DECORATOR_TSCONFIG,
      'src/entities/User.ts': `import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'users' })
export class User {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property()
  name!: string;

  @Property({ nullable: true })
  bio?: string;
}
`,
      'src/entities/Post.ts': `import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey } from '@mikro-orm/core';
import { User } from './User';

@Entity({ tableName: 'posts' })
export class Post {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User)
  author!: User;
}
`,
      'src/mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/sqlite';
import { Post } from './entities/Post';
import { User } from './entities/User';

export default defineConfig({
  dbName: 'replaced-by-the-url',
  entities: [User, Post],
  migrations: { path: __dirname + '/migrations' },
});
`,
      'spec.json': JSON.stringify({
        operations: [
          { op: 'addColumn', table: 'users', column: { name: 'age', type: 'integer', nullable: true } },
          { op: 'addColumn', table: 'users', column: { name: 'about', type: 'text', nullable: true } },
          { op: 'addColumn', table: 'posts', column: { name: 'title', type: 'string', length: 200, nullable: true } },
          createTable(
            'badges',
            { name: 'id', type: 'uuid', primary: true },
            { name: 'label', type: 'string' },
            { name: 'points', type: 'integer', default: 0 },
            { name: 'user_id', type: 'uuid' },
          ),
          foreignKey('badges', 'user_id', 'users'),
        ],
      }),
    },
    (read) => {
      const user = read('src/entities/User.ts');
      expect(user).toContain('  @Property({ nullable: true })\n  age?: number;\n');
      // Metadata says `string` for a text column too: that one needs its type.
      expect(user).toContain("  @Property({ type: 'text', nullable: true })\n  about?: string;\n");
      // Post states no type it could leave out: the project's other entities say how it is written.
      expect(read('src/entities/Post.ts')).toContain('  @Property({ length: 200, nullable: true })\n  title?: string;\n');
      const badge = read('src/entities/Badge.ts');
      expect(badge).toContain("  @PrimaryKey({ type: 'uuid' })\n  id!: string;\n");
      expect(badge).toContain('  @Property()\n  label!: string;\n');
      expect(badge).toContain('  @Property({ default: 0 })\n  points!: number;\n');
      expect(badge).toMatch(/@ManyToOne\(\(\) => User, \{ fieldName: 'user_id'[^\n]*\}\)\n {2}user!: User;/);
      expect(badge).toContain("import { User } from './User';\n");
    },
  );
});

describe('an ES module project whose entity files import nothing relative (NodeNext through extends), on SQLite', () => {
  useStyleProject(
    {
      'package.json': JSON.stringify({ name: 'esm-no-relative-imports', private: true, type: 'module' }),
      'tsconfig.base.json': `{
  // Shared settings, as a monorepo keeps them.
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "strict": true,
    "experimentalDecorators": true,
    "skipLibCheck": true,
    "noEmit": true,
  },
}
`,
      'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', include: ['src'] }),
      'src/entities/User.ts': USER_ENTITY,
      'src/mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/sqlite';

export default defineConfig({
  dbName: 'replaced-by-the-url',
  entities: ['./dist/entities/*.js'],
  entitiesTs: ['./src/entities/*.ts'],
  migrations: { path: './dist/migrations', pathTs: './src/migrations' },
});
`,
      'spec.json': tableOfUsers('posts', 'title'),
    },
    (read) => {
      const post = read('src/entities/Post.ts');
      expect(post).toContain("import { User } from './User.js';\n");
      // Without decorator metadata the project states every type, and so does the new file.
      expect(post).toContain("  @Property({ type: 'string' })\n  title!: string;\n");
    },
  );
});

describe.each([
  ['export * from', "export * from './User';\n", "export * from './User';\nexport * from './Badge';\n"],
  ['export { X } from', "export { User } from './User';\n", "export { User } from './User';\nexport { Badge } from './Badge';\n"],
])('entities listed as Object.values of a barrel written with %s lines, on SQLite', (_shape, barrel, after) => {
  const config = `import { defineConfig } from '@mikro-orm/sqlite';
import * as entities from './entities';

export default defineConfig({ dbName: 'replaced-by-the-url', entities: Object.values(entities) });
`;
  useStyleProject(
    {
      'package.json': JSON.stringify({ name: 'object-values-barrel', private: true }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, experimentalDecorators: true, skipLibCheck: true, noEmit: true },
        include: ['src'],
      }),
      'src/entities/User.ts': USER_ENTITY,
      'src/entities/index.ts': barrel,
      'src/mikro-orm.config.ts': config,
      'spec.json': tableOfUsers('badges', 'label'),
    },
    (read) => {
      expect(read('src/entities/Badge.ts')).toContain("import { User } from './User';\n");
      expect(read('src/entities/index.ts')).toBe(after);
      expect(read('src/mikro-orm.config.ts')).toBe(config);
    },
  );
});

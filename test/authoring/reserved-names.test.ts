import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectInSync, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { realProject } from '../helpers/real-project.js';
import { foreignKeys, tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { typecheck } from './entities/helpers.js';

// A `User` entity maps to the table `user`, a reserved word in SQL (seen on public MikroORM projects): --from-entities
// refused to write it and every spec naming the table was refused. Names of what exists, and the entities' own names,
// are quoted as MikroORM quotes them; only a new name typed into a spec may not be a reserved word.

const DRIVER_PACKAGE = { sqlite: 'sqlite', postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mariadb' } as const;

const POSTS = {
  operations: [
    { op: 'addColumn', table: 'user', column: { name: 'nickname', type: 'string', nullable: true } },
    {
      op: 'createTable',
      table: 'post',
      columns: [
        { name: 'id', type: 'integer', primary: true, autoincrement: true },
        { name: 'title', type: 'string' },
        { name: 'user_id', type: 'integer' },
      ],
    },
    { op: 'addForeignKey', table: 'post', columns: ['user_id'], references: { table: 'user', columns: ['id'] } },
  ],
};

function userProject(dialect: keyof typeof DRIVER_PACKAGE) {
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'users', private: true }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2021', module: 'commonjs', strict: true, experimentalDecorators: true, skipLibCheck: true, noEmit: true },
        include: ['src'],
      }),
      'src/entities/user.entity.ts': `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity()
export class User {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string' })
  fullName!: string;
}
`,
      'src/mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/${DRIVER_PACKAGE[dialect]}';

export default defineConfig({
  dbName: 'replaced-by-the-url',
  entities: ['./dist/**/*.entity.js'],
  entitiesTs: ['./src/**/*.entity.ts'],
  migrations: { path: './dist/migrations', pathTs: './src/migrations' },
});
`,
      'spec.json': JSON.stringify(POSTS),
      'order.json': JSON.stringify({
        operations: [{ op: 'createTable', table: 'order', columns: [{ name: 'id', type: 'integer', primary: true }] }],
      }),
    },
  });
  // Generated revisions import migrate-ui, as a user's install has it.
  mkdirSync(join(project.dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(project.dir, 'node_modules', 'migrate-ui'));
  return project;
}

describe.concurrent.each(DIALECTS)('an entity whose table is a reserved word (user), on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = userProject(dialect);
  afterAll(() => project.remove());
  const migrations = join(project.dir, 'src/migrations');
  const it = test.sequential;

  it('new --from-entities writes the first revision, and it applies', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir });
    const made = expectOk(await cli.run(['new', 'init', '--from-entities']));
    expect(made.stdout).toMatch(/wrote src\/migrations\/Migration\d{14}_init\.ts/);
    expectOk(await cli.run(['up']));
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['user']));
  });

  it('a spec adding a column to user and a table with a foreign key to user.id is written with its entity edits', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the next file gets a later timestamp
    const made = expectOk(await cli.run(['new', 'add_posts', '--spec', 'spec.json']));
    expect(made.stdout).toContain('created src/entities/post.entity.ts');
    expect(readFileSync(join(project.dir, 'src/entities/user.entity.ts'), 'utf8')).toContain('nickname?: string;');
    expect(readFileSync(join(project.dir, 'src/entities/post.entity.ts'), 'utf8')).toMatch(/@ManyToOne\(\(\) => User, \{ fieldName: 'user_id'/);
  });

  it('tsc passes on the project with its edits', () => {
    expect(typecheck(join(project.dir, 'tsconfig.json'))).toEqual({ code: 0, output: '' });
  });

  it('after up, the foreign key is there and check finds entities and schema in sync', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: project.dir });
    expect((await cli.json(['up'])).applied).toEqual([expect.stringMatching(/_add_posts$/)]);
    expect(await foreignKeys(db, 'post')).toEqual(['user_id → user.id']);
    expectInSync(await cli.run(['check']));
  });

  it('a new table named by a reserved word is still refused, and nothing is written', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir });
    const files = readdirSync(migrations);
    const refused = await cli.run(['new', 'add_order', '--spec', 'order.json']);
    expect(expectShortError(refused, 2)[0]).toBe('migrate-ui: operation 1 (createTable), table: "order" is a reserved word in SQL');
    expect(readdirSync(migrations)).toEqual(files);
  });
});

import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type EntityOperation, type EntityStyle, findEntities, planEntityEdits, writeEntityEdits } from '../../../src/authoring/entities/index.js';
import { runCli } from '../../helpers/cli.js';
import { expectOk } from '../../helpers/expect-cli.js';
import { migration } from '../../helpers/real-project.js';
import { useTestDatabase } from '../../helpers/use-database.js';
import { fixtureProject } from './fixtures.js';
import { typecheck } from './helpers.js';
import { alterColumn, createTable, NUMBERED_PROJECT, PROJECT_KEYS } from '../../helpers/spec.js';

// The real proof: a spec mixing createTable, addColumn, createIndex and alterColumn, applied to SQLite by SQL
// written here by hand, then MikroORM's own schema diff (`migrate-ui check`: MikroORM.init with the project's
// config and entities, getUpdateSchemaSQL) finds the edited entities and the schema in sync. Decorator entities
// without `type` go through the CLI's loader, which compiles them with TypeScript and emitDecoratorMetadata.

const INITIAL = 'Migration20250101000000_initial';
const REVISION = 'Migration20250102000000_revision';

/** SQLite rebuilds a table to change a column: new table, copy, drop, rename, indexes again. */
const rebuild = (table: string, create: string, copy: string, indexes: string[]) => [
  create.replace(`\`${table}\``, `\`${table}__new\``),
  `insert into \`${table}__new\` select ${copy} from \`${table}\``,
  `drop table \`${table}\``,
  `alter table \`${table}__new\` rename to \`${table}\``,
  ...indexes,
];

interface Proof {
  migrations: string;
  initial: string[];
  spec: EntityOperation[];
  revision: string[];
}

const PROOFS: Record<EntityStyle, Proof> = {
  decorator: {
    migrations: 'src/migrations',
    initial: [
      'create table `authors` (`id` integer not null primary key autoincrement, `name` text not null, `display_name` text null, `is_active` integer not null default true)',
      'create table `books` (`id` integer not null primary key autoincrement, `title` text not null, `author_id` integer not null, `summary` text null, `price` numeric(10,2) null)',
      'create index `books_title_index` on `books` (`title`)',
    ],
    spec: [
      {
        op: 'createTable',
        table: 'publishers',
        columns: [
          { name: 'id', type: 'integer', primary: true },
          { name: 'name', type: 'string', unique: true },
          { name: 'country', type: 'text', nullable: true },
        ],
      },
      { op: 'addColumn', table: 'authors', column: { name: 'follower_count', type: 'integer', default: 0 } },
      { op: 'createIndex', table: 'authors', name: 'authors_name_index', columns: ['name'], unique: false },
      alterColumn(
        'books',
        { name: 'price', type: 'decimal', precision: 12, scale: 2, default: 0 },
        { name: 'price', type: 'decimal', precision: 10, scale: 2, nullable: true },
      ),
      { op: 'renameColumn', table: 'authors', from: 'display_name', to: 'pen_name' },
      { op: 'dropColumn', table: 'books', column: 'summary' },
    ],
    revision: [
      'create table `publishers` (`id` integer not null, `name` text not null, `country` text null, primary key (`id`))',
      'create unique index `publishers_name_unique` on `publishers` (`name`)',
      'alter table `authors` add column `follower_count` integer not null default 0',
      'create index `authors_name_index` on `authors` (`name`)',
      ...rebuild(
        'books',
        'create table `books` (`id` integer not null primary key autoincrement, `title` text not null, `author_id` integer not null, `summary` text null, `price` numeric(12,2) not null default 0)',
        '`id`, `title`, `author_id`, `summary`, coalesce(`price`, 0)',
        ['create index `books_title_index` on `books` (`title`)'],
      ),
      'alter table `authors` rename column `display_name` to `pen_name`',
      'alter table `books` drop column `summary`',
    ],
  },
  'entity-schema': {
    migrations: 'migrations',
    initial: [
      'create table `users` (`id` text not null, `name` text not null, `email` text not null, `created_at` bigint not null, primary key (`id`))',
      'create unique index `users_email_unique` on `users` (`email`)',
      'create table `channel` (`id` text not null, `name` text not null, `topic` text null, `owner_id` text not null, `created_at` bigint not null, primary key (`id`))',
      'create index `ix_channel_name` on `channel` (`name`)',
      'create index `ix_channel_created_at` on `channel` (`created_at`)',
    ],
    spec: [
      createTable('projects', ...PROJECT_KEYS, { name: 'data', type: 'json', nullable: true }),
      { op: 'addColumn', table: 'users', column: { name: 'priority', type: 'integer', nullable: true, default: 0 } },
      { op: 'createIndex', table: 'channel', name: 'channel_owner_id_index', columns: ['owner_id'], unique: false },
      { op: 'alterColumn', table: 'channel', column: { name: 'created_at', type: 'integer' }, before: { name: 'created_at', type: 'bigint' } },
      {
        op: 'addForeignKey',
        table: 'channel',
        name: 'channel_owner_id_foreign',
        columns: ['owner_id'],
        references: { table: 'users', columns: ['id'] },
      },
    ],
    revision: [
      'create table `projects` (`id` text not null, `user_id` text not null, `data` json null, primary key (`id`))',
      'alter table `users` add column `priority` integer null default 0',
      'create index `channel_owner_id_index` on `channel` (`owner_id`)',
      ...rebuild(
        'channel',
        'create table `channel` (`id` text not null, `name` text not null, `topic` text null, `owner_id` text not null, `created_at` integer not null, primary key (`id`), constraint `channel_owner_id_foreign` foreign key (`owner_id`) references `users` (`id`))',
        '*',
        [
          'create index `ix_channel_name` on `channel` (`name`)',
          'create index `ix_channel_created_at` on `channel` (`created_at`)',
          'create index `channel_owner_id_index` on `channel` (`owner_id`)',
        ],
      ),
    ],
  },
  'define-entity': {
    migrations: 'src/migrations',
    initial: [
      'create table `teams` (`id` integer not null primary key autoincrement, `name` text not null, `slug` text not null, `created_at` datetime not null)',
      'create unique index `teams_slug_unique` on `teams` (`slug`)',
      'create table `members` (`id` integer not null primary key autoincrement, `email` text not null, `team_id` integer not null, `nickname` text null)',
      'create index `members_email_index` on `members` (`email`)',
    ],
    spec: [
      createTable('projects', ...NUMBERED_PROJECT),
      { op: 'addColumn', table: 'teams', column: { name: 'member_count', type: 'integer', default: 0 } },
      { op: 'createIndex', table: 'members', name: 'members_team_id_index', columns: ['team_id'], unique: false },
      alterColumn('members', { name: 'nickname', type: 'text', default: '' }, { name: 'nickname', type: 'string', nullable: true }),
      { op: 'renameColumn', table: 'teams', from: 'slug', to: 'handle' },
      { op: 'renameTable', from: 'teams', to: 'squads' },
    ],
    revision: [
      'create table `projects` (`id` integer not null, `title` text not null, `budget` numeric(12,2) null, primary key (`id`))',
      'alter table `teams` add column `member_count` integer not null default 0',
      'create index `members_team_id_index` on `members` (`team_id`)',
      ...rebuild(
        'members',
        "create table `members` (`id` integer not null primary key autoincrement, `email` text not null, `team_id` integer not null, `nickname` text not null default '')",
        "`id`, `email`, `team_id`, coalesce(`nickname`, '')",
        ['create index `members_email_index` on `members` (`email`)', 'create index `members_team_id_index` on `members` (`team_id`)'],
      ),
      // SQLite keeps the index names: teams_slug_unique stays as it is, which the entity now names explicitly.
      'alter table `teams` rename column `slug` to `handle`',
      'alter table `teams` rename to `squads`',
    ],
  },
};

for (const [style, proof] of Object.entries(PROOFS) as Array<[EntityStyle, Proof]>) {
  describe(`${style} entities after a revision (SQLite)`, () => {
    const database = useTestDatabase('sqlite');
    const project = fixtureProject(style);
    afterAll(() => project.remove());

    test("MikroORM's schema diff finds the edited entities and the schema in sync, and tsc passes", async (ctx) => {
      const env = { APP_SQLITE: database(ctx).url.replace(/^sqlite:/, '') };
      const check = async () => {
        const result = await runCli(['check'], { cwd: project.dir, env });
        expect(result.stdout, `${result.stdout}\n${result.stderr}`).toContain('entities and schema are in sync');
        expect(result.code).toBe(0);
      };
      project.write(`${proof.migrations}/${INITIAL}.ts`, migration(INITIAL, proof.initial, []));
      expectOk(await runCli(['up'], { cwd: project.dir, env }));
      await check();

      const entities = await findEntities({ configPath: project.configPath, projectDir: project.dir, baseDir: project.dir, entities: [{}, {}] });
      const plan = planEntityEdits(entities, proof.spec);
      expect(plan.notes).toEqual([]);
      writeEntityEdits(plan.edits);
      project.write(`${proof.migrations}/${REVISION}.ts`, migration(REVISION, proof.revision, []));
      expectOk(await runCli(['up'], { cwd: project.dir, env }));
      await check();
      expect(typecheck(join(project.dir, 'tsconfig.json'))).toEqual({ code: 0, output: '' });
    });
  });
}

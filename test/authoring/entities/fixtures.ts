import { join } from 'node:path';
import type { EntityStyle } from '../../../src/authoring/entities/index.js';
import { type RealProject, realProject } from '../../helpers/real-project.js';

/** A tsconfig.json that type-checks `include` with `options`, strictly, without emitting, with node's types. */
function tsconfig(options: Record<string, unknown>, include: string): string {
  return JSON.stringify(
    { compilerOptions: { ...options, strict: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: [include] },
    null,
    2,
  );
}

/** A SQLite config (the file from APP_SQLITE) for `entities`, as the `imports` bring them, keeping migrate-ui's tables out of the schema diff. */
function sqliteConfig(imports: string[], entities: string[], migrationsPath: string): string {
  return `${imports.join('\n')}

export default defineConfig({
  dbName: process.env.APP_SQLITE,
  entities: [${entities.join(', ')}],
  schemaGenerator: { skipTables: ['migrate_ui_revisions', 'migrate_ui_lock', 'migrate_ui_progress'] },
  migrations: { path: ${migrationsPath} },
});
`;
}

// Three small MikroORM projects, one per way of writing entities, written into ROOT/.test-tmp at run time so
// that their imports resolve to our node_modules (and neither biome nor the repository's tsc sees them).

/** Decorator classes, CommonJS, emitDecoratorMetadata: Author leaves types to metadata, Book states them. */
const DECORATORS: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'decorator-entities', private: true }),
  'tsconfig.json': tsconfig(
    { target: 'ES2021', module: 'commonjs', moduleResolution: 'node', experimentalDecorators: true, emitDecoratorMetadata: true },
    'src',
  ),
  'src/mikro-orm.config.ts': sqliteConfig(
    ["import { defineConfig } from '@mikro-orm/sqlite';", "import { Author } from './entities/author';", "import { Book } from './entities/book';"],
    ['Author', 'Book'],
    "__dirname + '/migrations'",
  ),
  'src/entities/author.ts': `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Someone who writes books; column types come from decorator metadata. */
@Entity({ tableName: 'authors' })
export class Author {
  @PrimaryKey()
  id!: number;

  @Property()
  name!: string;

  @Property({ nullable: true })
  displayName?: string;

  // Hidden authors are not listed.
  @Property({ default: true })
  isActive!: boolean;
}
`,
  'src/entities/book.ts': `import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'books' })
@Index({ name: 'books_title_index', properties: ['title'] })
export class Book {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'integer' })
  authorId!: number;

  @Property({ type: 'text', nullable: true })
  summary?: string | null;

  @Property({ type: 'decimal', precision: 10, scale: 2, nullable: true })
  price?: string;
}
`,
};

/** EntitySchema with an interface beside it, ESM with `.js` imports: the shape of this repository's own entities/. */
const ENTITY_SCHEMA: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'entity-schema-entities', private: true, type: 'module' }),
  'tsconfig.json': tsconfig({ target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext' }, '.'),
  'mikro-orm.config.ts': sqliteConfig(
    [
      "import { fileURLToPath } from 'node:url';",
      "import { defineConfig } from '@mikro-orm/sqlite';",
      "import { UserSchema } from './entities/user.js';",
      "import { ChannelSchema } from './entities/channel.js';",
    ],
    ['UserSchema', 'ChannelSchema'],
    "fileURLToPath(new URL('./migrations', import.meta.url))",
  ),
  'entities/user.ts': `import { EntitySchema } from '@mikro-orm/core';

export interface User {
  id: string;
  name: string;
  email: string;
  created_at: string;
}

export const UserSchema = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  properties: {
    id: { type: 'string', primary: true },
    name: { type: 'string' },
    email: { type: 'string', unique: 'users_email_unique' },
    created_at: { type: 'bigint' },
  },
});
`,
  'entities/channel.ts': `import { EntitySchema } from '@mikro-orm/core';

export interface Channel {
  id: string;
  name: string;
  topic?: string | null;
  owner_id: string;
  created_at: string;
}

export const ChannelSchema = new EntitySchema<Channel>({
  name: 'Channel',
  tableName: 'channel',
  indexes: [
    { name: 'ix_channel_name', properties: ['name'] },
    { name: 'ix_channel_created_at', properties: ['created_at'] },
  ],
  properties: {
    id: { type: 'string', primary: true },
    name: { type: 'string' },
    topic: { type: 'text', nullable: true },
    owner_id: { type: 'string' },
    created_at: { type: 'bigint' },
  },
});
`,
};

/** defineEntity (MikroORM 6.6) with `p` builders, imported in one file, the callback parameter in the other; CommonJS. */
const DEFINE_ENTITY: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'define-entity-entities', private: true }),
  'tsconfig.json': tsconfig({ target: 'ES2022', module: 'commonjs', moduleResolution: 'node' }, 'src'),
  'src/mikro-orm.config.ts': sqliteConfig(
    ["import { defineConfig } from '@mikro-orm/sqlite';", "import { Team } from './entities/team';", "import { Member } from './entities/member';"],
    ['Team', 'Member'],
    "__dirname + '/migrations'",
  ),
  'src/entities/team.ts': `import { defineEntity, p } from '@mikro-orm/core';

export const Team = defineEntity({
  name: 'Team',
  tableName: 'teams',
  properties: {
    id: p.integer().primary(),
    name: p.string(),
    slug: p.string().length(100).unique(),
    createdAt: p.datetime(),
  },
});
`,
  'src/entities/member.ts': `import { defineEntity } from '@mikro-orm/core';

export const Member = defineEntity({
  name: 'Member',
  tableName: 'members',
  indexes: [{ name: 'members_email_index', properties: ['email'] }],
  properties: (p) => ({
    id: p.integer().primary(),
    email: p.string(),
    teamId: p.integer(),
    nickname: p.string().nullable(),
  }),
});
`,
};

export const FIXTURES: Record<EntityStyle, { files: Record<string, string>; config: string }> = {
  decorator: { files: DECORATORS, config: 'src/mikro-orm.config.ts' },
  'entity-schema': { files: ENTITY_SCHEMA, config: 'mikro-orm.config.ts' },
  'define-entity': { files: DEFINE_ENTITY, config: 'src/mikro-orm.config.ts' },
};

/** A fixture project written to disk, with its config's path. */
export function fixtureProject(style: EntityStyle): RealProject & { configPath: string } {
  const project = realProject({ files: FIXTURES[style].files });
  return { ...project, configPath: join(project.dir, FIXTURES[style].config) };
}

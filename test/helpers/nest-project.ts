import type { TestDatabase, TestDialect } from './databases.js';
import { migration, type RealProject, realProject } from './real-project.js';

/** The one revision of a Nest-style project: MikroORM's own `schema:create --dump` for its entities, per database. */
export const INITIAL = 'Migration20250301000000_initial';

const CREATE: Record<TestDialect, string[]> = {
  postgresql: [
    'create table "campus" ("id" uuid not null, "created_at" timestamptz not null, "name" varchar(100) not null, constraint "campus_pkey" primary key ("id"));',
    'create table "building" ("id" uuid not null, "created_at" timestamptz not null, "name" varchar(255) not null, "floors" int null, "campus_id" uuid not null, constraint "building_pkey" primary key ("id"));',
    'alter table "building" add constraint "building_campus_id_foreign" foreign key ("campus_id") references "campus" ("id") on update cascade;',
  ],
  mariadb: [
    'create table `campus` (`id` varchar(36) not null, `created_at` datetime not null, `name` varchar(100) not null, primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
    'create table `building` (`id` varchar(36) not null, `created_at` datetime not null, `name` varchar(255) not null, `floors` int null, `campus_id` varchar(36) not null, primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
    'alter table `building` add index `building_campus_id_index`(`campus_id`);',
    'alter table `building` add constraint `building_campus_id_foreign` foreign key (`campus_id`) references `campus` (`id`) on update cascade;',
  ],
  sqlite: [
    'create table `campus` (`id` text not null, `created_at` datetime not null, `name` text not null, primary key (`id`));',
    'create table `building` (`id` text not null, `created_at` datetime not null, `name` text not null, `floors` integer null, `campus_id` text not null, constraint `building_campus_id_foreign` foreign key(`campus_id`) references `campus`(`id`) on update cascade, primary key (`id`));',
    'create index `building_campus_id_index` on `building` (`campus_id`);',
  ],
};

const DROP: Record<TestDialect, string[]> = {
  postgresql: ['drop table "building";', 'drop table "campus";'],
  mariadb: ['drop table `building`;', 'drop table `campus`;'],
  sqlite: ['drop table `building`;', 'drop table `campus`;'],
};

/** The `.env` MikroORM's loader reads: the connection of `db` as MIKRO_ORM_* variables, and nothing else. */
export function mikroOrmEnv(db: TestDatabase): string {
  if (db.dialect === 'sqlite') return `MIKRO_ORM_DB_NAME=${db.url.replace(/^sqlite:/, '')}\n`;
  const url = new URL(db.url);
  const lines = [
    `MIKRO_ORM_HOST=${url.hostname}`,
    `MIKRO_ORM_PORT=${url.port || (db.dialect === 'postgresql' ? 5432 : 3306)}`,
    `MIKRO_ORM_USER=${decodeURIComponent(url.username)}`,
    `MIKRO_ORM_DB_NAME=${url.pathname.slice(1)}`,
  ];
  if (url.password) lines.push(`MIKRO_ORM_PASSWORD=${decodeURIComponent(url.password)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A NestJS-style decorator project: entities in src/entities extending an abstract base that holds the primary key,
 * a config listing `entities` (the compiled dist, never built) and `entitiesTs` (the sources), no connection in
 * the config (it comes from `.env`, written by the test), and one revision creating the tables.
 */
export function nestProject(dialect: TestDialect, module: 'commonjs' | 'esm'): RealProject {
  const esm = module === 'esm';
  // ES modules name the compiled file they import (NodeNext); CommonJS names the module.
  const from = (path: string) => (esm ? `${path}.js` : path);
  const driver = dialect === 'postgresql' ? 'postgresql' : dialect === 'mariadb' ? 'mariadb' : 'sqlite';
  return realProject({
    files: {
      'package.json': JSON.stringify({ name: `nest-${module}-${dialect}`, private: true, ...(esm ? { type: 'module' } : {}) }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          target: 'ES2021',
          module: esm ? 'NodeNext' : 'commonjs',
          moduleResolution: esm ? 'NodeNext' : 'node',
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          esModuleInterop: true,
          skipLibCheck: true,
          strict: true,
          outDir: './dist',
          rootDir: './src',
        },
      }),
      'src/entities/base.entity.ts': `import { randomUUID } from 'node:crypto';
import { PrimaryKey, Property } from '@mikro-orm/core';

export abstract class CustomBaseEntity {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property()
  createdAt: Date = new Date();
}
`,
      'src/entities/campus.entity.ts': `import { Entity, Property } from '@mikro-orm/core';
import { CustomBaseEntity } from '${from('./base.entity')}';

@Entity({ tableName: 'campus' })
export class Campus extends CustomBaseEntity {
  @Property({ length: 100 })
  name!: string;
}
`,
      'src/entities/building.entity.ts': `import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { CustomBaseEntity } from '${from('./base.entity')}';
import { Campus } from '${from('./campus.entity')}';

@Entity({ tableName: 'building' })
export class Building extends CustomBaseEntity {
  @Property()
  name!: string;

  @Property({ nullable: true })
  floors?: number;

  @ManyToOne(() => Campus)
  campus!: Campus;
}
`,
      'src/mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/${driver}';

export default defineConfig({
  entities: ['./dist/entities/*.entity.js'],
  entitiesTs: ['./src/entities/*.entity.ts'],
  migrations: { path: './dist/migrations', pathTs: './src/migrations' },
});
`,
      [`src/migrations/${INITIAL}.ts`]: migration(INITIAL, CREATE[dialect], DROP[dialect]),
    },
  });
}

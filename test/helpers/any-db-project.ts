import { mikroOrmCli } from './cli.js';
import type { TestDatabase } from './databases.js';
import { migration, type RealProject, realProject } from './real-project.js';
import { withSql } from './sql.js';

// A project whose config takes its database from ANY_DB_URL (SQLite, PostgreSQL or MySQL/MariaDB), no entities, and
// revisions that each create one table: for tests of the history itself, on every database, through MikroORM's
// own CLI and ours.
const CONFIG = `import { defineConfig } from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';

const url = process.env.ANY_DB_URL ?? '';
const driver = url.startsWith('sqlite:') ? SqliteDriver : url.startsWith('postgres') ? PostgreSqlDriver : MySqlDriver;

export default defineConfig({
  driver,
  ...(url.startsWith('sqlite:') ? { dbName: url.slice('sqlite:'.length) } : { clientUrl: url }),
  entities: [],
  discovery: { warnWhenNoEntities: false },
  migrations: { path: './migrations' },
});
`;

/** A revision `Migration…_create_NAME` that creates (and its down() drops) table NAME. */
export function createTableRevision(name: string): string {
  const table = name.split('_create_')[1];
  return migration(name, [`create table ${table} (id integer primary key)`], [`drop table ${table}`]);
}

/** The project, with these revisions (each `Migration…_create_TABLE`). */
export function anyDbProject(revisions: string[]): RealProject {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'any-db', private: true, type: 'module' }),
    'mikro-orm.config.ts': CONFIG,
  };
  for (const name of revisions) files[`migrations/${name}.ts`] = createTableRevision(name);
  return realProject({ files });
}

/** The environment that points the project at `db`. */
export function anyDbEnv(db: TestDatabase): NodeJS.ProcessEnv {
  return { ...process.env, ANY_DB_URL: db.url };
}

/** MikroORM's own CLI on the project, pointed at `db`. */
export function mikroOrmOn(project: RealProject, db: TestDatabase, command: string): string {
  const before = process.env.ANY_DB_URL;
  process.env.ANY_DB_URL = db.url;
  try {
    return mikroOrmCli(project.dir, command);
  } finally {
    if (before === undefined) delete process.env.ANY_DB_URL;
    else process.env.ANY_DB_URL = before;
  }
}

/** The names in migrate-ui's side table (the revisions migrate-ui recorded), in name order. */
export async function sideTableRecords(db: TestDatabase): Promise<string[]> {
  const rows = await withSql(db, (sql) => sql.query<{ name: string }>('select name from migrate_ui_revisions order by name'));
  return rows.map((r) => String(r.name));
}

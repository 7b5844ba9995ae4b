import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { realProject, type RealProject } from '../helpers/real-project.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// `status` from the config cache: the same bytes as the full path, the config not run (it counts its loads in a file),
// and the cache dropped whenever something the config's load read has changed.

/** The bundled example's config, reading its database from FS_DB_URL, importing ./settings.ts, and counting its loads. */
const CONFIG = `import { appendFileSync } from 'node:fs';
import { defineConfig } from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sqlite';
import { UserSchema } from './entities/user.js';
import { ChannelSchema } from './entities/channel.js';
import { FeatureSchema } from './entities/feature.js';
import { migrationsFolder } from './settings.js';

appendFileSync(process.env.FS_MARKER ?? '/dev/null', 'loaded\\n');
const url = process.env.FS_DB_URL ?? '';
const driver = url.startsWith('sqlite:') ? SqliteDriver : url.startsWith('postgres') ? PostgreSqlDriver : MySqlDriver;

export default defineConfig({
  driver,
  ...(url.startsWith('sqlite:') ? { dbName: url.slice('sqlite:'.length) } : { clientUrl: url }),
  PASSWORD_LINE
  entities: [UserSchema, ChannelSchema, FeatureSchema],
  migrations: { path: migrationsFolder },
});
`;

interface CacheProject extends RealProject {
  marker: string;
  tmp: string;
  /** How many times the config was loaded so far. */
  loads(): number;
  /** The binary in the project, its cache in the project's own temp folder. */
  run(args: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof runCli>;
  /** Every byte the cache folder holds, as text. */
  cacheText(): string;
}

function cacheProject(passwordLine = ''): CacheProject {
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'config-cache', private: true, type: 'module' }),
      'mikro-orm.config.ts': CONFIG.replace('PASSWORD_LINE', passwordLine),
      'settings.ts': `export const migrationsFolder = './migrations';\n`,
    },
  });
  for (const part of ['entities', 'migrations']) cpSync(join(ROOT, part), join(project.dir, part), { recursive: true });
  const marker = join(project.dir, 'loads.txt');
  const tmp = mkdtempSync(join(tmpdir(), 'mui-faststatus-tmp-'));
  const count = () => (existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).length : 0);
  const cacheText = () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else files.push(readFileSync(path, 'latin1'));
      }
    };
    walk(tmp);
    return files.join('\n');
  };
  return {
    ...project,
    marker,
    tmp,
    loads: count,
    run: (args, env = {}) => runCli(args, { cwd: project.dir, env: { FS_MARKER: marker, TMPDIR: tmp, ...env } }),
    cacheText,
    remove: () => {
      project.remove();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

const FULL = { MIGRATE_UI_NO_CONFIG_CACHE: '1' };

describe.concurrent.each(DIALECTS)('status from the config cache on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;
  let project: CacheProject;

  beforeAll(() => {
    project = cacheProject();
  });
  afterAll(() => project.remove());

  it('prints the same bytes as the full path, text and JSON, with a data migration stopped half-way and the lock held; the config is not run', async (ctx) => {
    const db = database(ctx);
    const env = { FS_DB_URL: db.url };
    const up = await project.run(['up', '--json'], env);
    expect(up.code, up.stderr).toBe(0);
    // The data migration as another process left it: paused half-way (its line shows in the text), and the lock held.
    await withSql(db, async (sql) => {
      await sql.query(`update migrate_ui_progress set status = 'paused', rows_done = 3, rows_total = 7`);
      if (dialect === 'sqlite')
        await sql.query('update migrate_ui_lock set pid = ?, host = ?, acquired_at = ?, heartbeat_at = ? where id = 1', [
          process.pid,
          hostname(),
          Date.now(),
          Date.now() + 60_000,
        ]);
    });
    const lock = dialect === 'sqlite' ? undefined : await holdServerLock(db);
    try {
      for (const args of [['status'], ['status', '--json'], []]) {
        const full = await project.run(args, { ...env, ...FULL });
        expect(full.code, full.stderr).toBe(0);
        // The first run after the full one writes the cache; those after it read it.
        const first = await project.run(args, env);
        const loads = project.loads();
        const fast = await project.run(args, env);
        expect(project.loads(), 'the config ran on the fast path').toBe(loads);
        expect(first).toEqual(full);
        expect(fast).toEqual(full);
      }
      const text = (await project.run(['status'], env)).stdout;
      // Paused by a process that is gone: interrupted, as the full path says it too, in text and JSON.
      expect(text).toMatch(/data migration interrupted[^\n]*3/);
      expect(text).toContain(dialect === 'sqlite' ? db.url.slice('sqlite:'.length) : db.url.replace(/^.*@/, ''));
      expect(JSON.parse((await project.run(['status', '--json'], env)).stdout).dataMigrations[0]).toMatchObject({
        status: 'interrupted',
        rowsDone: 3,
      });
    } finally {
      await lock?.();
    }
  });

  it('--db names another database: the cache is kept apart, the config runs once for it, and the output names it', async (ctx) => {
    const db = database(ctx);
    const other = await createTestDatabase(dialect);
    try {
      const before = project.loads();
      const first = await project.run(['status', '--db', other!.url], { FS_DB_URL: db.url });
      expect(first.code, first.stderr).toBe(0);
      expect(project.loads()).toBe(before + 1);
      expect(first.stdout).toContain('pending: 6');
      const again = await project.run(['status', '--db', other!.url], { FS_DB_URL: db.url });
      expect(again).toEqual(first);
      expect(project.loads()).toBe(before + 1);
      // And the first database's entry is still there, and still right.
      const mine = await project.run(['status'], { FS_DB_URL: db.url });
      expect(mine.stdout).toContain('pending: 0');
      expect(project.loads()).toBe(before + 1);
    } finally {
      await other?.drop();
    }
  });

  it('a database gone since the cache was written: the fast path says what the full path says (a server: its one-line error; SQLite: an empty database, no file made)', async () => {
    const target = await createTestDatabase(dialect);
    try {
      const env = { FS_DB_URL: target!.url };
      expect((await project.run(['status'], env)).code).toBe(0);
      await target!.drop();
      const loads = project.loads();
      const fast = await project.run(['status'], env);
      expect(project.loads(), 'the answer came from the fast path').toBe(loads);
      const full = await project.run(['status'], { ...env, ...FULL });
      if (dialect === 'sqlite') {
        // A read-only command on a SQLite file that is not there reads an empty database and creates nothing.
        expect(full.code, full.stderr).toBe(0);
        expect(full.stdout).toContain('pending: 6');
        expect(existsSync(target!.url.slice('sqlite:'.length))).toBe(false);
      } else {
        expect(full.code).toBe(2);
        expect(full.stderr).toContain('does not exist');
      }
      expect(fast).toEqual(full);
    } finally {
      await target?.drop().catch(() => undefined);
    }
  });
});

/** Holds the migration lock the way a run holds it on the server (PostgreSQL's advisory lock, MySQL's named lock); returns its release. */
async function holdServerLock(db: TestDatabase): Promise<() => Promise<void>> {
  const name = `migrate_ui:${new URL(db.url).pathname.slice(1)}`;
  if (db.dialect === 'postgresql') {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('select pg_advisory_lock(74211609)');
    await client.query(`update migrate_ui_lock set pid = $1, host = $2, acquired_at = $3, heartbeat_at = $3 where id = 1`, [
      process.pid,
      hostname(),
      Date.now(),
    ]);
    return () => client.end();
  }
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({ uri: db.url });
  await connection.query('select get_lock(?, 0)', [name]);
  await connection.query('update migrate_ui_lock set pid = ?, host = ?, acquired_at = ?, heartbeat_at = ? where id = 1', [
    process.pid,
    hostname(),
    Date.now(),
    Date.now(),
  ]);
  return () => connection.end();
}

describe('the config cache is dropped when what the config read changes (SQLite)', () => {
  const it = test.sequential;
  let project: CacheProject;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    project = cacheProject();
    dir = mkdtempSync(join(tmpdir(), 'mui-faststatus-db-'));
    env = { FS_DB_URL: `sqlite:${join(dir, 'a.sqlite')}` };
    expect((await project.run(['up', '--json'], env)).code).toBe(0);
  });
  afterAll(() => {
    project.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs status twice: the first loads the config (`loads` more times), the second must not. Returns the first's stdout. */
  const statusAfterChange = async (loads: number, extra: NodeJS.ProcessEnv = {}) => {
    const before = project.loads();
    const first = await project.run(['status'], { ...env, ...extra });
    expect(first.code, first.stderr).toBe(0);
    expect(project.loads(), 'the config loaded again').toBe(before + loads);
    const second = await project.run(['status'], { ...env, ...extra });
    expect(second).toEqual(first);
    expect(project.loads(), 'the next run read the cache').toBe(before + loads);
    return first.stdout;
  };

  it('a fresh cache, then a cached run', async () => {
    await statusAfterChange(1);
    await statusAfterChange(0);
  });

  it('the config file edited', async () => {
    project.write('mikro-orm.config.ts', `${readFileSync(join(project.dir, 'mikro-orm.config.ts'), 'utf8')}// edited\n`);
    await statusAfterChange(1);
  });

  it('a module the config imports edited: the migrations folder it names moves, and status shows the new one', async () => {
    cpSync(join(project.dir, 'migrations'), join(project.dir, 'revisions'), { recursive: true });
    rmSync(join(project.dir, 'revisions', 'Migration20260106090000_add_feature_slug_index.ts'));
    project.write('settings.ts', `export const migrationsFolder = './revisions';\n`);
    const text = await statusAfterChange(1);
    expect(text).toContain('missing');
    expect(text).toContain('Migration20260106090000_add_feature_slug_index');
    project.write('settings.ts', `export const migrationsFolder = './migrations';\n`);
    expect(await statusAfterChange(1)).not.toContain('missing');
  });

  it('an environment variable the config read changed: the database it names is the one shown', async () => {
    const other = join(dir, 'b.sqlite');
    const text = await statusAfterChange(1, { FS_DB_URL: `sqlite:${other}` });
    expect(text).toContain(other);
    expect(text).toContain('pending: 6');
    expect(existsSync(other), 'status never creates a SQLite file').toBe(false);
    expect(await statusAfterChange(1)).toContain('pending: 0');
  });

  it('a variable the config did not read changes nothing; one MikroORM reads (MIKRO_ORM_*) does', async () => {
    await statusAfterChange(0, { SOME_UNRELATED_VARIABLE: 'x' });
    const renamed = await statusAfterChange(1, { MIKRO_ORM_MIGRATIONS_TABLE_NAME: 'other_migrations' });
    expect(renamed).toContain('pending: 6');
    await statusAfterChange(1);
  });

  it('.env written, then edited', async () => {
    project.write('.env', 'SOMETHING=1\n');
    await statusAfterChange(1);
    project.write('.env', 'MIKRO_ORM_MIGRATIONS_TABLE_NAME=other_migrations\n');
    expect(await statusAfterChange(1)).toContain('pending: 6');
    rmSync(join(project.dir, '.env'));
    expect(await statusAfterChange(1)).toContain('pending: 0');
  });

  it('MIGRATE_UI_NO_CONFIG_CACHE=1 loads the config every time', async () => {
    const before = project.loads();
    await project.run(['status'], { ...env, ...FULL });
    await project.run(['status'], { ...env, ...FULL });
    expect(project.loads()).toBe(before + 2);
  });

  it('a config that reads the clock is never cached', async () => {
    const config = readFileSync(join(project.dir, 'mikro-orm.config.ts'), 'utf8');
    project.write('mikro-orm.config.ts', `${config}export const loadedAt = Date.now();\n`);
    await project.run(['status'], env);
    const before = project.loads();
    await project.run(['status'], env);
    expect(project.loads()).toBe(before + 1);
    project.write('mikro-orm.config.ts', config);
  });
});

describe('passwords and the config cache (PostgreSQL)', () => {
  const database = useTestDatabase('postgresql');
  const it = test.sequential;
  // The test server trusts local connections: any password connects, and none must be written down.
  const SECRET = 'Fs7-s3cret-pw';

  it('a password in --db: the fast path takes it from the URL again; the cache never holds it', async (ctx) => {
    const db = database(ctx);
    const project = cacheProject();
    try {
      const url = db.url.replace('postgres@', `postgres:${SECRET}@`);
      expect((await project.run(['up', '--json', '--db', url])).code).toBe(0);
      const full = await project.run(['status', '--db', url], FULL);
      await project.run(['status', '--db', url]);
      const loads = project.loads();
      const fast = await project.run(['status', '--db', url]);
      expect(fast).toEqual(full);
      expect(project.loads()).toBe(loads);
      expect(full.stdout).toContain('postgres:***@');
      expect(project.cacheText()).toContain('"password":{"from":"url"}');
      expect(project.cacheText()).not.toContain(SECRET);
    } finally {
      project.remove();
    }
  });

  it('a password from a variable the config reads: traced by its name, and a change to it drops the cache', async (ctx) => {
    const db = database(ctx);
    const project = cacheProject(`password: process.env.FS_DB_PASSWORD,`);
    try {
      const env = { FS_DB_URL: db.url, FS_DB_PASSWORD: SECRET };
      const full = await project.run(['status', '--json'], { ...env, ...FULL });
      expect(full.code, full.stderr).toBe(0);
      await project.run(['status', '--json'], env);
      const loads = project.loads();
      expect(await project.run(['status', '--json'], env)).toEqual(full);
      expect(project.loads()).toBe(loads);
      expect(project.cacheText()).toContain('"name":"FS_DB_PASSWORD"');
      await project.run(['status', '--json'], { ...env, FS_DB_PASSWORD: `${SECRET}-2` });
      expect(project.loads()).toBe(loads + 1);
      expect(project.cacheText()).not.toContain(SECRET);
    } finally {
      project.remove();
    }
  });

  it('a password written in the config: no fast path, the right answer every time, and nothing written down', async (ctx) => {
    const db = database(ctx);
    const project = cacheProject(`password: '${SECRET}',`);
    try {
      const env = { FS_DB_URL: db.url };
      const full = await project.run(['status'], { ...env, ...FULL });
      expect(full.code, full.stderr).toBe(0);
      const before = project.loads();
      expect(await project.run(['status'], env)).toEqual(full);
      expect(await project.run(['status'], env)).toEqual(full);
      expect(project.loads()).toBe(before + 2);
      // No config cache at all (the compiled-code cache keeps the config's code, and so its literal, as tsx compiled it).
      expect(readdirSync(project.tmp, { recursive: true }).some((f) => String(f).includes('config-'))).toBe(false);
    } finally {
      project.remove();
    }
  });
});

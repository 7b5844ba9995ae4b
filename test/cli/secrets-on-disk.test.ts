import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { copyExample, type TempProject } from '../helpers/project.js';

// A config with a password written in it: no cache migrate-ui keeps between runs (its own, nor tsx's) may hold a copy
// of it, whatever the command; the revisions are still kept compiled. See README, "Caches kept between runs".

const LITERAL = 'Hunter2-Literal-pw';
const URL_SECRET = 'Url-Secret-pw';
const IMPORTED = 'Imported-Secret-pw';

/** A CommonJS project on SQLite whose config has the password written in, and imports a file of the project holding another. */
const LITERAL_CONFIG = `import { join } from 'node:path';
import { defineConfig } from '@mikro-orm/sqlite';
import { UserSchema } from './entities/user';
import { ChannelSchema } from './entities/channel';
import { FeatureSchema } from './entities/feature';
import { adminPassword } from './db-settings';

export default defineConfig({
  dbName: join(__dirname, 'example.sqlite'),
  password: '${LITERAL}',
  ...(process.env.SECRETS_NEVER_SET ? { user: adminPassword } : {}),
  entities: [UserSchema, ChannelSchema, FeatureSchema],
  migrations: { path: join(__dirname, 'migrations') },
});
`;

/** An ES module project whose config is a PostgreSQL one with the password in its clientUrl; run on SQLite through --db. */
const URL_CONFIG = `import { fileURLToPath } from 'node:url';
import { defineConfig } from '@mikro-orm/postgresql';
import { UserSchema } from './entities/user.js';
import { ChannelSchema } from './entities/channel.js';
import { FeatureSchema } from './entities/feature.js';
import { adminPassword } from './db-settings.js';

export default defineConfig({
  clientUrl: 'postgresql://app:${URL_SECRET}@127.0.0.1:5999/app',
  ...(process.env.SECRETS_NEVER_SET ? { user: adminPassword } : {}),
  entities: [UserSchema, ChannelSchema, FeatureSchema],
  migrations: { path: fileURLToPath(new URL('./migrations', import.meta.url)) },
});
`;

/** An ES module project whose config awaits at its top (it loads through tsx's ES module loader), with the password written in. */
const TOP_LEVEL_AWAIT_CONFIG = `import { fileURLToPath } from 'node:url';
import { defineConfig } from '@mikro-orm/sqlite';
import { UserSchema } from './entities/user.js';
import { ChannelSchema } from './entities/channel.js';
import { FeatureSchema } from './entities/feature.js';
import { adminPassword } from './db-settings.js';

const dbName = await Promise.resolve(fileURLToPath(new URL('./example.sqlite', import.meta.url)));

export default defineConfig({
  dbName,
  password: '${LITERAL}',
  ...(process.env.SECRETS_NEVER_SET ? { user: adminPassword } : {}),
  entities: [UserSchema, ChannelSchema, FeatureSchema],
  migrations: { path: fileURLToPath(new URL('./migrations', import.meta.url)) },
});
`;

/** Every file under `dir` (the whole temp folder: migrate-ui's caches and tsx's), as text. */
function everyFile(dir: string): Array<{ path: string; text: string }> {
  const files: Array<{ path: string; text: string }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    files.push({ path, text: readFileSync(path, 'latin1') });
  }
  return files;
}

describe.each([
  ['a literal password, CommonJS', LITERAL_CONFIG, true, [LITERAL, IMPORTED]],
  ['a clientUrl with a password, ES module, --db sqlite:', URL_CONFIG, false, [URL_SECRET, IMPORTED]],
  ['a literal password and a top-level await, ES module', TOP_LEVEL_AWAIT_CONFIG, false, [LITERAL, IMPORTED]],
] as const)('a config with %s', (_name, config, commonjs, secrets) => {
  let project: TempProject;
  let temp: string;
  beforeAll(() => {
    project = copyExample({ commonjs });
    project.write('mikro-orm.config.ts', config);
    project.write('db-settings.ts', `export const adminPassword = '${IMPORTED}';\n`);
    temp = mkdtempSync(join(tmpdir(), 'mui-secrets-'));
  });
  afterAll(() => {
    project?.remove();
    if (temp) rmSync(temp, { recursive: true, force: true });
  });
  const run = (args: string[]) => {
    const db = config === URL_CONFIG ? ['--db', `sqlite:${join(project.dir, 'url.sqlite')}`] : [];
    return runCli([...args, ...db], { cwd: project.dir, env: { TMPDIR: temp } });
  };

  test('status, up, check and verify (each twice) leave no copy of a password in any cache; revisions are still kept compiled', async () => {
    const commands = [['status'], ['up', '--json'], ['status', '--json'], ['check'], ['verify'], ['status', '--json']];
    for (const args of [...commands, ...commands]) {
      const result = await run(args);
      expect([0, 4, 5], `${args.join(' ')}: ${result.stderr}`).toContain(result.code);
      for (const secret of secrets) expect(result.stdout + result.stderr).not.toContain(secret);
    }
    expect((await run(['status', '--json'])).stdout).toContain('"pending": 0');
    const files = everyFile(temp);
    // Not vacuous: the caches were written, the revisions' compiled code and the config cache's entry among them.
    expect(files.some((f) => f.path.includes('migrate-ui-') && f.text.includes('Migration20260105090000_backfill_feature_slug'))).toBe(true);
    expect(files.some((f) => /config-\w+\.json$/.test(f.path))).toBe(true);
    for (const secret of secrets) {
      expect(files.filter((f) => f.text.includes(secret)).map((f) => f.path)).toEqual([]);
    }
  }, 180_000);
});

test('the config and the file it imports run from their sealed entries the next time (no compiler started); an edited one runs as edited', async () => {
  const project = copyExample({ commonjs: true });
  project.write('mikro-orm.config.ts', LITERAL_CONFIG);
  project.write('db-settings.ts', `export const adminPassword = '${IMPORTED}';\n`);
  const temp = mkdtempSync(join(tmpdir(), 'mui-sealed-'));
  // esbuild says so on stderr when it starts with this setting: a run that compiles nothing says nothing.
  const run = (args: string[]) => runCli(args, { cwd: project.dir, env: { TMPDIR: temp, ESBUILD_BINARY_PATH: join(temp, 'none') } });
  try {
    const up = await run(['up', '--json']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('[esbuild]');
    const status = await run(['status', '--json']);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({ pending: 0 });
    project.write('mikro-orm.config.ts', LITERAL_CONFIG.replace("'example.sqlite'", "'other.sqlite'"));
    const edited = await run(['status', '--json']);
    expect(edited.code, edited.stderr).toBe(0);
    expect(JSON.parse(edited.stdout)).toMatchObject({ current: null, pending: 6 });
    expect(everyFile(temp).filter((f) => f.text.includes(LITERAL) || f.text.includes(IMPORTED))).toEqual([]);
  } finally {
    project.remove();
    rmSync(temp, { recursive: true, force: true });
  }
}, 120_000);

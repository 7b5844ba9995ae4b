// Child process of the apply benchmark: opens the project, then times applying every pending revision, and only that.
//   node bench/lib/apply-inproc.js ours CONFIG DB_URL [--all-or-nothing]
//   node --import tsx bench/lib/apply-inproc.js peer CONFIG DB_URL [--all-or-nothing | --per-revision]
// DB_URL is sqlite:FILE or postgres://…. Prints one JSON line: { ms, applied, setupMs }.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { ROOT } from './util.js';

const [mode, configPath, dbUrl, ...flags] = process.argv.slice(2);
const started = performance.now();

async function ours() {
  const { bootstrap } = await import(pathToFileURL(join(ROOT, 'dist/src/cli/bootstrap.js')).href);
  await bootstrap(dirname(configPath), configPath, dbUrl);
  const { Project } = await import(pathToFileURL(join(ROOT, 'dist/src/core/project.js')).href);
  const project = await Project.open({ cwd: dirname(configPath), configPath, dbUrl, env: {} });
  try {
    const runner = project.runner();
    const setupMs = performance.now() - started;
    const t0 = performance.now();
    const result = await runner.run({ direction: 'up', allOrNothing: flags.includes('--all-or-nothing'), lockTimeoutMs: 30_000 });
    const ms = performance.now() - t0;
    if (result.failed) throw new Error(`migrate-ui failed: ${result.failed.message}`);
    return { ms, applied: result.done.length, setupMs };
  } finally {
    await project.close();
  }
}

/** A MikroORM package as the project resolves it: ours (6), or compat/v7's 7.2.1 for a project under that folder. */
function fromProject(name) {
  const path = createRequire(configPath).resolve(name);
  // Ours by its name: the import condition (MikroORM 6's ESM entry), as the project's config imports it.
  return import(path === createRequire(import.meta.url).resolve(name) ? name : pathToFileURL(path).href);
}

async function peer() {
  const { MikroORM } = await fromProject('@mikro-orm/core');
  const { Migrator } = await fromProject('@mikro-orm/migrations');
  const base = (await import(pathToFileURL(configPath).href)).default;
  const options = { ...base, extensions: [Migrator], debug: false };
  if (dbUrl.startsWith('sqlite:')) {
    options.dbName = dbUrl.slice('sqlite:'.length);
  } else {
    const { PostgreSqlDriver } = await fromProject('@mikro-orm/postgresql');
    options.driver = PostgreSqlDriver;
    options.clientUrl = dbUrl;
    options.dbName = decodeURIComponent(new URL(dbUrl).pathname.slice(1));
  }
  // MikroORM's defaults (allOrNothing: true) unless asked otherwise; silent so neither side prints per revision.
  options.migrations = { ...base.migrations, silent: true };
  if (flags.includes('--per-revision')) options.migrations.allOrNothing = false;
  const orm = await MikroORM.init(options);
  try {
    const setupMs = performance.now() - started;
    const t0 = performance.now();
    const done = await orm.migrator.up();
    const ms = performance.now() - t0;
    return { ms, applied: done.length, setupMs };
  } finally {
    await orm.close(true);
  }
}

const result = mode === 'ours' ? await ours() : await peer();
process.stdout.write(`${JSON.stringify(result)}\n`);

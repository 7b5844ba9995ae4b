import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

// MikroORM 7 has no knex: what a generated file imports from migrate-ui, and the operations it runs, must never ask
// for it (MikroORM 6's own packages still load it for themselves: that is theirs, not ours).

const dir = mkdtempSync(join(tmpdir(), 'mui-no-knex-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KNEX = String.raw`/^(knex|@mikro-orm\/knex)(\/|$)/`;

/** Fails any import or require of knex made by a file outside node_modules. */
const HOOKS = `
export async function resolve(specifier, context, next) {
  if (${KNEX}.test(specifier) && context.parentURL && !context.parentURL.includes('/node_modules/'))
    throw new Error('knex imported by ' + context.parentURL);
  return next(specifier, context);
}`;

const REGISTER = `
import { createRequire, register } from 'node:module';
register(${JSON.stringify(new URL(`file://${join(dir, 'hooks.mjs')}`).href)});
const Module = createRequire(import.meta.url)('node:module');
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  if (${KNEX}.test(request) && parent && !parent.filename.includes('/node_modules/')) throw new Error('knex required by ' + parent.filename);
  return load.call(this, request, parent, ...rest);
};`;

/** Runs a generated file's operations on each dialect's platform (nothing connected), printing what they executed. */
const SCRIPT = `
const { ops } = await import(${JSON.stringify(join(ROOT, 'src/index.ts'))});
const { MikroORM } = await import('@mikro-orm/core');
const drivers = {
  sqlite: (await import('@mikro-orm/sqlite')).SqliteDriver,
  postgresql: (await import('@mikro-orm/postgresql')).PostgreSqlDriver,
  mariadb: (await import('@mikro-orm/mariadb')).MariaDbDriver,
};
const out = {};
for (const [name, driver] of Object.entries(drivers)) {
  const orm = await MikroORM.init({ driver, dbName: name === 'sqlite' ? ':memory:' : 'test', connect: false, entities: [], discovery: { warnWhenNoEntities: false } });
  const executed = [];
  const migration = { driver: { getPlatform: () => orm.em.getPlatform() }, addSql() {}, async execute(sql) { executed.push(sql); return []; } };
  const op = ops(migration);
  await op.createTable('notes', [{ name: 'id', type: 'integer', primary: true, autoincrement: true }, { name: 'body', type: 'text', nullable: true }]);
  await op.createIndex('notes', ['body'], { name: 'notes_body_index' });
  await op.backfill('notes', { body: "'x'" }, { where: 'body is null' });
  out[name] = executed;
  await orm.close();
}
console.log(JSON.stringify(out));`;

test('ops() and its operations load no knex on any dialect', () => {
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'register.mjs'), REGISTER);
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--import', join(dir, 'register.mjs'), '--input-type=module', '-e', SCRIPT], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: 'pipe',
  });
  expect(JSON.parse(output)).toEqual({
    sqlite: [
      'create table `notes` (`id` integer not null primary key autoincrement, `body` text null)',
      'create index `notes_body_index` on `notes` (`body`)',
      'select `id` from `notes` where (body is null) order by `id` asc limit 1000',
    ],
    postgresql: [
      'create table "notes" ("id" serial primary key, "body" text null)',
      'create index "notes_body_index" on "notes" ("body")',
      'select "id" from "notes" where (body is null) order by "id" asc limit 1000',
    ],
    mariadb: [
      'create table `notes` (`id` int unsigned not null auto_increment primary key, `body` text null)',
      'alter table `notes` add index `notes_body_index`(`body`)',
      'select `id` from `notes` where (body is null) order by `id` asc limit 1000',
    ],
  });
});

test('the guard catches knex loaded by our own code', () => {
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'register.mjs'), REGISTER);
  const run = (script: string) =>
    execFileSync(process.execPath, ['--import', 'tsx', '--import', join(dir, 'register.mjs'), '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  expect(() => run("await import('knex');")).toThrow(/knex imported by/);
  expect(() => run("import { createRequire } from 'node:module'; createRequire(process.cwd() + '/x.js')('@mikro-orm/knex');")).toThrow(
    /knex required by/,
  );
});

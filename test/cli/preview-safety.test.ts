import { afterAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk, expectShortError } from '../helpers/expect-cli.js';
import { copyExample } from '../helpers/project.js';
import { migration, migrationCode } from '../helpers/real-project.js';
import { insertFeatures, tableNames, withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// DESIGN §4: a preview never changes the database, whatever the migration's code does. Before the fix,
// previews patched only `execute`, so what a migration sent through knex or the EntityManager really ran.
const DOWN_SIDE = 'Migration20260107090000_hostile_down';
const UP_SIDE = 'Migration20260108090000_hostile_up';

const project = copyExample();
project.write(
  `migrations/${DOWN_SIDE}.ts`,
  migrationCode(
    DOWN_SIDE,
    ["this.addSql('create table hostile_log (id integer not null primary key)');"],
    [
      `await this.getEntityManager().getConnection().execute("update features set name = 'WIPED'");`,
      `await this.execute("update features set description = 'EXECUTED'");`,
      "this.addSql('drop table hostile_log');",
    ],
  ),
);
project.write(
  `migrations/${UP_SIDE}.ts`,
  migrationCode(
    UP_SIDE,
    [
      "await this.getKnex().raw('create table dry_side_effect (id int)');",
      "await this.getKnex()('features').update({ name: 'CLOBBERED' });",
      "await this.getKnex().transaction(async (trx) => trx('features').update({ user_id: 'TRX' }));",
      "this.addSql('create table hostile_up_done (id integer not null primary key)');",
    ],
    ["this.addSql('drop table hostile_up_done');"],
  ),
);
afterAll(() => project.remove());

const FEATURES = [
  ['f1', 'u1', 'First'],
  ['f2', 'u2', 'Second'],
];
const FEATURE_ROWS = FEATURES.map(([id, user_id, name]) => ({ id, user_id, name }));

// The databases run side by side; the steps on one database run in order.
describe.concurrent.each(DIALECTS)('previews of a migration with side effects on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;
  const features = (ctx: Parameters<typeof database>[0]) =>
    withSql(database(ctx), (sql) =>
      sql.query<{ id: string; name: string; user_id: string; description: string | null }>(
        'select id, name, user_id, description from features order by id',
      ),
    );

  it('set-up: everything up to the revision whose down() has side effects, and two features', async (ctx) => {
    const db = database(ctx);
    expectOk(await cliOn(db, { cwd: project.dir }).run(['up', DOWN_SIDE]));
    await insertFeatures(db, FEATURE_ROWS);
  });

  it('up --dry-run lists what the migration sends through knex, and runs none of it', async (ctx) => {
    const db = database(ctx);
    const dry = expectOk(await cliOn(db, { cwd: project.dir }).run(['up', '--dry-run']));
    expect(dry.stdout).toContain(`-- ${UP_SIDE} (up)`);
    expect(dry.stdout).toMatch(/create table dry_side_effect \(id int\);/);
    expect(dry.stdout).toMatch(/update [`"]features[`"] set [`"]name[`"] = 'CLOBBERED';/);
    expect(dry.stdout).toMatch(/update [`"]features[`"] set [`"]user_id[`"] = 'TRX';/);
    expect(dry.stdout).toMatch(/create table hostile_up_done/);
    expect(await tableNames(db)).not.toContain('dry_side_effect');
    expect(await tableNames(db)).not.toContain('hostile_up_done');
    expect(await features(ctx)).toEqual(FEATURES.map(([id, user_id, name]) => ({ id, name, user_id, description: null })));
  });

  it('a down refused for lack of --yes runs none of what its down() sends itself', async (ctx) => {
    const db = database(ctx);
    const down = await cliOn(db, { cwd: project.dir }).run(['down']);
    const [line] = expectShortError(down, 2);
    // Its down() overwrites every name and description (an UPDATE without WHERE), then drops the table.
    expect(line).toBe(`migrate-ui: down would lose data: ${DOWN_SIDE} overwrites every value of features.name (2 values) (and 2 more)`);
    expect(await features(ctx)).toEqual(FEATURES.map(([id, user_id, name]) => ({ id, name, user_id, description: null })));
    expect(await tableNames(db)).toContain('hostile_log');
  });

  it('down --dry-run shows what down() sends itself, in order, and changes nothing', async (ctx) => {
    const db = database(ctx);
    const dry = expectOk(await cliOn(db, { cwd: project.dir }).run(['down', '--dry-run']));
    const body = dry.stdout.slice(dry.stdout.indexOf(`-- ${DOWN_SIDE} (down)`));
    expect(body.indexOf("update features set name = 'WIPED'")).toBeGreaterThan(0);
    expect(body.indexOf("update features set description = 'EXECUTED'")).toBeGreaterThan(body.indexOf('WIPED'));
    expect(body.indexOf('drop table hostile_log')).toBeGreaterThan(body.indexOf('EXECUTED'));
    expect(await features(ctx)).toEqual(FEATURES.map(([id, user_id, name]) => ({ id, name, user_id, description: null })));
  });
});

// The data-loss check missed drops behind a comment, and (PostgreSQL) a drop after another statement in one string.
const COMMENTED = 'Migration20260109090000_commented_drop';
const lossProject = copyExample();
lossProject.write(
  `migrations/${COMMENTED}.ts`,
  migrationCode(
    COMMENTED,
    ["this.addSql('create table dl (id integer not null primary key)');", "this.addSql('create table dl2 (id integer not null primary key)');"],
    [
      "this.addSql('/* cleanup */ drop table dl');",
      "this.addSql(this.driver.getPlatform().constructor.name.startsWith('PostgreSql') ? 'select 1; drop table dl2' : 'drop table dl2');",
    ],
  ),
);
afterAll(() => lossProject.remove());

describe.concurrent.each(DIALECTS)('drops the old check missed on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  test('down without --yes is refused with both drops counted, and nothing is dropped', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: lossProject.dir });
    expectOk(await cli.run(['up']));
    const [line] = expectShortError(await cli.run(['down']), 2);
    expect(line).toBe(`migrate-ui: down would lose data: ${COMMENTED} drops table dl (empty) (and 1 more)`);
    const dry = await cli.json(['down', '--dry-run']);
    expect(dry.revisions[0].statements.join('\n')).toMatch(/drop table dl2/);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(['dl', 'dl2']));
  });
});

// Issue 17: a WHERE that is always true deletes every row; `down` without --yes ran it and the rows were gone.
const WIPE = 'Migration20260109090000_wipe_in_down';
const wipeProject = copyExample();
wipeProject.write(
  `migrations/${WIPE}.ts`,
  migrationCode(
    WIPE,
    ["this.addSql('create index ix_features_name on features (name)');"],
    [
      "this.addSql('delete from features where 1=1');",
      "this.addSql('drop index ix_features_name' + (this.driver.getPlatform().constructor.name.match(/My|Maria/) ? ' on features' : ''));",
    ],
  ),
);
afterAll(() => wipeProject.remove());

describe.concurrent.each(DIALECTS)('a down() that deletes "where 1=1" on %s', (dialect) => {
  const database = useTestDatabase(dialect);

  test('down without --yes is refused as losing every row, and the rows are still there', async (ctx) => {
    const db = database(ctx);
    const cli = cliOn(db, { cwd: wipeProject.dir });
    expectOk(await cli.run(['up']));
    await insertFeatures(db, FEATURE_ROWS);
    const [line] = expectShortError(await cli.run(['down']), 2);
    expect(line).toBe(`migrate-ui: down would lose data: ${WIPE} drops every row of features (2 rows)`);
    const rows = await withSql(db, (sql) => sql.query<{ id: string }>('select id from features order by id'));
    expect(rows.map((r) => r.id)).toEqual(['f1', 'f2']);
    expect((await cli.json(['status'])).current).toBe(WIPE);
  });
});

// Issue 17 (round 3): an UPDATE whose WHERE is always true overwrites every row as one without WHERE does; `down`
// without --yes ran the first and refused neither.
const OVERWRITE_ALL = 'Migration20260109090000_overwrite_in_down';
const OVERWRITE_TRUE = 'Migration20260110090000_overwrite_where_true';
const overwriteProject = copyExample();
for (const [name, update] of [
  [OVERWRITE_ALL, "update features set description = 'gone'"],
  [OVERWRITE_TRUE, "update features set name = 'gone' where 1=1"],
]) {
  overwriteProject.write(`migrations/${name}.ts`, migration(name, ["update features set is_active = is_active where id = 'none'"], [update]));
}
afterAll(() => overwriteProject.remove());

describe.concurrent.each(DIALECTS)('a down() that updates every row, with or without "where 1=1", on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;
  const rows = (ctx: Parameters<typeof database>[0]) =>
    withSql(database(ctx), (sql) =>
      sql.query<{ id: string; name: string; description: string | null }>('select id, name, description from features order by id'),
    );

  it('set-up: both applied, two features', async (ctx) => {
    const db = database(ctx);
    expectOk(await cliOn(db, { cwd: overwriteProject.dir }).run(['up']));
    await insertFeatures(
      db,
      FEATURE_ROWS.map((row) => ({ ...row, description: `about ${row.name}` })),
    );
  });

  it('down without --yes is refused for each, in the same words, and every value is still there', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: overwriteProject.dir });
    const [whereTrue] = expectShortError(await cli.run(['down']), 2);
    expect(whereTrue).toBe(`migrate-ui: down would lose data: ${OVERWRITE_TRUE} overwrites every value of features.name (2 values)`);
    const [both] = expectShortError(await cli.run(['down', '-2']), 2);
    expect(both).toBe(`migrate-ui: down would lose data: ${OVERWRITE_TRUE} overwrites every value of features.name (2 values) (and 1 more)`);
    const dry = await cli.json(['down', '-2', '--dry-run', '--json']);
    expect(dry.revisions.map((r: { name: string; warnings: string[] }) => [r.name, r.warnings])).toEqual([
      [OVERWRITE_TRUE, ['overwrites every value of features.name: no WHERE leaves a row out, and down() cannot bring the old values back']],
      [OVERWRITE_ALL, ['overwrites every value of features.description: no WHERE leaves a row out, and down() cannot bring the old values back']],
    ]);
    expect(await rows(ctx)).toEqual(FEATURES.map(([id, , name]) => ({ id, name, description: `about ${name}` })));
    expect((await cli.json(['status'])).current).toBe(OVERWRITE_TRUE);
  });

  it('down -2 --yes runs both', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: overwriteProject.dir });
    expect((await cli.json(['down', '-2', '--yes', '--json'])).reverted).toEqual([OVERWRITE_TRUE, OVERWRITE_ALL]);
    expect(await rows(ctx)).toEqual(FEATURES.map(([id]) => ({ id, name: 'gone', description: 'gone' })));
  });
});

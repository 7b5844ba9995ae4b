import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { copyExample, EXAMPLE_REVISIONS as R, EXAMPLE_TABLES, type TempProject } from '../helpers/project.js';
import { recordedRevisions, tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Real projects name files `Migration2024…-S.ts` with class `Migration2024…` (DESIGN §4).
const RENAMED = `${R[0]}-S`;
const AS_RENAMED = [RENAMED, ...R.slice(1)];

function withRenamedFile(project: TempProject): TempProject {
  renameSync(join(project.migrationsDir, `${R[0]}.ts`), join(project.migrationsDir, `${RENAMED}.ts`));
  return project;
}

// A CommonJS package (no "type": "module", config using __dirname), as most MikroORM projects are:
// its .ts config, entities and migrations load through require(), and an import() of a migration
// comes back wrapped as { default: { MigrationX: class } }.
const commonjs = withRenamedFile(copyExample({ commonjs: true }));
afterAll(() => commonjs.remove());

// The databases run side by side; the steps on one database run in order.
describe.concurrent.each(DIALECTS)('a CommonJS project with a file named unlike its class on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const it = test.sequential;

  it('up applies every revision, recorded under its file name', async (ctx) => {
    const db = database(ctx);
    const up = await cliOn(db, { cwd: commonjs.dir }).json(['up']);
    expect(up.applied).toEqual(AS_RENAMED);
    expect(await recordedRevisions(db)).toEqual(AS_RENAMED);
    expect(await tableNames(db)).toEqual(expect.arrayContaining(EXAMPLE_TABLES));
  });

  it('check finds its entities and the schema in sync', async (ctx) => {
    const check = expectOk(await cliOn(database(ctx), { cwd: commonjs.dir }).run(['check']));
    expect(check.stdout).toContain('entities and schema are in sync');
  });

  it('down base --yes reverts every revision', async (ctx) => {
    const db = database(ctx);
    const down = await cliOn(db, { cwd: commonjs.dir }).json(['down', 'base', '--yes']);
    expect(down.reverted).toEqual([...AS_RENAMED].reverse());
    const tables = await tableNames(db);
    for (const table of EXAMPLE_TABLES) expect(tables).not.toContain(table);
  });
});

describe('an ES module project with a file named unlike its class', () => {
  const database = useTestDatabase('sqlite');
  const esm = withRenamedFile(copyExample());
  afterAll(() => esm.remove());

  test('up and down run it', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: esm.dir });
    expect((await cli.json(['up', '+1'])).applied).toEqual([RENAMED]);
    expect((await cli.json(['down', '--yes'])).reverted).toEqual([RENAMED]);
  });
});

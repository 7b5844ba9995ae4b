import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cliOn } from '../helpers/expect-cli.js';
import { copyExample } from '../helpers/project.js';
import { tableNames } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

const NAME = 'Migration20990101000000_probe';

/** A revision that creates `table`, written as MikroORM's `migration:create` writes one. */
const revision = (table: string) => `import { Migration } from '@mikro-orm/migrations';

export class ${NAME} extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table ${table} (id integer primary key)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table ${table}');
  }
}
`;

// Revisions run from the code kept by an earlier run (src/cli/revision-code.ts): a file changed since runs as it is now.
describe.each([
  ['CommonJS', true],
  ['ES module', false],
] as const)('a revision kept compiled between runs, %s project', (_kind, commonjs) => {
  const database = useTestDatabase('sqlite');
  const project = copyExample({ commonjs });
  const temp = mkdtempSync(join(tmpdir(), 'mui-kept-'));
  afterAll(() => {
    project.remove();
    rmSync(temp, { recursive: true, force: true });
  });

  test('the second run applies it from the kept code; once edited, the edited file runs', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir, env: { ...process.env, TMPDIR: temp } });
    project.write(`migrations/${NAME}.ts`, revision('probe_a'));
    expect((await cli.json(['up'])).applied).toContain(NAME);
    expect((await cli.json(['down', '--yes'])).reverted).toEqual([NAME]);
    const [folder] = readdirSync(temp);
    expect(readdirSync(join(temp, folder)).filter((f) => f.startsWith('revisions-'))).toHaveLength(1);

    // Kept from the runs before: the same file, the same table.
    expect((await cli.json(['up'])).applied).toEqual([NAME]);
    expect(await tableNames(database(ctx))).toContain('probe_a');
    expect((await cli.json(['down', '--yes'])).reverted).toEqual([NAME]);

    project.write(`migrations/${NAME}.ts`, revision('probe_b'));
    expect((await cli.json(['up'])).applied).toEqual([NAME]);
    const tables = await tableNames(database(ctx));
    expect(tables).toContain('probe_b');
    expect(tables).not.toContain('probe_a');
  }, 60_000);

  test('a revision whose code imports dynamically runs again in a later run', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir, env: { ...process.env, TMPDIR: temp } });
    expect((await cli.json(['down', '--yes'])).reverted).toEqual([NAME]);
    const importing = revision('probe_d').replace(
      "this.addSql('create table probe_d",
      "const { existsSync } = await import('node:fs');\n    if (existsSync(process.cwd())) this.addSql('create table probe_d",
    );
    project.write(`migrations/${NAME}.ts`, importing);
    for (let run = 0; run < 2; run++) {
      expect((await cli.json(['up'])).applied).toEqual([NAME]);
      expect(await tableNames(database(ctx))).toContain('probe_d');
      expect((await cli.json(['down', '--yes'])).reverted).toEqual([NAME]);
    }
    project.write(`migrations/${NAME}.ts`, revision('probe_b'));
    expect((await cli.json(['up'])).applied).toEqual([NAME]);
  }, 60_000);

  test('a file broken since it was kept fails as a broken file does', async (ctx) => {
    const cli = cliOn(database(ctx), { cwd: project.dir, env: { ...process.env, TMPDIR: temp } });
    expect((await cli.json(['down', '--yes'])).reverted).toEqual([NAME]);
    project.write(`migrations/${NAME}.ts`, `${revision('probe_c')}\nexport const x = ;\n`);
    const up = await cli.run(['up']);
    expect(up.code, up.stderr).not.toBe(0);
    expect(up.stderr).toContain(NAME);
    expect(up.stderr).not.toContain('    at ');
    expect(await tableNames(database(ctx))).not.toContain('probe_c');
  }, 60_000);
});

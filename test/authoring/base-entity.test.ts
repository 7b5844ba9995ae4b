import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, type TestContext, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/databases.js';
import { applyFirstRevision, cliOn, expectInSync, expectOk } from '../helpers/expect-cli.js';
import { DECORATOR_TSCONFIG, realProject } from '../helpers/real-project.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { typecheck } from './entities/helpers.js';
import { createTable, foreignKey } from '../helpers/spec.js';

// Real projects keep the key in an abstract base entity (`class Campus extends CustomBaseEntity`) and list their
// entities through a barrel (issue 18).

const DRIVER_PACKAGE = { sqlite: 'sqlite', postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mariadb' } as const;

const SPEC = {
  operations: [
    createTable('buildings', { name: 'id', type: 'uuid', primary: true }, { name: 'name', type: 'string' }, { name: 'campus_id', type: 'uuid' }),
    foreignKey('buildings', 'campus_id', 'campus'),
  ],
};

/** A CommonJS decorator project whose entities inherit their key, listed in the config through a barrel. */
function campusProject(dialect: string) {
  const project = realProject({
    files: {
      'package.json': JSON.stringify({ name: 'campus', private: true }),
      'tsconfig.json': DECORATOR_TSCONFIG,
      'src/entities/base.entity.ts': `import { PrimaryKey, Property } from '@mikro-orm/core';

export abstract class CustomBaseEntity {
  @PrimaryKey({ type: 'uuid' })
  public id: string = crypto.randomUUID();

  @Property({ type: 'datetime' })
  public createdAt: Date = new Date();
}
`,
      'src/entities/campus.entity.ts': `import { Entity, Property } from '@mikro-orm/core';
import { CustomBaseEntity } from './base.entity';

@Entity({ tableName: 'campus' })
export class Campus extends CustomBaseEntity {
  @Property()
  public name!: string;
}
`,
      'src/entities/index.ts': `export { CustomBaseEntity } from './base.entity';
export { Campus } from './campus.entity';
`,
      'src/mikro-orm.config.ts': `import { defineConfig } from '@mikro-orm/${DRIVER_PACKAGE[dialect as keyof typeof DRIVER_PACKAGE]}';
import { Campus, CustomBaseEntity } from './entities';

export default defineConfig({
  dbName: 'replaced-by-the-url',
  entities: [CustomBaseEntity, Campus],
  migrations: { path: __dirname + '/migrations' },
});
`,
      'spec.json': JSON.stringify(SPEC),
    },
  });
  // Generated revisions import migrate-ui, as a user's install has it.
  mkdirSync(join(project.dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(project.dir, 'node_modules', 'migrate-ui'));
  return project;
}

describe.concurrent.each(DIALECTS)('a foreign key to a key inherited from a base entity, on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = campusProject(dialect);
  afterAll(() => project.remove());
  const read = (path: string) => readFileSync(join(project.dir, path), 'utf8');
  const cliIn = (ctx: TestContext) => cliOn(database(ctx), { cwd: project.dir });
  const it = test.sequential;

  it('the first revision, from the entities, applies', async (ctx) => {
    await applyFirstRevision(cliIn(ctx));
  });

  it('a spec adding a table with a foreign key to campus.id: the new entity gets a @ManyToOne to Campus, listed in the barrel', async (ctx) => {
    const cli = cliIn(ctx);
    const made = expectOk(await cli.run(['new', 'add_buildings', '--spec', 'spec.json']));
    expect(made.stdout).not.toContain('edit the entity by hand');
    expect(made.stdout).toContain('created src/entities/building.entity.ts');
    const building = read('src/entities/building.entity.ts');
    expect(building).toContain("@ManyToOne(() => Campus, { fieldName: 'campus_id', updateRule: 'no action' })\n  public campus!: Campus;");
    expect(building).toContain('export class Building {');
    expect(building).not.toContain('campus_id!:');
    expect(read('src/entities/index.ts')).toBe(`export { CustomBaseEntity } from './base.entity';
export { Campus } from './campus.entity';
export { Building } from './building.entity';
`);
    expect(read('src/mikro-orm.config.ts')).toContain("import { Building, Campus, CustomBaseEntity } from './entities';");
    expect(read('src/mikro-orm.config.ts')).toContain('entities: [CustomBaseEntity, Campus, Building],');
  });

  it('tsc passes on the project with its edits', () => {
    expect(typecheck(join(project.dir, 'tsconfig.json'))).toEqual({ code: 0, output: '' });
  });

  it('after up, check finds entities and schema in sync', async (ctx) => {
    const cli = cliIn(ctx);
    expect((await cli.json(['up'])).applied).toEqual([expect.stringMatching(/_add_buildings$/)]);
    expectInSync(await cli.run(['check']));
  });
});

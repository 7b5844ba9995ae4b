import { join } from 'node:path';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { findEntities, planEntityEdits } from '../../../src/authoring/entities/index.js';
import { loadProjectConfig } from '../../../src/core/config.js';
import { realProject } from '../../helpers/real-project.js';
import { fixtureProject } from './fixtures.js';

const relativeTo = (dir: string) => (e: { file: string; table: string; entityName: string; style: string }) =>
  `${e.table} ← ${e.entityName} (${e.style}) in ${e.file.slice(dir.length + 1)}`;

const FEATURE_FLAG = `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity()
export class FeatureFlag {
  @PrimaryKey()
  id!: number;

  @Property()
  enabled!: boolean;
}
`;

const AUDIT_ENTRY = `import { EntitySchema } from '@mikro-orm/core';

export const AuditEntry = new EntitySchema({ name: 'AuditEntry', properties: { id: { type: 'integer', primary: true } } });
`;

describe('findEntities', () => {
  test('follows the config’s imports to each entity file, with the table each maps to (decorators)', async () => {
    const fixture = fixtureProject('decorator');
    const found = await findEntities({ configPath: fixture.configPath, projectDir: fixture.dir, baseDir: fixture.dir, entities: [{}, {}] });
    fixture.remove();
    expect(found.entities.map(relativeTo(fixture.dir))).toEqual([
      'authors ← Author (decorator) in src/entities/author.ts',
      'books ← Book (decorator) in src/entities/book.ts',
    ]);
    expect(found.registry).toEqual({ file: fixture.configPath, name: 'entities' });
    expect([...found.files.keys()].sort()).toEqual(
      [fixture.configPath, join(fixture.dir, 'src/entities/author.ts'), join(fixture.dir, 'src/entities/book.ts')].sort(),
    );
    expect(found.notes).toEqual([]);
  });

  test('takes the entities as MikroORM loaded them from the config (EntitySchema, ESM)', async () => {
    const fixture = fixtureProject('entity-schema');
    onTestFinished(() => fixture.remove());
    vi.stubEnv('APP_SQLITE', ':memory:');
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const config = await loadProjectConfig({ cwd: fixture.dir });
    const options = config.options as { entities: unknown[]; entitiesTs?: unknown[]; baseDir: string };
    const found = await findEntities({
      configPath: config.configPath,
      projectDir: config.projectDir,
      baseDir: options.baseDir,
      entities: options.entities,
    });
    expect(found.entities.map(relativeTo(fixture.dir))).toEqual([
      'users ← User (entity-schema) in entities/user.ts',
      'channel ← Channel (entity-schema) in entities/channel.ts',
    ]);
    expect(found.entities[0]).toMatchObject({ declaration: 'UserSchema', typeName: 'User' });
  });

  test("without tableName, the table is the naming strategy's: FeatureFlag → feature_flag; paths and globs register nothing", async () => {
    const project = realProject({
      files: {
        'src/entities/feature-flag.ts': FEATURE_FLAG,
        'src/entities/audit-entry.ts': AUDIT_ENTRY,
        'src/entities/index.ts': "export * from './feature-flag';\n",
        'src/mikro-orm.config.ts': "export default { entities: ['./src/entities'] };\n",
      },
    });
    onTestFinished(() => project.remove());
    const configPath = join(project.dir, 'src/mikro-orm.config.ts');
    for (const entities of [['./src/entities'], ['./src/entities/*.ts'], ['src/entities/feature-flag.ts', 'src/entities/audit-entry.ts']]) {
      const found = await findEntities({ configPath, projectDir: project.dir, baseDir: project.dir, entities });
      expect(found.entities.map(relativeTo(project.dir)).sort()).toEqual([
        'audit_entry ← AuditEntry (entity-schema) in src/entities/audit-entry.ts',
        'feature_flag ← FeatureFlag (decorator) in src/entities/feature-flag.ts',
      ]);
      expect(found.registry).toBeUndefined();
      const plan = planEntityEdits(found, [{ op: 'createTable', table: 'release_notes', columns: [{ name: 'id', type: 'integer', primary: true }] }]);
      expect(plan.edits.map((e) => e.path.slice(project.dir.length + 1))).toEqual(['src/entities/release-note.ts']);
    }
  });

  test('prefers entitiesTs to compiled paths, and says so where only compiled files are listed', async () => {
    const project = realProject({
      files: {
        'src/entities/feature-flag.ts': FEATURE_FLAG,
        'dist/entities/feature-flag.js': 'exports.FeatureFlag = class FeatureFlag {};\n',
        'mikro-orm.config.ts': 'export default {};\n',
      },
    });
    onTestFinished(() => project.remove());
    const input = { configPath: join(project.dir, 'mikro-orm.config.ts'), projectDir: project.dir, baseDir: project.dir };
    expect(
      (await findEntities({ ...input, entities: ['./dist/entities'], entitiesTs: ['./src/entities'] })).entities.map((e) => e.entityName),
    ).toEqual(['FeatureFlag']);
    const compiled = await findEntities({ ...input, entities: ['./dist/entities'] });
    expect(compiled.entities).toEqual([]);
    expect(compiled.notes).toEqual(['entities are listed as compiled files (./dist/entities); name their sources in entitiesTs to have them edited']);
  });

  test('follows imports through a barrel and an entity list kept in a module of its own, which is where a new entity goes', async () => {
    const project = realProject({
      files: {
        'src/entities/feature-flag.ts': FEATURE_FLAG,
        'src/entities/audit-entry.ts': AUDIT_ENTRY,
        'src/entities/index.ts': "export * from './feature-flag';\nexport { AuditEntry } from './audit-entry';\n",
        'src/entities/all.ts': "import { AuditEntry, FeatureFlag } from './index';\n\nexport const ENTITIES = [FeatureFlag, AuditEntry];\n",
        'src/mikro-orm.config.ts': "import { ENTITIES } from './entities/all';\n\nexport default { entities: ENTITIES };\n",
      },
    });
    onTestFinished(() => project.remove());
    const found = await findEntities({
      configPath: join(project.dir, 'src/mikro-orm.config.ts'),
      projectDir: project.dir,
      baseDir: project.dir,
      entities: [{}, {}],
    });
    expect(found.entities.map(relativeTo(project.dir))).toEqual([
      'feature_flag ← FeatureFlag (decorator) in src/entities/feature-flag.ts',
      'audit_entry ← AuditEntry (entity-schema) in src/entities/audit-entry.ts',
    ]);
    expect(found.registry).toEqual({
      file: join(project.dir, 'src/entities/all.ts'),
      name: 'ENTITIES',
      barrel: join(project.dir, 'src/entities/index.ts'),
    });
    const plan = planEntityEdits(found, [{ op: 'createTable', table: 'release_notes', columns: [{ name: 'id', type: 'integer', primary: true }] }]);
    const list = plan.edits.find((e) => e.path.endsWith('all.ts'));
    expect(list?.after).toBe(
      "import { AuditEntry, FeatureFlag, ReleaseNote } from './index';\n\nexport const ENTITIES = [FeatureFlag, AuditEntry, ReleaseNote];\n",
    );
    expect(plan.edits.find((e) => e.path.endsWith('index.ts'))?.after).toBe(
      "export * from './feature-flag';\nexport { AuditEntry } from './audit-entry';\nexport { ReleaseNote } from './release-note';\n",
    );
  });

  test('an entity list it cannot follow is a note, not an error', async () => {
    const project = realProject({ files: { 'mikro-orm.config.ts': 'const list = () => [];\nexport default { entities: list() };\n' } });
    onTestFinished(() => project.remove());
    const found = await findEntities({
      configPath: join(project.dir, 'mikro-orm.config.ts'),
      projectDir: project.dir,
      baseDir: project.dir,
      entities: [{}],
    });
    expect(found.entities).toEqual([]);
    expect(found.notes).toEqual(['entities in mikro-orm.config.ts is not a list of entities written out; a new entity is not registered there']);
    const plan = planEntityEdits(found, [{ op: 'createTable', table: 'things', columns: [{ name: 'id', type: 'integer', primary: true }] }]);
    expect(plan).toEqual({ edits: [], notes: ['createTable things: the project has no entity to model a new one on; write it by hand'] });
  });
});

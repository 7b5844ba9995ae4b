import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type EntityOperation, type EntityProject, type EntityStyle, findEntities, planEntityEdits } from '../../../src/authoring/entities/index.js';
import type { ColumnType } from '../../../src/authoring/spec.js';
import { realProject } from '../../helpers/real-project.js';
import { fixtureProject } from './fixtures.js';

// A new table's entity file is kept as a draft while the spec's operations on that table go on, and written once.
// What it writes must be what editing the file op by op writes: both are planned here for every prefix of a spec that
// creates tables and then adds to, renames, indexes and relates them (a draft as a relation's target too), alters one
// (its draft is written out, and edited op by op from there), drops one, and edits the project's own entities.

interface Shape {
  /** An existing table with a single primary key `id`, and the key's type. */
  users: string;
  key: ColumnType;
  /** An existing table with a column of the key's type, that becomes a relation to a new table. */
  other: { table: string; column: string };
}

function mixedSpec({ users, key, other }: Shape): EntityOperation[] {
  const fk = (table: string, column: string, to: string, onDelete?: 'cascade'): EntityOperation => ({
    op: 'addForeignKey',
    table,
    name: `${table}_${column}_foreign`,
    columns: [column],
    references: { table: to, columns: ['id'] },
    ...(onDelete ? { onDelete } : {}),
  });
  return [
    {
      op: 'createTable',
      table: 'projects',
      columns: [
        { name: 'id', type: key, primary: true },
        { name: 'name', type: 'string' },
        { name: 'code', type: 'string', length: 20, unique: true },
        { name: 'owner_id', type: key },
        { name: 'created_at', type: 'bigint' },
        { name: 'note', type: 'text', nullable: true },
      ],
    },
    { op: 'addColumn', table: 'projects', column: { name: 'priority', type: 'integer', nullable: true, default: 0 } },
    { op: 'createIndex', table: 'projects', name: 'projects_owner_id_index', columns: ['owner_id'], unique: false },
    fk('projects', 'owner_id', users),
    { op: 'renameColumn', table: 'projects', from: 'name', to: 'title' },
    { op: 'renameColumn', table: 'projects', from: 'code', to: 'project_code' },
    { op: 'createIndex', table: 'projects', name: 'projects_title_unique', columns: ['title'], unique: true },
    { op: 'addColumn', table: 'projects', column: { name: 'archived_at', type: 'datetime', nullable: true } },
    { op: 'addColumn', table: 'projects', column: { name: 'budget', type: 'bigint', default: 0 } },
    {
      op: 'createTable',
      table: 'tags',
      columns: [
        { name: 'id', type: 'integer', primary: true },
        { name: 'label', type: 'string' },
        { name: 'project_id', type: key, nullable: true },
      ],
    },
    fk('tags', 'project_id', 'projects', 'cascade'),
    { op: 'renameColumn', table: 'tags', from: 'label', to: 'name' },
    { op: 'renameColumn', table: 'tags', from: 'project_id', to: 'project_ref' },
    fk(other.table, other.column, 'projects'),
    { op: 'addColumn', table: users, column: { name: 'bio', type: 'text', nullable: true } },
    {
      op: 'alterColumn',
      table: 'projects',
      column: { name: 'note', type: 'text' },
      before: { name: 'note', type: 'text', nullable: true },
    },
    { op: 'addColumn', table: 'projects', column: { name: 'after_alter', type: 'string', nullable: true } },
    { op: 'createTable', table: 'singles', columns: [{ name: 'id', type: 'integer', primary: true }] },
    { op: 'addColumn', table: 'singles', column: { name: 'label', type: 'string', nullable: true } },
    { op: 'addColumn', table: 'singles', column: { name: 'rank', type: 'integer', default: 1 } },
    { op: 'createTable', table: 'scratch', columns: [{ name: 'id', type: 'integer', primary: true }] },
    { op: 'dropTable', table: 'scratch' },
    { op: 'createTable', table: 'drafts', columns: [{ name: 'id', type: 'uuid', primary: true }] },
    { op: 'renameTable', from: 'drafts', to: 'sketches' },
    { op: 'addColumn', table: 'sketches', column: { name: 'body', type: 'json', nullable: true } },
    { op: 'createIndex', table: 'tags', name: 'tags_name_index', columns: ['name'], unique: false },
    { op: 'dropIndex', table: 'tags', name: 'tags_name_index', columns: ['name'], unique: false },
  ];
}

/** Plans every prefix of the spec both ways: the same files, byte for byte, and the same notes. */
function comparePrefixes(project: () => Promise<EntityProject>, spec: EntityOperation[]): void {
  test('drafts write what op-by-op edits write, after every operation of the spec', async () => {
    const found = await project();
    for (let n = 1; n <= spec.length; n++) {
      const operations = spec.slice(0, n);
      const drafted = planEntityEdits(found, operations);
      const byOperation = planEntityEdits(found, operations, { stepwise: true });
      expect({ n, ...drafted }).toEqual({ n, ...byOperation });
    }
    // The whole spec edits the project's files and makes new ones: the comparison is not between two empty plans.
    const whole = planEntityEdits(found, spec);
    expect(whole.edits.filter((e) => e.before === null).length).toBeGreaterThanOrEqual(3);
    expect(whole.edits.filter((e) => e.before !== null && e.after !== null).length).toBeGreaterThanOrEqual(1);
  });
}

const FIXTURE_SHAPES: Record<EntityStyle, Shape> = {
  'entity-schema': { users: 'users', key: 'string', other: { table: 'channel', column: 'owner_id' } },
  decorator: { users: 'authors', key: 'integer', other: { table: 'books', column: 'author_id' } },
  'define-entity': { users: 'teams', key: 'integer', other: { table: 'members', column: 'team_id' } },
};

for (const style of Object.keys(FIXTURE_SHAPES) as EntityStyle[]) {
  describe(`${style} fixture (entities listed in the config)`, () => {
    const fixture = fixtureProject(style);
    afterAll(() => fixture.remove());
    const project = () => findEntities({ configPath: fixture.configPath, projectDir: fixture.dir, baseDir: fixture.dir, entities: [{}, {}] });
    comparePrefixes(project, mixedSpec(FIXTURE_SHAPES[style]));
  });
}

// Files written unlike the fixtures: tabs, double quotes, CRLF, no trailing commas, `public` without `!`, no blank
// lines between properties, `| null`, builders as a callback's parameter with option objects, no interface beside
// an EntitySchema. Found through a glob (no registry).
const OTHER_PROJECTS: Record<string, { files: Record<string, string>; shape: Shape; config?: string }> = {
  'entity-schema, CRLF, tabs, double quotes, no trailing commas': {
    shape: { users: 'people', key: 'integer', other: { table: 'people', column: 'team_id' } },
    files: {
      'src/person.ts': [
        'import { EntitySchema } from "@mikro-orm/core";',
        '',
        'export interface Person {',
        '\tid: number;',
        '\tname?: string | null;',
        '\tteam_id: number;',
        '\tcreated_at: string;',
        '}',
        '',
        'export const PersonSchema = new EntitySchema<Person>({',
        '\tname: "Person",',
        '\ttableName: "people",',
        '\tproperties: {',
        '\t\tid: { type: "integer", primary: true },',
        '\t\tname: { type: "string", nullable: true },',
        '\t\tteam_id: { type: "integer" },',
        '\t\tcreated_at: { type: "bigint" }',
        '\t}',
        '});',
        '',
      ].join('\r\n'),
    },
  },
  'entity-schema without an interface': {
    shape: { users: 'people', key: 'string', other: { table: 'people', column: 'team_id' } },
    files: {
      'src/person.ts': `import { EntitySchema } from '@mikro-orm/core';

export const Person = new EntitySchema({
  name: 'Person',
  tableName: 'people',
  properties: {
    id: { type: 'string', primary: true },
    team_id: { type: 'string' },
  },
});
`,
    },
  },
  'decorators: public, no !, no blank lines, | null': {
    shape: { users: 'people', key: 'integer', other: { table: 'people', column: 'team_id' } },
    files: {
      'src/person.ts': `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'people' })
export class Person {
  @PrimaryKey({ type: 'integer' })
  public id: number;
  @Property({ type: 'string', nullable: true })
  public displayName?: string | null;
  @Property({ type: 'integer' })
  public teamId: number;
}
`,
    },
  },
  'defineEntity: option objects in a callback': {
    shape: { users: 'people', key: 'integer', other: { table: 'people', column: 'team_id' } },
    files: {
      'src/person.ts': `import { defineEntity } from '@mikro-orm/core';

export const Person = defineEntity({
  name: 'Person',
  tableName: 'people',
  properties: (b) => ({
    id: { type: 'integer', primary: true },
    team_id: { type: 'integer' },
  }),
});
`,
    },
  },
};

// A config listing its entities through a barrel: new ones are exported there (all in one edit), as each barrel writes them.
const NOTE = `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'notes' })
export class Note {
  @PrimaryKey({ type: 'integer' })
  public id: number;

  @Property({ type: 'integer' })
  public ownerId: number;
}
`;
const BARRELS: Record<string, string> = {
  'an export list': "import { Note } from './note';\n\nexport { Note };\n",
  'export * lines': "export * from './note';\n",
  'export { X } from lines': "export { Note } from './note';\n",
};
for (const [name, barrel] of Object.entries(BARRELS)) {
  OTHER_PROJECTS[`decorators through a barrel with ${name}`] = {
    shape: { users: 'notes', key: 'integer', other: { table: 'notes', column: 'owner_id' } },
    config: 'src/mikro-orm.config.ts',
    files: {
      'src/entities/note.ts': NOTE,
      'src/entities/index.ts': barrel,
      'src/mikro-orm.config.ts': "import { Note } from './entities';\n\nexport default { entities: [Note] };\n",
    },
  };
}

for (const [name, { files, shape, config }] of Object.entries(OTHER_PROJECTS)) {
  describe(name, () => {
    const written = realProject({ files: config ? files : { ...files, 'mikro-orm.config.ts': 'export default {};\n' } });
    afterAll(() => written.remove());
    const configPath = join(written.dir, config ?? 'mikro-orm.config.ts');
    const project = () => findEntities({ configPath, projectDir: written.dir, baseDir: written.dir, entities: config ? [{}] : ['src/*.ts'] });
    comparePrefixes(project, mixedSpec(shape));
  });
}

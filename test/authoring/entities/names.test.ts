import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { type EntityOperation, findEntities, planEntityEdits } from '../../../src/authoring/entities/index.js';
import { defaultNaming, entityFileFor, entityNameFor, moduleExtension, singular } from '../../../src/authoring/entities/names.js';
import type { EntitySource } from '../../../src/authoring/entities/types.js';
import { realProject } from '../../helpers/real-project.js';

// Names and style of entity edits as the project's authors write them (issue 18).

const neighbour = (entityName: string, file: string, table = entityName.toLowerCase()): EntitySource => ({
  table,
  entityName,
  file,
  style: 'decorator',
  declaration: entityName,
});

describe('names of a new entity', () => {
  test('tables are made singular by English rules, not by cutting an s', () => {
    expect(['country_alias', 'category_aliases', 'campus', 'statuses', 'categories', 'boxes', 'people', 'feature_flags'].map(singular)).toEqual([
      'country_alias',
      'category_alias',
      'campus',
      'status',
      'category',
      'box',
      'person',
      'feature_flag',
    ]);
  });

  test('country_alias → CountryAlias, in CategoryAlias.ts beside User.ts; a singular neighbour like campus is not read as a plural one', () => {
    const naming = defaultNaming();
    const campus = neighbour('Campus', '/p/src/entities/campus.entity.ts');
    expect(entityNameFor('country_alias', [campus], naming)).toBe('CountryAlias');
    expect(entityNameFor('buildings', [campus], naming)).toBe('Building');
    expect(entityFileFor('CategoryAlias', neighbour('User', '/p/src/User.ts'))).toBe('/p/src/CategoryAlias.ts');
    expect(entityFileFor('CategoryAlias', campus)).toBe('/p/src/entities/category-alias.entity.ts');
    // A project that names classes after plural tables keeps doing so.
    expect(entityNameFor('buildings', [neighbour('Users', '/p/src/users.ts', 'users')], naming)).toBe('Buildings');
  });
});

/** The plan for the operations on a project of the given files, its entities found through the config's list. */
async function plan(files: Record<string, string>, operations: EntityOperation[]) {
  const project = realProject({ files });
  onTestFinished(() => project.remove());
  const found = await findEntities({
    configPath: join(project.dir, 'src/mikro-orm.config.ts'),
    projectDir: project.dir,
    baseDir: project.dir,
    entities: [{}],
  });
  const result = planEntityEdits(found, operations);
  const edited = (path: string) => result.edits.find((e) => e.path === join(project.dir, path))?.after;
  return { result, edited };
}

// Written without `!` (strictPropertyInitialization off), with `public`, and stating `type` on each property.
const NOTE = `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'notes' })
export class Note {
  @PrimaryKey({ type: 'integer' })
  public id: number;

  @Property({ type: 'string' })
  public body: string;
}
`;

describe('edits in the file’s own style', () => {
  test('a new property and a new entity keep `public`, leave out `!` and state `type`, as the file does', async () => {
    const { result, edited } = await plan(
      {
        'src/entities/note.ts': NOTE,
        'src/entities/index.ts': "import { Note } from './note';\n\nexport { Note };\n",
        'src/mikro-orm.config.ts': "import { Note } from './entities';\n\nexport default { entities: [Note] };\n",
      },
      [
        { op: 'addColumn', table: 'notes', column: { name: 'title', type: 'string' } },
        {
          op: 'createTable',
          table: 'country_alias',
          columns: [
            { name: 'id', type: 'integer', primary: true },
            { name: 'name', type: 'string' },
          ],
        },
      ],
    );
    expect(result.notes).toEqual([]);
    expect(edited('src/entities/note.ts')).toContain(
      "  @Property({ type: 'string' })\n  public body: string;\n\n  @Property({ type: 'string' })\n  public title: string;\n}",
    );
    expect(edited('src/entities/country-alias.ts')).toContain(
      "export class CountryAlias {\n  @PrimaryKey({ type: 'integer', autoincrement: false })\n  public id: number;\n\n  @Property({ type: 'string' })\n  public name: string;\n}",
    );
    expect(edited('src/entities/index.ts')).toBe(
      "import { Note } from './note';\nimport { CountryAlias } from './country-alias';\n\nexport { Note, CountryAlias };\n",
    );
    expect(edited('src/mikro-orm.config.ts')).toBe(
      "import { CountryAlias, Note } from './entities';\n\nexport default { entities: [Note, CountryAlias] };\n",
    );
  });

  test('a table created and dropped again leaves the barrel and the config as they were (the form redrafting a revision)', async () => {
    const files = {
      'src/entities/note.ts': NOTE,
      'src/entities/index.ts': "import { Note } from './note';\n\nexport { Note };\n",
      'src/entities/all.ts': "export * from './note';\n",
      'src/mikro-orm.config.ts': "import { Note } from './entities';\n\nexport default { entities: [Note] };\n",
    };
    const table: EntityOperation = { op: 'createTable', table: 'tags', columns: [{ name: 'id', type: 'integer', primary: true }] };
    for (const barrel of ['index', 'all']) {
      const config = files['src/mikro-orm.config.ts'].replace("'./entities'", `'./entities/${barrel}'`);
      const created = await plan({ ...files, 'src/mikro-orm.config.ts': config }, [table]);
      expect(created.edited(`src/entities/${barrel}.ts`)).toContain("from './tag';");
      const undone = await plan({ ...files, 'src/mikro-orm.config.ts': config }, [table, { op: 'dropTable', table: 'tags' }]);
      expect(undone.result.edits).toEqual([]);
    }
  });

  test('a column made a relation keeps its modifiers and its `!`; a property added to a one-property class follows a blank line', async () => {
    const author = `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'authors' })
export class Author {
  @PrimaryKey()
  public id!: number;
}
`;
    const book = `import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'books' })
export class Book {
  @PrimaryKey()
  public id!: number;

  @Property()
  public readonly author_id!: number;
}
`;
    const { edited } = await plan(
      {
        'src/entities/author.ts': author,
        'src/entities/book.ts': book,
        'src/mikro-orm.config.ts':
          "import { Author } from './entities/author';\nimport { Book } from './entities/book';\n\nexport default { entities: [Author, Book] };\n",
      },
      [
        {
          op: 'addForeignKey',
          table: 'books',
          name: 'books_author_id_foreign',
          columns: ['author_id'],
          references: { table: 'authors', columns: ['id'] },
        },
        { op: 'addColumn', table: 'authors', column: { name: 'name', type: 'string' } },
      ],
    );
    expect(edited('src/entities/book.ts')).toContain(
      "  @ManyToOne(() => Author, { fieldName: 'author_id', updateRule: 'no action' })\n  public readonly author!: Author;\n}",
    );
    // A class of one property shows no habit for blank lines: it gets one, as a new entity file does.
    expect(edited('src/entities/author.ts')).toContain('  public id!: number;\n\n  @Property()\n  public name!: string;\n}');
  });
});

describe('the extension of relative imports where no file shows one', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    [
      'module NodeNext in a tsconfig it extends (with comments): .js',
      {
        'tsconfig.base.json': '{\n  // shared\n  "compilerOptions": { "module": "NodeNext" },\n}\n',
        'tsconfig.json': '{ "extends": "./tsconfig.base.json" }',
      },
      '.js',
    ],
    ['moduleResolution node16: .js', { 'tsconfig.json': '{ "compilerOptions": { "module": "node16", "moduleResolution": "node16" } }' }, '.js'],
    ['CommonJS: none', { 'tsconfig.json': '{ "compilerOptions": { "module": "commonjs" } }' }, ''],
    [
      'package.json type module, resolution left to its default: .js',
      { 'tsconfig.json': '{ "compilerOptions": { "target": "ES2022" } }', 'package.json': '{ "type": "module" }' },
      '.js',
    ],
    [
      'package.json type module, bundler resolution: none',
      { 'tsconfig.json': '{ "compilerOptions": { "module": "ESNext", "moduleResolution": "bundler" } }', 'package.json': '{ "type": "module" }' },
      '',
    ],
  ];
  test.each(cases)('%s', (_name, files, extension) => {
    const project = realProject({ files: { 'package.json': '{}', ...files } });
    onTestFinished(() => project.remove());
    expect(moduleExtension(join(project.dir, 'src/entities/user.ts'))).toBe(extension);
  });
});

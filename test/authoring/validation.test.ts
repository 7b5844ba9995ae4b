import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { authoringProject } from '../helpers/real-project.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

/** Every file of the project (node_modules left out) with a hash of its content: what "nothing changed" compares. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.endsWith('.json')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) Object.assign(out, tree(path, `${prefix}${entry}/`));
    else out[`${prefix}${entry}`] = createHash('sha1').update(readFileSync(path)).digest('hex');
  }
  return out;
}

const column = (name: string, type = 'string', more: object = {}) => ({ name, type, ...more });

// DESIGN §5: validation before anything is written. Each problem is one line naming the operation and the field;
// exit 2; no file created or changed anywhere. Hostile names are refused, never escaped into SQL.
const CASES: Array<[string, unknown, RegExp]> = [
  ['not JSON-shaped', { nope: true }, /^migrate-ui: operations: the spec is an object with an "operations" array$/],
  ['no operations', { operations: [] }, /operations: add at least one operation/],
  [
    'a field the spec does not have ($schema is one it has)',
    { $schema: './node_modules/migrate-ui/schema/spec.schema.json', operations: [{ op: 'dropTable', table: 'features' }], dryRun: true },
    /^migrate-ui: dryRun: the spec has no field "dryRun"$/,
  ],
  [
    'a field a column does not have',
    { operations: [{ op: 'addColumn', table: 'features', column: { name: 'x', type: 'string', size: 3 } }] },
    /operation 1 \(addColumn\), column.size: a column has no field "size"/,
  ],
  [
    'a field references does not have',
    {
      operations: [{ op: 'addForeignKey', table: 'features', columns: ['user_id'], references: { table: 'users', columns: ['id'], cascade: true } }],
    },
    /operation 1 \(addForeignKey\), references.cascade: references has no field "cascade"/,
  ],
  [
    'an unknown operation',
    { operations: [{ op: 'truncateTable', table: 'features' }] },
    /operation 1 \(truncateTable\), op: unknown operation "truncateTable"/,
  ],
  [
    'an unknown field',
    { operations: [{ op: 'dropTable', table: 'users', cascade: true }] },
    /operation 1 \(dropTable\), cascade: dropTable has no field "cascade"/,
  ],
  [
    'an unknown column type',
    { operations: [{ op: 'addColumn', table: 'features', column: column('x', 'varchar') }] },
    /operation 1 \(addColumn\), column.type: unknown type "varchar"/,
  ],
  [
    'a quote in a table name',
    { operations: [{ op: 'createTable', table: 'a"; drop table users; --', columns: [column('id', 'string', { primary: true })] }] },
    /operation 1 \(createTable\), table: .* is not a plain name/,
  ],
  [
    'a semicolon in a column name',
    { operations: [{ op: 'addColumn', table: 'features', column: column('x; drop table users') }] },
    /operation 1 \(addColumn\), column.name: .* is not a plain name/,
  ],
  [
    'a comment marker in an index name',
    { operations: [{ op: 'createIndex', table: 'features', columns: ['name'], name: 'ix--x' }] },
    /operation 1 \(createIndex\), name: .* is not a plain name/,
  ],
  [
    'a name longer than PostgreSQL allows',
    { operations: [{ op: 'addColumn', table: 'features', column: column('x'.repeat(64)) }] },
    /column.name: .* is 64 characters; PostgreSQL allows 63/,
  ],
  [
    'a reserved word',
    { operations: [{ op: 'addColumn', table: 'features', column: column('select') }] },
    /column.name: "select" is a reserved word in SQL/,
  ],
  [
    'a table that does not exist',
    { operations: [{ op: 'addColumn', table: 'nope', column: column('x') }] },
    /operation 1 \(addColumn\), table: table nope does not exist/,
  ],
  [
    'a column that does not exist',
    { operations: [{ op: 'dropColumn', table: 'features', column: 'nope' }] },
    /operation 1 \(dropColumn\), column: table features has no column nope/,
  ],
  [
    'an index that does not exist',
    { operations: [{ op: 'dropIndex', table: 'features', name: 'nope' }] },
    /operation 1 \(dropIndex\), name: table features has no index nope/,
  ],
  [
    'a table that exists already',
    { operations: [{ op: 'createTable', table: 'users', columns: [column('id', 'string', { primary: true })] }] },
    /operation 1 \(createTable\), table: table users already exists/,
  ],
  [
    'a column that exists already',
    { operations: [{ op: 'addColumn', table: 'features', column: column('slug') }] },
    /column.name: table features already has a column slug/,
  ],
  [
    'the same table created twice',
    { operations: [1, 2].map(() => ({ op: 'createTable', table: 'projects', columns: [column('id', 'string', { primary: true })] })) },
    /operation 2 \(createTable\), table: table projects is already created by operation 1/,
  ],
  [
    'a duplicate column in one table',
    { operations: [{ op: 'createTable', table: 'projects', columns: [column('id', 'string', { primary: true }), column('id')] }] },
    /columns\[1\].name: column id appears twice/,
  ],
  [
    'a table without a primary key',
    { operations: [{ op: 'createTable', table: 'projects', columns: [column('id')] }] },
    /operation 1 \(createTable\), columns: a table needs a primary key/,
  ],
  [
    'a default of the wrong type',
    { operations: [{ op: 'addColumn', table: 'features', column: column('n', 'integer', { default: 'many' }) }] },
    /column.default: a integer column cannot default to "many"/,
  ],
  [
    'a boolean default on a string',
    { operations: [{ op: 'addColumn', table: 'features', column: column('s', 'string', { default: true }) }] },
    /column.default: a string column cannot default to true/,
  ],
  [
    'a decimal without precision',
    { operations: [{ op: 'addColumn', table: 'features', column: column('price', 'decimal') }] },
    /column.precision: decimal needs precision and scale/,
  ],
  [
    'a foreign key with mismatched columns',
    { operations: [{ op: 'addForeignKey', table: 'features', columns: ['user_id'], references: { table: 'users', columns: ['id', 'email'] } }] },
    /references.columns: as many referenced columns as columns/,
  ],
  [
    'an unknown delete rule',
    {
      operations: [
        { op: 'addForeignKey', table: 'features', columns: ['user_id'], references: { table: 'users', columns: ['id'] }, onDelete: 'explode' },
      ],
    },
    /onDelete: one of cascade, restrict, set null, no action/,
  ],
  [
    'a backfill expression with a statement separator',
    { operations: [{ op: 'backfill', table: 'features', set: { slug: 'lower(name); drop table users' } }] },
    /set.slug: one expression only: no ;, -- or \/\*/,
  ],
  [
    'a backfill that sets the key it walks the table by',
    { operations: [{ op: 'backfill', table: 'features', set: { id: "id || 'x'" } }] },
    /operation 1 \(backfill\), set\.id: id is the key the backfill walks features by; a backfill cannot set it/,
  ],
  [
    'autoincrement on a column that is not an integer primary key',
    { operations: [{ op: 'createTable', table: 'tags', columns: [{ name: 'id', type: 'string', primary: true, autoincrement: true }] }] },
    /operation 1 \(createTable\), columns\[0\]\.autoincrement: only an integer or bigint primary key/,
  ],
  [
    'an alterColumn that changes nothing',
    { operations: [{ op: 'alterColumn', table: 'features', column: 'name' }] },
    /operation 1 \(alterColumn\), column: say what changes/,
  ],
  // Issue 17: specs that wrote a file and entities, then failed at `up` (or made `check` exit 70).
  [
    'a foreign key to a table that does not exist',
    { operations: [{ op: 'addForeignKey', table: 'features', columns: ['user_id'], references: { table: 'nope', columns: ['id'] } }] },
    /operation 1 \(addForeignKey\), references.table: table nope does not exist/,
  ],
  [
    'a foreign key to a column that does not exist',
    { operations: [{ op: 'addForeignKey', table: 'features', columns: ['user_id'], references: { table: 'users', columns: ['nope'] } }] },
    /operation 1 \(addForeignKey\), references.columns\[0\]: table users has no column nope/,
  ],
  [
    'a foreign key between columns of different types',
    { operations: [{ op: 'addForeignKey', table: 'features', columns: ['created_at'], references: { table: 'users', columns: ['id'] } }] },
    /operation 1 \(addForeignKey\), columns\[0\]: features.created_at is bigint but users.id is (text|string): a foreign key joins columns of one type/,
  ],
  [
    'a foreign key to columns that are no key',
    { operations: [{ op: 'addForeignKey', table: 'features', columns: ['user_id'], references: { table: 'users', columns: ['name'] } }] },
    /operation 1 \(addForeignKey\), references.columns: users \(name\) is neither its primary key nor unique/,
  ],
  [
    'an index on a column that does not exist',
    { operations: [{ op: 'createIndex', table: 'features', columns: ['name', 'nope'] }] },
    /operation 1 \(createIndex\), columns\[1\]: table features has no column nope/,
  ],
  [
    'an index listing a column twice',
    { operations: [{ op: 'createIndex', table: 'features', columns: ['name', 'name'] }] },
    /operation 1 \(createIndex\), columns\[1\]: column name is listed twice/,
  ],
  [
    'a derived index name over 63 characters',
    {
      operations: [
        { op: 'addColumn', table: 'features', column: column('x'.repeat(55), 'string', { nullable: true }) },
        { op: 'createIndex', table: 'features', columns: ['x'.repeat(55)] },
      ],
    },
    /operation 2 \(createIndex\), name: the name features_x+… derived for it is 70 characters, over PostgreSQL's 63; give it a shorter "name"/,
  ],
  [
    'a derived unique index name over 63 characters',
    { operations: [{ op: 'addColumn', table: 'features', column: column('y'.repeat(55), 'string', { nullable: true, unique: true }) }] },
    /operation 1 \(addColumn\), column.unique: the name features_y+… derived for it is 71 characters/,
  ],
  [
    'a column renamed into one that exists',
    { operations: [{ op: 'renameColumn', table: 'features', from: 'name', to: 'slug' }] },
    /operation 1 \(renameColumn\), to: table features already has a column slug/,
  ],
  [
    "a table renamed to MikroORM's history table",
    { operations: [{ op: 'renameTable', from: 'channel', to: 'mikro_orm_migrations' }] },
    /operation 1 \(renameTable\), to: mikro_orm_migrations is MikroORM's own table; no operation may touch it/,
  ],
  [
    "a table created under migrate-ui's lock table name",
    { operations: [{ op: 'createTable', table: 'migrate_ui_lock', columns: [column('id', 'string', { primary: true })] }] },
    /operation 1 \(createTable\), table: migrate_ui_lock is migrate-ui's own table; no operation may touch it/,
  ],
  [
    "a backfill of migrate-ui's progress table",
    { operations: [{ op: 'backfill', table: 'migrate_ui_progress', set: { status: "'done'" } }] },
    /operation 1 \(backfill\), table: migrate_ui_progress is migrate-ui's own table/,
  ],
  [
    'a string length of 10^12',
    { operations: [{ op: 'addColumn', table: 'features', column: column('big', 'string', { nullable: true, length: 1e12 }) }] },
    /operation 1 \(addColumn\), column.length: a string's length is 1 to 16383 \(MySQL's varchar\); use text/,
  ],
  [
    'decimal(1000, 2000)',
    { operations: [{ op: 'addColumn', table: 'features', column: column('price', 'decimal', { nullable: true, precision: 1000, scale: 2000 }) }] },
    /operation 1 \(addColumn\), column.precision: a decimal's precision is 1 to 65 \(MySQL's limit\)/,
  ],
  [
    'a decimal whose scale exceeds its precision',
    { operations: [{ op: 'addColumn', table: 'features', column: column('price', 'decimal', { nullable: true, precision: 5, scale: 8 }) }] },
    /operation 1 \(addColumn\), column.scale: the scale \(8\) cannot exceed the precision \(5\)/,
  ],
  [
    'dropping the primary key',
    { operations: [{ op: 'dropColumn', table: 'features', column: 'id' }] },
    /operation 1 \(dropColumn\), column: features.id is the primary key; a table keeps its key/,
  ],
  [
    'a foreign key dropped that the table does not have',
    { operations: [{ op: 'dropForeignKey', table: 'features', name: 'features_nothing_foreign' }] },
    /operation 1 \(dropForeignKey\), name: table features has no foreign key features_nothing_foreign/,
  ],
  [
    'an index renamed that the table does not have',
    { operations: [{ op: 'renameIndex', table: 'features', from: 'ix_nothing', to: 'ix_other' }] },
    /operation 1 \(renameIndex\), from: table features has no index ix_nothing/,
  ],
  [
    'an index renamed to the name of another',
    { operations: [{ op: 'renameIndex', table: 'features', from: 'ix_features_slug', to: 'ix_features_user_id' }] },
    /operation 1 \(renameIndex\), to: an index named ix_features_user_id already exists/,
  ],
  [
    'a check whose condition hides a second statement',
    { operations: [{ op: 'addCheck', table: 'features', name: 'features_ok', expression: 'true; drop table users' }] },
    /operation 1 \(addCheck\), expression: one expression only: no ;, -- or \/\*/,
  ],
  [
    'a check added twice under one name',
    {
      operations: [
        { op: 'addCheck', table: 'features', name: 'features_ok', expression: 'true' },
        { op: 'addCheck', table: 'users', name: 'features_ok', expression: 'true' },
      ],
    },
    /operation 2 \(addCheck\), name: a check named features_ok already exists/,
  ],
  [
    'a check dropped that the table does not have',
    { operations: [{ op: 'dropCheck', table: 'features', name: 'features_nothing_check' }] },
    /operation 1 \(dropCheck\), name: table features has no check features_nothing_check/,
  ],
  [
    'altering the primary key to nullable',
    { operations: [{ op: 'alterColumn', table: 'users', column: 'id', nullable: true }] },
    /operation 1 \(alterColumn\), nullable: users.id is the primary key, which cannot be nullable/,
  ],
];

describe('validation of a spec, before anything is written (SQLite)', () => {
  const database = useTestDatabase('sqlite');
  const project = authoringProject();
  afterAll(() => project.remove());
  const it = test.sequential;

  it('set-up: the example applied', async (ctx) => {
    expectOk(await cliOn(database(ctx), { cwd: project.dir }).run(['up']));
  });

  for (const [what, spec, message] of CASES) {
    it(`${what}: exit 2, one line naming the operation and field, nothing written`, async (ctx) => {
      const file = join(project.dir, 'spec.json');
      writeFileSync(file, JSON.stringify(spec));
      const before = tree(project.dir);
      const result = await cliOn(database(ctx), { cwd: project.dir }).run(['new', 'bad_one', '--spec', file]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).not.toContain('    at ');
      expect(result.stderr.trim().split('\n')[0]).toMatch(message);
      expect(tree(project.dir)).toEqual(before);
    });
  }

  it('an invalid revision name is refused the same way', async (ctx) => {
    const file = join(project.dir, 'spec.json');
    writeFileSync(file, JSON.stringify({ operations: [{ op: 'dropIndex', table: 'features', name: 'ix_features_slug' }] }));
    const before = tree(project.dir);
    const result = await cliOn(database(ctx), { cwd: project.dir }).run(['new', '../Evil Name', '--spec', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^migrate-ui: name: use lower-case letters, digits and _/);
    expect(tree(project.dir)).toEqual(before);
  });

  it('malformed JSON in the spec file: exit 2 saying so, nothing written', async (ctx) => {
    const file = join(project.dir, 'spec.json');
    writeFileSync(file, '{ "operations": [ { "op": "dropTable", ');
    const before = tree(project.dir);
    const result = await cliOn(database(ctx), { cwd: project.dir }).run(['new', 'broken_json', '--spec', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^migrate-ui: the spec .*spec\.json is not valid JSON/);
    expect(tree(project.dir)).toEqual(before);
  });

  it('piped, without --spec or --from-entities: exit 2 with the usage line, nothing written', async (ctx) => {
    const before = tree(project.dir);
    const result = await cliOn(database(ctx), { cwd: project.dir }).run(['new', 'add_projects']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'migrate-ui: new needs --spec FILE or --from-entities (or a terminal, for the form)\n  Usage: migrate-ui new NAME --spec FILE | --from-entities [--print] [--no-entities] [--json]\n',
    );
    expect(tree(project.dir)).toEqual(before);
  });
});

// Issue 17 (round 3): the form says "cannot run on sqlite" (both directions previewed on the connected database) and
// will not write; `new --spec` wrote the same revision, exit 0, and `up` (or a later `down`) failed.
describe('a revision that cannot run on the connected database (SQLite)', () => {
  const database = useTestDatabase('sqlite');
  const project = authoringProject();
  afterAll(() => project.remove());
  const it = test.sequential;

  it('set-up: the example applied, and a trigger on features (a SQLite rebuild of features would drop it)', async (ctx) => {
    expectOk(await cliOn(database(ctx), { cwd: project.dir }).run(['up']));
    await withSql(database(ctx), (sql) => sql.query('create trigger features_touch after update on features begin select 1; end'));
  });

  const CANNOT: Array<[string, unknown, string]> = [
    [
      'up and down rebuild features',
      { operations: [{ op: 'alterColumn', table: 'features', column: 'name', nullable: true }] },
      'migrate-ui: cannot run on sqlite: up() and down(): rebuilding features on SQLite would drop its trigger features_touch; write this step by hand',
    ],
    [
      'only down() rebuilds features (restoring a NOT NULL column)',
      { operations: [{ op: 'dropColumn', table: 'features', column: 'name' }] },
      'migrate-ui: cannot run on sqlite: down(): rebuilding features on SQLite would drop its trigger features_touch; write this step by hand',
    ],
  ];
  for (const [what, spec, line] of CANNOT) {
    for (const flags of [[], ['--print'], ['--json']]) {
      it(`${what}${flags.length ? ` (${flags[0]})` : ''}: exit 2, the form's words, nothing written`, async (ctx) => {
        const file = join(project.dir, 'spec.json');
        writeFileSync(file, JSON.stringify(spec));
        const before = tree(project.dir);
        const result = await cliOn(database(ctx), { cwd: project.dir }).run(['new', 'cannot_run', '--spec', file, ...flags]);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr.split('\n')[0]).toBe(line);
        expect(result.stderr).not.toContain('    at ');
        expect(tree(project.dir)).toEqual(before);
      });
    }
  }
});

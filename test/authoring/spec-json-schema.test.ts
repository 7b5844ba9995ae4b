import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { OPERATION_NAMES } from '../../src/authoring/ops/index.js';
import { specJsonSchemaText } from '../../src/authoring/spec-schema.js';
import { ROOT } from '../helpers/cli.js';
import { cliOn, expectOk } from '../helpers/expect-cli.js';
import { authoringProject } from '../helpers/real-project.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Issue 19: the JSON Schema of a `--spec` file ships in the package (schema/spec.schema.json), written by `npm run schema`
// from the operations' zod schemas; a spec names it in "$schema" and an editor completes and checks the file.
const FILE = join(ROOT, 'schema', 'spec.schema.json');

describe('the JSON Schema of a spec file', () => {
  test('the committed schema/spec.schema.json is what `npm run schema` writes (run it after changing an operation)', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(specJsonSchemaText());
  });

  test('it lists every operation, each refusing fields it does not have, and allows "$schema"', () => {
    const schema = JSON.parse(readFileSync(FILE, 'utf8'));
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'operations']);
    const operations: Array<{ properties: { op: { const: string } }; additionalProperties: boolean }> = schema.properties.operations.items.oneOf;
    expect(operations.map((o) => o.properties.op.const)).toEqual(OPERATION_NAMES);
    for (const operation of operations) expect(operation.additionalProperties).toBe(false);
    const createTable = operations.find((o) => o.properties.op.const === 'createTable') as unknown as {
      properties: { columns: { items: { properties: Record<string, { enum?: string[] }>; additionalProperties: boolean } } };
    };
    expect(createTable.properties.columns.items.additionalProperties).toBe(false);
    expect(createTable.properties.columns.items.properties.type.enum).toContain('decimal');
  });

  test('package.json ships it', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files).toContain('schema/');
  });
});

describe('a spec that names the schema (SQLite)', () => {
  const database = useTestDatabase('sqlite');
  const project = authoringProject();
  afterAll(() => project.remove());
  const it = test.sequential;

  it('"$schema" as the README says it resolves in the project, and `new --spec` writes the revision', async (ctx) => {
    const $schema = './node_modules/migrate-ui/schema/spec.schema.json';
    expect(existsSync(join(project.dir, $schema))).toBe(true);
    const file = join(project.dir, 'spec.json');
    writeFileSync(file, JSON.stringify({ $schema, operations: [{ op: 'dropIndex', table: 'features', name: 'ix_features_slug' }] }));
    expectOk(await cliOn(database(ctx), { cwd: project.dir }).run(['up']));
    expectOk(await cliOn(database(ctx), { cwd: project.dir }).run(['new', 'drop_slug_index', '--spec', file]));
    expect(readdirSync(project.migrationsDir).filter((f) => f.endsWith('_drop_slug_index.ts'))).toHaveLength(1);
  });
});

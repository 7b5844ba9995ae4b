import { describe, expect, it } from 'vitest';
import { readRevisionFile } from '../../../src/core/lint/revision-file.js';

const GENERATED = `import { Migration } from '@mikro-orm/migrations';
import { ops } from 'migrate-ui';

/**
 * Add slug
 * @migrate-ui spec {"name":"add_slug","operations":[{"op":"dropColumn","table":"features","column":"slug"}]}
 */
export class Migration20260101000000_add_slug extends Migration {
  override async up(): Promise<void> {
    const op = ops(this);
    op.dropColumn('features', 'slug');
  }

  override async down(): Promise<void> {
    const op = ops(this);
    op.addColumn('features', { name: 'slug', type: 'string', nullable: true });
  }
}
`;

describe('readRevisionFile', () => {
  it('reads a generated file once: its class, base, spec marker, operation calls with their literal arguments', () => {
    const reading = readRevisionFile(GENERATED);
    expect(reading.className).toBe('Migration20260101000000_add_slug');
    expect(reading.extends).toBe('Migration');
    expect(JSON.parse(reading.markers.get('spec') ?? '')).toEqual({
      name: 'add_slug',
      operations: [{ op: 'dropColumn', table: 'features', column: 'slug' }],
    });
    expect([...reading.methods.keys()]).toEqual(['up', 'down']);
    expect(reading.methods.get('up')?.parts).toEqual([
      { call: { method: 'dropColumn', args: ['features', 'slug'], text: "op.dropColumn('features', 'slug')" } },
    ]);
    expect(reading.methods.get('down')?.parts).toEqual([
      {
        call: {
          method: 'addColumn',
          args: ['features', { name: 'slug', type: 'string', nullable: true }],
          text: "op.addColumn('features', { name: 'slug', type: 'string', nullable: true })",
        },
      },
    ]);
    // The same text is read once.
    expect(readRevisionFile(GENERATED)).toBe(reading);
  });

  it('is not fooled by comments and strings', () => {
    const source = `// export class Decoy extends DataMigration { steps() { return []; } }
import { Migration } from '@mikro-orm/migrations';
const note = 'export class Fake extends DataMigration { up() {} }';
export class Migration1_real extends Migration { // extends DataMigration
  override async up(): Promise<void> {
    // this.addSql('drop table users');
    this.addSql('create table t (id int)');
    this.addSql("select 'addSql(' as x", []);
    log(\`addSql(\${x})\`);
  }
}
`;
    const reading = readRevisionFile(source);
    expect(reading.className).toBe('Migration1_real');
    expect(reading.extends).toBe('Migration');
    expect(reading.markers.has('data')).toBe(false);
    expect([...reading.methods.keys()]).toEqual(['up']);
    expect(reading.methods.get('up')?.addSql).toEqual(['create table t (id int)', "select 'addSql(' as x"]);
    expect(reading.methods.get('up')?.parts).toEqual([
      { string: 'create table t (id int)', argumentOf: 'addSql' },
      { string: "select 'addSql(' as x", argumentOf: 'addSql' },
      { string: 'addSql()', substituted: true, argumentOf: 'log' },
    ]);
  });

  it('reads a data migration: its base through a namespace, its steps, and a marker in a comment only', () => {
    const data = readRevisionFile(`import * as mui from 'migrate-ui';
/** @migrate-ui data */
export class Migration2_fill extends mui.DataMigration {
  steps() { return [{ table: 't', set: { a: '1' } }]; }
}
`);
    expect(data.extends).toBe('DataMigration');
    expect(data.markers.get('data')).toBe('');
    expect([...data.methods.keys()]).toEqual(['steps']);
    const inString = readRevisionFile(`export class M extends Migration {\n  up() { this.addSql('select 1 -- @migrate-ui data'); }\n}\n`);
    expect(inString.markers.size).toBe(0);
  });

  it('finds no migration class when none has a method a revision kind reads', () => {
    const reading = readRevisionFile('export class Helper { run() {} }\nexport const up = 1;\n');
    expect(reading.className).toBeUndefined();
    expect(reading.methods.size).toBe(0);
  });
});

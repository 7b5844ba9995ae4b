import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checksumOf, listRevisionFiles, revisionName } from '../../src/core/revisions.js';

const MIGRATION = (name: string) => `import { Migration } from '@mikro-orm/migrations';
export class ${name} extends Migration {
  override async up(): Promise<void> { this.addSql('select 1'); }
}
`;

describe('listRevisionFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mui-revisions-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  write('Migration2_b.ts', MIGRATION('Migration2_b'));
  write('Migration1_a.ts', MIGRATION('Migration1_a'));
  write('Migration1_a.js', 'exports.x = 1;\n'); // a build output beside its source
  write('Migration1_a.d.ts', 'export {};\n');
  write('Migration3_data.ts', `/** @migrate-ui data */\n${MIGRATION('Migration3_data')}`);
  write('Migration4_syntax.ts', 'export class Migration4_syntax extends Migration {\n  up( {\n}\n');
  write('Migration5_noclass.ts', 'export const up = 1;\n');
  write('.Migration6_hidden.ts', MIGRATION('Migration6_hidden'));
  // What a comment or a string says is not the code: a schema migration, and a file whose only class is in a comment.
  write(
    'Migration7_comment.ts',
    `// extends DataMigration, one day\n${MIGRATION('Migration7_comment').replace("'select 1'", "'select 1 /* extends DataMigration */', '@migrate-ui data'")}`,
  );
  write('Migration8_commented.ts', '// export class Migration8 extends Migration { up() {} }\nexport const up = "class X { up() {} }";\n');
  write('Migration9_dotted.ts', MIGRATION('Migration9_dotted').replace('extends Migration', 'extends mui.DataMigration').replace('up()', 'steps()'));
  write('README.md', '# not a migration\n');

  it('lists migration files by name, once each, with kind and the reason a file cannot load', async () => {
    const files = await listRevisionFiles(dir);
    expect(files.map((f) => [f.name, f.kind, f.error ?? null])).toEqual([
      ['Migration1_a', 'schema', null],
      ['Migration2_b', 'schema', null],
      ['Migration3_data', 'data', null],
      ['Migration4_syntax', 'schema', expect.stringMatching(/^syntax error at line \d+: /)],
      ['Migration5_noclass', 'schema', 'no migration class with an up() method'],
      ['Migration7_comment', 'schema', null],
      ['Migration8_commented', 'schema', 'no migration class with an up() method'],
      ['Migration9_dotted', 'data', null],
    ]);
    expect(files[0].path).toBe(join(dir, 'Migration1_a.ts'));
    expect(files[0].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers for the text as it is now, and by its kind: the same TypeScript is broken in a .js file', async () => {
    const again = mkdtempSync(join(tmpdir(), 'mui-revisions-'));
    try {
      const broken = 'export class Migration7_fix extends Migration {\n  up( {\n}\n';
      writeFileSync(join(again, 'Migration7_fix.ts'), broken);
      expect((await listRevisionFiles(again))[0].error).toMatch(/^syntax error at line \d+: /);
      writeFileSync(join(again, 'Migration7_fix.ts'), MIGRATION('Migration7_fix'));
      expect((await listRevisionFiles(again))[0].error).toBeUndefined();
      writeFileSync(join(again, 'Migration7_fix.ts'), broken);
      expect((await listRevisionFiles(again))[0].error).toMatch(/^syntax error at line \d+: /);
      rmSync(join(again, 'Migration7_fix.ts'));
      writeFileSync(join(again, 'Migration7_fix.js'), MIGRATION('Migration7_fix'));
      expect((await listRevisionFiles(again))[0].error).toMatch(/^syntax error at line \d+: /);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  it('gives no revisions for a folder that does not exist', async () => {
    expect(await listRevisionFiles(join(dir, 'nope'))).toEqual([]);
  });
});

describe('checksumOf and revisionName', () => {
  it('ignores line endings but not content', () => {
    expect(checksumOf('a\r\nb\r\n')).toBe(checksumOf('a\nb\n'));
    expect(checksumOf('a\nb\n')).not.toBe(checksumOf('a\nb \n'));
  });

  it('names a revision after its file without the extension', () => {
    expect(revisionName('Migration20240101120000-S.ts')).toBe('Migration20240101120000-S');
    expect(revisionName('Migration1.mjs')).toBe('Migration1');
  });
});

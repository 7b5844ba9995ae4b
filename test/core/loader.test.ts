import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BrokenRevisionError } from '../../src/core/errors.js';
import { findMigrationClass, loadMigrationClass } from '../../src/core/loader.js';

class Base {
  async up() {}
  async down() {}
}
class Migration20240101120000 extends Base {}
class Migration20240102120000 extends Base {}
class NotAMigration {}

describe('findMigrationClass', () => {
  it('finds the class when the file name differs from the class name', () => {
    expect(findMigrationClass({ Migration20240101120000 }, 'Migration20240101120000-S')).toBe(Migration20240101120000);
  });

  it('unwraps a .ts file loaded as CommonJS: { default: { MigrationX: class } }', () => {
    expect(findMigrationClass({ default: { Migration20240101120000 } }, 'Migration20240101120000-S')).toBe(Migration20240101120000);
    expect(findMigrationClass({ default: { default: Migration20240101120000 } }, 'x')).toBe(Migration20240101120000);
  });

  it('takes a default-exported class', () => {
    expect(findMigrationClass({ default: Migration20240101120000 }, 'whatever')).toBe(Migration20240101120000);
  });

  it('prefers the class named like the revision among several, and else takes the first', () => {
    const exported = { Migration20240101120000, Migration20240102120000 };
    expect(findMigrationClass(exported, 'Migration20240102120000')).toBe(Migration20240102120000);
    expect(findMigrationClass({ default: exported }, 'Migration20240102120000')).toBe(Migration20240102120000);
    expect(findMigrationClass(exported, 'Migration20249999')).toBe(Migration20240101120000);
  });

  it('ignores exports that are not migration classes', () => {
    const found = findMigrationClass({ helper: () => 1, NotAMigration, config: { a: 1 }, Migration20240101120000 }, 'x');
    expect(found).toBe(Migration20240101120000);
    expect(findMigrationClass({ NotAMigration, value: 3, nothing: null }, 'x')).toBeUndefined();
  });
});

describe('loadMigrationClass', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mui-loader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('loads a file whose class is named differently from the file', async () => {
    const path = write('Migration20240101120000-S.mjs', 'export class Migration20240101120000 { async up() {} async down() {} }\n');
    const found = await loadMigrationClass(path, 'Migration20240101120000-S');
    expect(found.name).toBe('Migration20240101120000');
  });

  it('reports a file that throws while loading as a broken revision, naming it', async () => {
    const path = write('Migration2-throws.mjs', 'throw new Error("boom at load");\n');
    const error = await loadMigrationClass(path, 'Migration2-throws').catch((e) => e);
    expect(error).toBeInstanceOf(BrokenRevisionError);
    expect(error.message).toBe('Migration2-throws cannot be loaded: boom at load');
    expect(error.exitCode).toBe(1);
  });

  it('reports a file without a migration class as a broken revision', async () => {
    const path = write('Migration3-empty.mjs', 'export const value = 1;\n');
    const error = await loadMigrationClass(path, 'Migration3-empty').catch((e) => e);
    expect(error).toBeInstanceOf(BrokenRevisionError);
    expect(error.message).toContain('Migration3-empty cannot be loaded: it exports no migration class');
  });
});

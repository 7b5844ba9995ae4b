import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import { StaleEntityFilesError } from '../../../src/authoring/entities/write.js';
import { toEntityOperation, writeEntityEdits } from '../../../src/authoring/entities/index.js';
import { ROOT, runCli } from '../../helpers/cli.js';
import { copyExample } from '../../helpers/project.js';

describe('start-up cost', () => {
  // A preload that reports, as the process exits, whether ts-morph was ever required.
  const probe = join(mkdtempSync(join(tmpdir(), 'mui-probe-')), 'probe.cjs');
  const report = "'ts-morph loaded: ' + Object.keys(require.cache).some((k) => k.includes('/node_modules/ts-morph/')) + '\\n'";
  writeFileSync(probe, `process.on('exit', () => process.stderr.write(${report}));\n`);
  afterAll(() => rmSync(dirname(probe), { recursive: true, force: true }));

  test('importing the entity editor loads no ts-morph; its first use does', async () => {
    const entry = join(ROOT, 'dist/src/authoring/entities/index.js');
    const script = `const m = await import(${JSON.stringify(entry)});
const { createRequire } = await import('node:module');
const loaded = () => Object.keys(createRequire(process.cwd() + '/').cache).some((k) => k.includes('/node_modules/ts-morph/'));
console.log(loaded());
m.findEntities({ configPath: 'none.ts', projectDir: '.', baseDir: '.', entities: [] });
console.log(loaded());`;
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('false\ntrue\n');
  });

  test('status on the example project never loads it', async () => {
    const project = copyExample();
    onTestFinished(() => project.remove());
    const result = await runCli(['status'], { cwd: project.dir, env: { NODE_OPTIONS: `--require ${probe}` } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('ts-morph loaded: false');
  });
});

describe('writeEntityEdits', () => {
  test('writes new and changed files, removes deleted ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mui-write-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'a.ts'), 'a');
    writeFileSync(join(dir, 'b.ts'), 'b');
    writeEntityEdits([
      { path: join(dir, 'a.ts'), before: 'a', after: 'A' },
      { path: join(dir, 'b.ts'), before: 'b', after: null },
      { path: join(dir, 'sub/c.ts'), before: null, after: 'C' },
    ]);
    expect(readFileSync(join(dir, 'a.ts'), 'utf8')).toBe('A');
    expect(existsSync(join(dir, 'b.ts'))).toBe(false);
    expect(readFileSync(join(dir, 'sub/c.ts'), 'utf8')).toBe('C');
  });

  test('a file changed since it was read stops every write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mui-write-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'a.ts'), 'a');
    writeFileSync(join(dir, 'b.ts'), 'edited meanwhile');
    const edits = [
      { path: join(dir, 'a.ts'), before: 'a', after: 'A' },
      { path: join(dir, 'b.ts'), before: 'b', after: 'B' },
      { path: join(dir, 'c.ts'), before: null, after: 'C' },
    ];
    expect(() => writeEntityEdits(edits)).toThrow(StaleEntityFilesError);
    expect(readFileSync(join(dir, 'a.ts'), 'utf8')).toBe('a');
    expect(existsSync(join(dir, 'c.ts'))).toBe(false);
  });
});

test('toEntityOperation adds what the live schema resolved, and leaves out sql and backfill', () => {
  const before = { name: 'priority', type: 'integer' as const, nullable: true };
  const after = { name: 'priority', type: 'bigint' as const, default: 1 };
  expect(
    toEntityOperation(
      { op: 'alterColumn', table: 'features', column: 'priority', type: 'bigint', nullable: false, default: 1 },
      { op: 'alterColumn', before, after },
    ),
  ).toEqual({
    op: 'alterColumn',
    table: 'features',
    column: after,
    before,
  });
  expect(
    toEntityOperation(
      { op: 'dropIndex', table: 'projects', name: 'ix_projects_user_id' },
      { op: 'dropIndex', name: 'ix_projects_user_id', columns: ['user_id'], unique: false },
    ),
  ).toEqual({ op: 'dropIndex', table: 'projects', name: 'ix_projects_user_id', columns: ['user_id'], unique: false });
  expect(
    toEntityOperation(
      { op: 'addForeignKey', table: 'projects', columns: ['user_id'], references: { table: 'users', columns: ['id'] }, onDelete: 'cascade' },
      { op: 'addForeignKey', name: 'projects_user_id_foreign' },
    ),
  ).toEqual({
    op: 'addForeignKey',
    table: 'projects',
    columns: ['user_id'],
    references: { table: 'users', columns: ['id'] },
    onDelete: 'cascade',
    onUpdate: undefined,
    name: 'projects_user_id_foreign',
  });
  expect(toEntityOperation({ op: 'renameTable', from: 'a', to: 'b' }, { op: 'none' })).toEqual({ op: 'renameTable', from: 'a', to: 'b' });
  expect(toEntityOperation({ op: 'sql', up: 'select 1', down: '' }, { op: 'none' })).toBeUndefined();
});

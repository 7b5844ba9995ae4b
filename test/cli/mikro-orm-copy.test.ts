import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

// A project with its own copy of @mikro-orm/* (a real copy, not a link: Node would fold a link into one module).
// Its entities are EntitySchema instances of its copy; MikroORM's discovery only accepts them from the same copy.
describe('a project with its own @mikro-orm/core', () => {
  let project: string;

  beforeAll(() => {
    // Inside the repository, so the copies still find knex, sqlite3 & co. in our node_modules.
    mkdirSync(join(ROOT, '.test-tmp'), { recursive: true });
    project = mkdtempSync(join(ROOT, '.test-tmp', 'own-copy-'));
    for (const pkg of ['core', 'knex', 'sqlite', 'migrations']) {
      cpSync(join(ROOT, 'node_modules', '@mikro-orm', pkg), join(project, 'node_modules', '@mikro-orm', pkg), { recursive: true });
    }
    for (const entry of ['entities', 'migrations', 'mikro-orm.config.ts']) {
      cpSync(join(ROOT, entry), join(project, entry), { recursive: true });
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'own-copy', type: 'module' }));
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('loads one copy of MikroORM: up applies everything and check finds entities and schema in sync', async () => {
    const up = await runCli(['up'], { cwd: project });
    expect(up.stderr).toContain('applied  Migration20260106090000_add_feature_slug_index');
    expect(up.code).toBe(0);

    const check = await runCli(['check'], { cwd: project });
    expect(check.stdout).toContain('entities and schema are in sync');
    expect(check.code).toBe(0);
  });
});

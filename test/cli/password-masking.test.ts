import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTestDatabase } from '../helpers/use-database.js';

// Issue 17: no character of a password reaches the terminal, whatever it holds (`@` then a space, `:`, `%40`),
// and credential query parameters (?password=, ?sslpassword=) are secrets as well.
const HOSTILE = ['qzx@vkw jyp', 'Jq7@ Zx9@ Wv4', 'kvq:wz8 yjx%40hb3'];

/** Every run of three or more letters and digits of the secrets, raw and decoded: none may be printed. */
function fragments(...secrets: string[]): string[] {
  return secrets.flatMap((s) => [s, decodeURIComponent(s)]).flatMap((s) => s.split(/[^A-Za-z0-9]+/).filter((part) => part.length >= 3));
}

function expectNoSecret(output: string, secrets: string[]): void {
  for (const part of fragments(...secrets)) expect(output, `"${part}" was printed`).not.toContain(part);
}

describe('passwords in a PostgreSQL URL (the server here trusts any password)', () => {
  const database = useTestDatabase('postgresql');

  it.for(HOSTILE)('the password %j is never printed: status, unreachable server, malformed URL, with and without DEBUG', async (password, ctx) => {
    const { username, host, pathname } = new URL(database(ctx).url);
    const cases = [
      {
        url: `postgres://${username}:${password}@${host}${pathname}`,
        code: 0,
        first: `migrate-ui · postgresql · postgres://${username}:***@${host}${pathname}`,
      },
      {
        url: `postgres://${username}:${password}@127.0.0.1:1${pathname}`,
        code: 2,
        first: `migrate-ui: cannot connect to postgres://${username}:***@127.0.0.1:1${pathname}: connection refused`,
      },
      {
        url: `postgres://${username}:${password}@127.0.0.1:notaport${pathname}`,
        code: 2,
        first: `migrate-ui: malformed database URL postgres://${username}:***@127.0.0.1:notaport${pathname}`,
      },
    ];
    for (const { url, code, first } of cases) {
      for (const env of [{}, { DEBUG: 'migrate-ui' }]) {
        const result = await runCli(['status', '--db', url], { env });
        expect(result.code, result.stderr).toBe(code);
        expect((code === 0 ? result.stdout : result.stderr).split('\n')[0]).toBe(first);
        expectNoSecret(`${result.stdout}${result.stderr}`, [password]);
      }
    }
  });

  it('?password= and ?sslpassword= in the query string show as ***, in the header and in errors', async (ctx) => {
    const { username, host, pathname } = new URL(database(ctx).url);
    const secrets = ['Rq8vT3kz', 'Hy5wLp2m'];
    const query = `?password=${secrets[0]}&sslpassword=${secrets[1]}`;
    const ok = await runCli(['status', '--db', `postgres://${username}@${host}${pathname}${query}`]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.split('\n')[0]).toBe(`migrate-ui · postgresql · postgres://${username}@${host}${pathname}?password=***&sslpassword=***`);
    expectNoSecret(`${ok.stdout}${ok.stderr}`, secrets);
    const down = await runCli(['status', '--db', `postgres://${username}@127.0.0.1:1${pathname}${query}`], { env: { DEBUG: 'migrate-ui' } });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('    at ');
    expectNoSecret(`${down.stdout}${down.stderr}`, secrets);
  });
});

import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { expectShortError } from '../helpers/expect-cli.js';

// A server that accepts the connection and never says a word. Before the fix PostgreSQL said "timed out"
// after 30 s and then the process never exited; every dialect must give up within the connect timeout.
describe.concurrent('a server that accepts TCP and never answers', () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  for (const scheme of ['postgres', 'mysql', 'mariadb']) {
    it(`${scheme}://: exit 2 saying it timed out, within 15 s`, async () => {
      const started = Date.now();
      const result = await runCli(['status', '--db', `${scheme}://user:hunter22@127.0.0.1:${port}/app`], { timeoutMs: 30_000 });
      const lines = expectShortError(result, 2);
      expect(lines[0]).toBe(`migrate-ui: cannot connect to ${scheme}://user:***@127.0.0.1:${port}/app: timed out after 10 s`);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(result.stderr + result.stdout).not.toContain('hunter22');
    });
  }
});

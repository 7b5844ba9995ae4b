import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/report.js';
import { ConnectionError, LockLostError, LockTimeoutError, NoConfigError, PlanChangedError, UnsupportedError, UsageError } from '../../src/index.js';
import { parseDatabaseUrl } from '../../src/core/url.js';
import { errorText } from '../../src/ui/error-text.js';

const SECRET = 's3cr@t/PW x';
const URL_WITH_SECRET = `postgres://app:${encodeURIComponent(SECRET)}@db.internal:5432/shop`;

/** What the command line prints for an error, and its exit code. */
function cli(error: unknown): { lines: string[]; code: number } {
  const lines: string[] = [];
  const io = { stdout: () => {}, stderr: (t: string) => lines.push(t), isTTY: false, cwd: '/', env: {} };
  const code = reportError(error, io);
  return { lines, code };
}

// One core error, two wordings: the command line adds flags, the TUI adds keys; the line itself is the same,
// and neither ever shows a password (issue 7, DESIGN §3).
describe('the same core error in the CLI and in the TUI', () => {
  parseDatabaseUrl(URL_WITH_SECRET); // as --db does: the password is now known, wherever it turns up

  const cases: Array<{ what: string; error: unknown; code: number; cliHint: RegExp | null; tuiHint: RegExp | null }> = [
    {
      what: 'a lock held past the timeout',
      error: new LockTimeoutError('the migration lock is held by pid 7 on host since 2026-01-01T00:00:00.000Z; gave up after 1 s', {
        pid: 7,
        host: 'host',
        since: 0,
      }),
      code: 3,
      cliHint: /raise --lock-timeout/,
      tuiHint: /try again/,
    },
    {
      what: 'a plan that changed under the lock',
      error: new PlanChangedError(['A'], ['A', 'B']),
      code: 2,
      cliHint: /run the command again/,
      tuiHint: /confirm it/,
    },
    {
      what: 'one transaction around DDL on MariaDB',
      error: new UnsupportedError('one transaction around the whole run is not possible on MariaDB: it commits DDL as it runs'),
      code: 2,
      cliHint: /--all-or-nothing/,
      tuiHint: null,
    },
    {
      what: 'no config',
      error: new NoConfigError('no MikroORM config found in /x', 'Run it from a project.'),
      code: 2,
      cliHint: /--config PATH/,
      tuiHint: /Run it from a project/,
    },
    {
      what: 'a lost connection',
      error: new LockLostError('the connection to the database was lost while X ran'),
      code: 2,
      cliHint: /check the timeline/,
      tuiHint: /check the timeline/,
    },
    {
      what: 'a connection error naming the URL',
      error: new ConnectionError(`cannot connect to ${URL_WITH_SECRET}: timed out after 10 s`, 'Is the server reachable from here?'),
      code: 2,
      cliHint: /reachable/,
      tuiHint: /reachable/,
    },
    {
      what: 'a usage error',
      error: new UsageError('no revision matches "x"', 'The status command lists the revision names.'),
      code: 2,
      cliHint: /status/,
      tuiHint: /status/,
    },
    {
      what: 'the database refusing a query, its message quoting the URL',
      error: Object.assign(new Error(`permission denied while reading ${URL_WITH_SECRET}`), { code: '42501', sqlState: '42501' }),
      code: 2,
      cliHint: null,
      tuiHint: null,
    },
    {
      what: 'a bug in migrate-ui',
      error: new TypeError(`x is undefined (password ${SECRET})`),
      code: 70,
      cliHint: /bug in migrate-ui/,
      tuiHint: /bug in migrate-ui/,
    },
  ];

  for (const c of cases) {
    it(c.what, () => {
      const printed = cli(c.error);
      const shown = errorText(c.error);
      expect(printed.code).toBe(c.code);
      expect(printed.lines[0]).toBe(`migrate-ui: ${shown.line}`);
      expect(printed.lines.length).toBeLessThanOrEqual(2);
      if (c.cliHint) expect(printed.lines[1]).toMatch(c.cliHint);
      else expect(printed.lines).toHaveLength(1);
      if (c.tuiHint) expect(shown.hint).toMatch(c.tuiHint);
      else expect(shown.hint).toBeUndefined();
      // Keys in the TUI, flags on the command line: the TUI never tells a person at the keyboard to pass a flag it cannot.
      if (shown.hint && c.what !== 'a lock held past the timeout') expect(shown.hint).not.toMatch(/--(all-or-nothing|config|yes)\b/);
      for (const text of [...printed.lines, shown.line, shown.hint ?? '']) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain('s3cr');
        expect(text).not.toContain(encodeURIComponent(SECRET));
      }
    });
  }
});

// Issue 17: a driver's own "socket closed" that reached the user as "the database refused: …".
describe('a connection lost outside a run', () => {
  it('is said as a lost connection, exit 2, in the CLI and the TUI alike', () => {
    const error = Object.assign(new Error('(conn:41, no: 45009, SQLState: 08S01) socket has unexpectedly been closed'), {
      code: 'ER_SOCKET_UNEXPECTED_CLOSE',
      sqlState: '08S01',
    });
    const printed = cli(error);
    expect(printed.lines).toEqual([
      'migrate-ui: the connection to the database was lost: (conn:41, no: 45009, SQLState: 08S01) socket has unexpectedly been closed',
    ]);
    expect(printed.code).toBe(2);
    expect(errorText(error).line).toBe(printed.lines[0].replace('migrate-ui: ', ''));
  });
});

import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../../src/core/errors.js';
import { maskPasswords, parseDatabaseUrl } from '../../src/core/url.js';

const rejection = (raw: string): ConnectionError => {
  try {
    parseDatabaseUrl(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).exitCode).toBe(2);
    return error as ConnectionError;
  }
  throw new Error(`expected ${raw} to be rejected`);
};

describe('parseDatabaseUrl', () => {
  it('takes sqlite:PATH and sqlite://PATH', () => {
    expect(parseDatabaseUrl('sqlite:./app.sqlite')).toEqual({ dialect: 'sqlite', target: './app.sqlite' });
    expect(parseDatabaseUrl('sqlite:/var/db/app.db')).toEqual({ dialect: 'sqlite', target: '/var/db/app.db' });
    expect(parseDatabaseUrl('sqlite:///tmp/x.sqlite')).toEqual({ dialect: 'sqlite', target: '/tmp/x.sqlite' });
  });

  it('takes a bare path ending .sqlite, .sqlite3 or .db as SQLite', () => {
    for (const path of ['app.sqlite', './data/app.sqlite3', '/tmp/APP.DB'])
      expect(parseDatabaseUrl(path)).toEqual({ dialect: 'sqlite', target: path });
  });

  it('maps each server scheme to its dialect and keeps the URL', () => {
    const cases = {
      'postgres://app:pw@db:5432/shop': 'postgresql',
      'postgresql://db/shop': 'postgresql',
      'POSTGRES://db/shop': 'postgresql',
      'mysql://root@127.0.0.1:3306/shop': 'mysql',
      'mariadb://root@127.0.0.1/shop': 'mariadb',
    };
    for (const [url, dialect] of Object.entries(cases)) expect(parseDatabaseUrl(`  ${url} `)).toEqual({ dialect, target: url });
  });

  it('rejects sqlite: without a file', () => {
    expect(rejection('sqlite:').message).toContain('names no file');
  });

  it('rejects an unknown scheme with the password masked', () => {
    const error = rejection('oracle://scott:tiger@db:1521/orcl');
    expect(error.message).toBe('unknown database URL oracle://scott:***@db:1521/orcl');
    expect(error.hint).toContain('postgres://');
    expect(`${error.message} ${error.hint}`).not.toContain('tiger');
    expect(rejection('http://host/file.db').message).toContain('unknown database URL');
    expect(rejection('just-a-name').message).toContain('unknown database URL');
  });

  it('rejects a malformed server URL with the password masked', () => {
    const error = rejection('postgres://app:s3cret@db:notaport/shop');
    expect(error.message).toBe('malformed database URL postgres://app:***@db:notaport/shop');
  });
});

describe('maskPasswords', () => {
  it('replaces the password of every URL in a text', () => {
    expect(maskPasswords('postgres://app:secret@host/db')).toBe('postgres://app:***@host/db');
    expect(maskPasswords('from mysql://root:pw@a:3306/x to mariadb://u:p%40ss@b/y, done')).toBe(
      'from mysql://root:***@a:3306/x to mariadb://u:***@b/y, done',
    );
    expect(maskPasswords('redis://:onlypass@host')).toBe('redis://:***@host');
  });

  it('leaves URLs without a password and plain text alone', () => {
    for (const text of ['postgres://app@host:5432/db', 'mysql://127.0.0.1:3306/x', 'no url here: a:b@c']) expect(maskPasswords(text)).toBe(text);
  });
});

describe('maskPasswords with hostile passwords (issue 17)', () => {
  it("hides a whole URL's password up to its last @, spaces and all", () => {
    expect(maskPasswords('postgres://postgres:secr@t pa ss@host/db')).toBe('postgres://postgres:***@host/db');
    expect(maskPasswords('mysql://u:a@ b@ c@127.0.0.1:3306/x')).toBe('mysql://u:***@127.0.0.1:3306/x');
  });

  it('hides a password parseDatabaseUrl saw wherever it turns up later, inside a longer text', () => {
    const url = 'postgres://postgres:Wq7@ Zk9 Vb3@127.0.0.1:notaport/db';
    expect(() => parseDatabaseUrl(url)).toThrow('malformed database URL postgres://postgres:***@127.0.0.1:notaport/db');
    expect(maskPasswords(`Error: cannot reach ${url}\n    at x (y.js:1:1)`)).toBe(
      'Error: cannot reach postgres://postgres:***@127.0.0.1:notaport/db\n    at x (y.js:1:1)',
    );
  });

  it('hides such a password in the unknown-scheme error too', () => {
    expect(() => parseDatabaseUrl('oracle://scott:Tq5@ Lm8@db:1521/orcl')).toThrow(/^unknown database URL oracle:\/\/scott:\*\*\*@db:1521\/orcl$/);
  });

  it('hides credential query parameters, leaves the others', () => {
    expect(maskPasswords('postgres://u@h/db?password=pw&sslmode=require&sslpassword=k1&sslkey=/k.pem&pwd=x&token=t')).toBe(
      'postgres://u@h/db?password=***&sslmode=require&sslpassword=***&sslkey=***&pwd=***&token=***',
    );
    expect(maskPasswords('cannot connect to postgres://u@h/db?sslpassword=Hy5w: connection refused')).toBe(
      'cannot connect to postgres://u@h/db?sslpassword=***: connection refused',
    );
    parseDatabaseUrl('postgres://u@h/db?password=Qp4%20Zr8');
    expect(maskPasswords('auth failed for Qp4 Zr8')).toBe('auth failed for ***');
  });
});

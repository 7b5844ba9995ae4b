import { ConnectionError } from './errors.js';
import { maskPasswords, rememberUrlSecrets } from './secrets.js';

export { maskPasswords } from './secrets.js';

export type Dialect = 'sqlite' | 'postgresql' | 'mysql' | 'mariadb';

/** A --db / DATABASE_URL value, taken apart. */
export interface DatabaseUrl {
  dialect: Dialect;
  /** The URL itself for server databases; the file path (or `:memory:`) for SQLite. */
  target: string;
}

/** Parses a --db URL: `sqlite:PATH`, a path ending .sqlite/.db, postgres(ql)://, mysql://, mariadb://. */
export function parseDatabaseUrl(raw: string): DatabaseUrl {
  const value = raw.trim();
  if (/^sqlite:/i.test(value)) {
    const path = value.replace(/^sqlite:(\/\/)?/i, '');
    if (!path) throw new ConnectionError(`database URL ${value} names no file`, 'Use sqlite:PATH, e.g. sqlite:./app.sqlite');
    return { dialect: 'sqlite', target: path };
  }
  if (/\.(sqlite3?|db)$/i.test(value) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return { dialect: 'sqlite', target: value };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  const dialects: Record<string, Dialect> = { postgres: 'postgresql', postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mariadb' };
  const dialect = scheme ? dialects[scheme] : undefined;
  if (!dialect) {
    throw new ConnectionError(`unknown database URL ${maskPasswords(value)}`, 'Use sqlite:PATH, postgres://, postgresql://, mysql:// or mariadb://');
  }
  rememberUrlSecrets(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConnectionError(
      `malformed database URL ${maskPasswords(value)}`,
      'Check the URL (postgres://user@host:5432/db); in a password write / @ : and a space as %2F %40 %3A %20.',
    );
  }
  rememberUrlSecrets(url.href);
  return { dialect, target: value };
}

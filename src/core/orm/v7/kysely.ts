import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

let loaded: Promise<Record<string, unknown>> | undefined;

/**
 * The Kysely that MikroORM's SQL package runs on, as the ES module it already loaded: import() of the same file finds
 * it in the loader's cache. A require() would instead hand its 250 files to tsx's require hook, which compiles them
 * to CommonJS again, a second Kysely (some 200 ms of a start on MikroORM 7).
 */
export function kysely<T = Record<string, unknown>>(): Promise<T> {
  loaded ??= (async () => {
    const sql = createRequire(import.meta.url).resolve('@mikro-orm/sql');
    return import(pathToFileURL(createRequire(sql).resolve('kysely')).href) as Promise<Record<string, unknown>>;
  })();
  return loaded as Promise<T>;
}

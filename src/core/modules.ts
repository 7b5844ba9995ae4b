import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const requireHere = createRequire(import.meta.url);

/**
 * Loads a `@mikro-orm/*` package through require(), so that the CLI's resolver pin (see
 * src/cli/bootstrap.ts) hands every caller the same copy the project's own files get.
 */
export function mikroOrm<T = unknown>(pkg: `@mikro-orm/${string}`): T {
  return requireHere(pkg) as T;
}

/**
 * Imports a project file (config, entity, migration), TypeScript included; replaced by the CLI with a faster loader.
 * `fresh` (the default) reads the file as it is now; entity files are shared instead, so one class stays one class.
 */
export type FileImporter = (path: string, options?: { fresh?: boolean }) => Promise<unknown>;

let importer: FileImporter = (path) => import(pathToFileURL(path).href);

/** Sets how project files are imported (the CLI installs tsx's require hook; tests keep the default import()). */
export function setFileImporter(next: FileImporter): void {
  importer = next;
}

/**
 * Where a line of a project file's compiled code came from in its source (1-based line and column in, line out);
 * undefined where the line is the source's own. Set by the CLI for files it runs from code it kept.
 */
export type LineMapper = (path: string, line: number, column: number) => number | undefined;

let lineMapper: LineMapper = () => undefined;

export function setLineMapper(next: LineMapper): void {
  lineMapper = next;
}

/** The source line of a line of `path`'s code as it ran (a stack frame's line). */
export function sourceLine(path: string, line: number, column: number): number {
  return lineMapper(path, line, column) ?? line;
}

/** Imports a project file with the current importer. */
export function importProjectFile(path: string, options?: { fresh?: boolean }): Promise<unknown> {
  return importer(path, options);
}

/**
 * MikroORM's `dynamicImportProvider`: the entity files its discovery finds by glob load as every other project file
 * does, TypeScript included, in CommonJS and ES module projects alike (its default `import()` knows no `.ts`).
 */
export function importForMikroOrm(id: string): Promise<unknown> {
  return importer(id.startsWith('file:') ? fileURLToPath(id) : id, { fresh: false });
}

/** Whether `request` can be required from where `pkg` (a @mikro-orm/* package, pinned as above) lives. */
export function resolvableBeside(pkg: `@mikro-orm/${string}`, request: string): boolean {
  try {
    createRequire(requireHere.resolve(pkg)).resolve(request);
    return true;
  } catch {
    return false;
  }
}

/** The major version of the @mikro-orm/core that loads (the pinned copy), read from its package.json without loading it. */
export function mikroOrmMajor(): number {
  let dir = dirname(requireHere.resolve('@mikro-orm/core'));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@mikro-orm/core') return Number.parseInt(String(pkg.version), 10);
    }
    if (dirname(dir) === dir) return 6;
    dir = dirname(dir);
  }
}

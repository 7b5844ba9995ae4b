import { importProjectFile, mikroOrm } from './modules.js';
import { BrokenRevisionError, importFailure } from './errors.js';
import { orm } from './orm/index.js';
import type { MikroConfiguration, QueryBuilderFactory, SqlDriver } from './orm/port.js';

/** What the runner needs of a MikroORM migration instance. */
export interface MigrationInstance {
  up(): Promise<void> | void;
  down(): Promise<void> | void;
  isTransactional(): boolean;
  reset(): void;
  setTransactionContext(ctx: unknown): void;
  getQueries(): unknown[];
  execute(sql: unknown, params?: unknown[]): Promise<unknown>;
  getKnex(): QueryBuilderFactory;
}

export type MigrationClass = new (driver: SqlDriver, config: MikroConfiguration) => MigrationInstance;

function isMigrationClass(value: unknown): value is MigrationClass {
  return typeof value === 'function' && typeof (value as { prototype?: { up?: unknown } }).prototype?.up === 'function';
}

/** Finds the migration class among a module's exports, whatever it is called and however it is wrapped. */
export function findMigrationClass(exported: unknown, preferredName: string): MigrationClass | undefined {
  const candidates: MigrationClass[] = [];
  const visit = (value: unknown, depth: number) => {
    if (isMigrationClass(value)) candidates.push(value);
    else if (value && typeof value === 'object' && depth < 3) {
      // `.ts` loaded as CommonJS comes back as { default: { MigrationX: class } }.
      for (const inner of Object.values(value)) visit(inner, depth + 1);
    }
  };
  visit(exported, 0);
  return candidates.find((c) => c.name === preferredName) ?? candidates[0];
}

/** Imports a migration file and returns its migration class; a file that fails to load is a BrokenRevisionError. */
export async function loadMigrationClass(path: string, name: string): Promise<MigrationClass> {
  let exported: unknown;
  try {
    exported = await importProjectFile(path);
  } catch (error) {
    throw new BrokenRevisionError(name, importFailure(error));
  }
  const found = findMigrationClass(exported, name);
  if (!found) throw new BrokenRevisionError(name, 'it exports no migration class (a class with an up() method)');
  return found;
}

/** The classes this process imported, by file, name and content: a fleet's targets share one import of each revision. */
const importedByContent = new Map<string, Promise<MigrationClass>>();

/**
 * loadMigrationClass, once a process for a file's content (`checksum`): an edited file (another checksum) is imported
 * again, as it is now; one that failed to load is tried again next time.
 */
export function loadMigrationClassOnce(path: string, name: string, checksum: string): Promise<MigrationClass> {
  const key = `${path}\n${name}\n${checksum}`;
  let loading = importedByContent.get(key);
  if (!loading) {
    loading = loadMigrationClass(path, name);
    importedByContent.set(key, loading);
    loading.catch(() => importedByContent.delete(key));
  }
  return loading;
}

/** A migration instance on `driver`, whose own queries join the transaction it runs in (see OrmPort.joinTransaction). */
export function instantiate(MigrationClass: MigrationClass, driver: SqlDriver, config: MikroConfiguration): MigrationInstance {
  const migration = new MigrationClass(driver, config);
  orm.joinTransaction(migration);
  migration.reset();
  return migration;
}

/** Whether the class has a down() of its own (MikroORM's base class only throws "cannot be reverted"). */
export function hasDown(MigrationClass: MigrationClass, base = migrationBase()): boolean {
  for (let proto = MigrationClass.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (proto === base) return false;
    if (Object.hasOwn(proto, 'down')) return true;
  }
  return false;
}

/** MikroORM's Migration.prototype, the base every revision extends. */
export function migrationBase(): object {
  return mikroOrm<typeof import('@mikro-orm/migrations')>('@mikro-orm/migrations').Migration.prototype;
}

import type { EntityMetadata, MikroORM } from '@mikro-orm/core';
import type { MikroOptions } from './config.js';
import type { Database } from './database.js';
import { NoEntitiesError } from './errors.js';
import { mikroOrm } from './modules.js';

/**
 * MikroORM started on the project's entities, discovered as its CLI discovers them (`entitiesTs` where it prefers
 * TypeScript); a NoEntitiesError where it finds none, since a comparison with no entities would drop every table.
 */
export async function openEntities(db: Database, overrides: Partial<MikroOptions> = {}): Promise<MikroORM> {
  return openEntitiesOf(db.config.options, overrides);
}

/** MikroORM started on the database with no entities at all: its schema comparator and SQL, for two schemas read back. */
export async function openWithoutEntities(db: Database, overrides: Partial<MikroOptions> = {}): Promise<MikroORM> {
  const core = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  const options = db.config.options;
  return core.MikroORM.init({
    ...options,
    debug: false,
    allowGlobalContext: true,
    ...overrides,
    entities: [],
    entitiesTs: [],
    discovery: { ...options.discovery, warnWhenNoEntities: false },
  });
}

/** The same, for MikroORM options of no opened project (entities read where there is no connection to open). */
export async function openEntitiesOf(options: MikroOptions, overrides: Partial<MikroOptions> = {}): Promise<MikroORM> {
  const core = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  const orm = await core.MikroORM.init({
    ...options,
    debug: false,
    allowGlobalContext: true,
    ...overrides,
    // Said below in our words, with the paths MikroORM looked in.
    discovery: { ...options.discovery, ...overrides.discovery, warnWhenNoEntities: false },
  });
  const tables = entityMetadata(orm).filter((meta) => !meta.embeddable && !meta.virtual && !meta.abstract);
  if (tables.length > 0) return orm;
  await orm.close(true);
  // MikroORM's own rule for which list it read (MetadataDiscovery.findEntities), to name it.
  const config = orm.config;
  const list = config.get('preferTs', detectTypeScript(core.Utils)) && config.get('entitiesTs').length > 0 ? 'entitiesTs' : 'entities';
  const paths = (config.get(list) as unknown[]).filter((p): p is string => typeof p === 'string');
  throw new NoEntitiesError(list, paths, config.get('baseDir'));
}

/** Whether MikroORM finds TypeScript support (6: Utils.detectTsNode, 7: Utils.detectTypeScriptSupport). */
function detectTypeScript(utils: object): boolean {
  const own = utils as { detectTsNode?: () => boolean; detectTypeScriptSupport?: () => boolean };
  return Boolean((own.detectTsNode ?? own.detectTypeScriptSupport)?.call(utils));
}

/** Every entity's metadata MikroORM discovered (6 keeps them in an object, 7 in a Map). */
export function entityMetadata(orm: MikroORM): EntityMetadata[] {
  const all = orm.getMetadata().getAll() as unknown as Map<string, EntityMetadata> | Record<string, EntityMetadata>;
  return all instanceof Map ? [...all.values()] : Object.values(all);
}

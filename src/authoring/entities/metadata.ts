import { resolve } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { driverClass, type MikroOptions } from '../../core/config.js';
import type { Database } from '../../core/database.js';
import { entityMetadata, openEntities, openEntitiesOf } from '../../core/entities.js';
import type { Dialect } from '../../core/url.js';
import type { Naming } from './types.js';

/** A property that maps to a column, as MikroORM's discovery sees it (inherited and embedded ones included). */
export interface DiscoveredProperty {
  name: string;
  column: string;
  primary: boolean;
  nullable: boolean;
  /** A many-to-one or owning one-to-one relation, and the class name of the entity it points to. */
  relation: boolean;
  target?: string;
  /** Embedded properties live in the embeddable, not in the entity's own declaration. */
  embedded: boolean;
}

/** What discovery found per entity, by MikroORM's entity name (the class name, or the schema's `name`), and the file declaring it. */
export type DiscoveredEntities = Map<string, { table: string; properties: DiscoveredProperty[]; file?: string }>;

export interface DiscoveryInput {
  /** The opened project: its entities as check and --from-entities discover them, with every option of its config. */
  db?: Database;
  /** Without a project, the entities listed (read from these, TypeScript or not). */
  baseDir: string;
  entities: unknown[];
  namingStrategy?: unknown;
}

type Metadata = import('@mikro-orm/core').EntityMetadata;
type Property = import('@mikro-orm/core').EntityProperty;

// Discovery needs a platform; which one does not change names, keys or relations.
const ANY_DIALECT: Dialect[] = ['postgresql', 'mysql', 'mariadb', 'sqlite'];

/**
 * The entities as MikroORM's own discovery resolves them (base classes, embeddables, custom types), through
 * openEntities without a connection; undefined where discovery fails (entities it cannot load), so callers read the files alone.
 */
export async function discoverEntities(input: DiscoveryInput, naming: Naming): Promise<DiscoveredEntities | undefined> {
  const options = input.db ? undefined : listedOnly(input);
  if (!input.db && !options) return undefined;
  let orm: MikroORM;
  try {
    orm = input.db ? await openEntities(input.db, { connect: false }) : await openEntitiesOf(options!, { connect: false });
  } catch {
    return undefined;
  }
  try {
    const found: DiscoveredEntities = new Map();
    const baseDir = orm.config.get('baseDir');
    for (const meta of entityMetadata(orm) as unknown as Metadata[]) {
      if (meta.abstract || meta.embeddable || meta.virtual || !meta.tableName) continue;
      // MikroORM's `path`: where the decorator ran, or the file discovery loaded it from (relative to baseDir).
      const file = meta.path ? resolve(baseDir, meta.path) : undefined;
      found.set(meta.className, { table: meta.tableName, properties: columnsOf(meta, naming), ...(file ? { file } : {}) });
    }
    return found;
  } finally {
    await orm.close(true);
  }
}

/** MikroORM options that discover exactly the listed entities, on the first platform installed; undefined where there is none. */
function listedOnly(input: DiscoveryInput): MikroOptions | undefined {
  const driver = input.entities.length > 0 ? ANY_DIALECT.map(driverClass).find((d) => d !== undefined) : undefined;
  if (!driver) return undefined;
  return {
    driver,
    dbName: 'discovery',
    baseDir: input.baseDir,
    entities: input.entities,
    entitiesTs: input.entities,
    ...(typeof input.namingStrategy === 'function' ? { namingStrategy: input.namingStrategy } : {}),
    metadataCache: { enabled: false },
  } as MikroOptions;
}

/** The properties of an entity that own a single column (a relation's join column included). */
function columnsOf(meta: Metadata, naming: Naming): DiscoveredProperty[] {
  const owns = (p: Property) =>
    p.persist !== false &&
    p.fieldNames?.length === 1 &&
    ['scalar', 'm:1', '1:1', 'embedded'].includes(p.kind) &&
    !(p.kind === '1:1' && !p.owner) &&
    !(p.kind === 'embedded' && !p.object);
  return Object.values(meta.properties)
    .filter(owns)
    .map((p) => ({
      name: p.name,
      column: p.fieldNames[0] ?? naming.propertyToColumnName(p.name),
      primary: p.primary === true,
      nullable: p.nullable === true,
      relation: p.kind === 'm:1' || p.kind === '1:1',
      ...(p.kind === 'm:1' || p.kind === '1:1' ? { target: p.targetMeta?.className ?? p.type } : {}),
      embedded: p.embedded !== undefined || p.kind === 'embedded',
    }));
}

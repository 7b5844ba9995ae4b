import { driverClass } from '../../core/config.js';
import { mikroOrm } from '../../core/modules.js';
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

/** What discovery found per entity, by MikroORM's entity name (the class name, or the schema's `name`). */
export type DiscoveredEntities = Map<string, { table: string; properties: DiscoveredProperty[] }>;

export interface DiscoveryInput {
  baseDir: string;
  entities: unknown[];
  namingStrategy?: unknown;
}

type Metadata = import('@mikro-orm/core').EntityMetadata;
type Property = import('@mikro-orm/core').EntityProperty;

// Discovery needs a platform; which one does not change names, keys or relations.
const ANY_DIALECT: Dialect[] = ['postgresql', 'mysql', 'mariadb', 'sqlite'];

/**
 * The entities as MikroORM's own discovery resolves them (base classes, embeddables, custom types), without a
 * connection; undefined where discovery fails (entities it cannot load), so callers read the files alone.
 */
export async function discoverEntities(input: DiscoveryInput, naming: Naming): Promise<DiscoveredEntities | undefined> {
  if (input.entities.length === 0) return undefined;
  const driver = ANY_DIALECT.map(driverClass).find((d) => d !== undefined);
  if (!driver) return undefined;
  const { Configuration, MetadataDiscovery, MetadataStorage } = mikroOrm<typeof import('@mikro-orm/core')>('@mikro-orm/core');
  try {
    const config = new Configuration(
      {
        driver,
        dbName: 'discovery',
        baseDir: input.baseDir,
        entities: input.entities,
        entitiesTs: input.entities,
        ...(typeof input.namingStrategy === 'function' ? { namingStrategy: input.namingStrategy } : {}),
        metadataCache: { enabled: false },
        discovery: { warnWhenNoEntities: false },
        debug: false,
      } as never,
      false,
    );
    const discovery = new MetadataDiscovery(MetadataStorage.init(), config.getPlatform(), config);
    const storage = await discovery.discover(true);
    const found: DiscoveredEntities = new Map();
    for (const meta of Object.values(storage.getAll()) as Metadata[]) {
      if (meta.abstract || meta.embeddable || meta.virtual || !meta.tableName) continue;
      found.set(meta.className, { table: meta.tableName, properties: columnsOf(meta, naming) });
    }
    return found;
  } catch {
    return undefined;
  }
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

import type { MikroORM } from '@mikro-orm/core';
import { mikroOrm } from '../../modules.js';
import type { EntityComparison, LiveSchema, MikroConfiguration, SchemaDifference, SqlDriver } from '../port.js';

type KnexModule = typeof import('@mikro-orm/knex');

/** The live schema through MikroORM 6's introspection; DatabaseSchema is marked internal, but its schema diff stands on it. */
export function readSchema(driver: SqlDriver, config: MikroConfiguration, schemaName?: string, tables?: string[]): Promise<LiveSchema> {
  const { DatabaseSchema } = mikroOrm<KnexModule>('@mikro-orm/knex');
  return DatabaseSchema.create(driver.getConnection(), driver.getPlatform(), config, schemaName, undefined, tables);
}

/** What MikroORM 6's schema generator does for `schema:update`, called step by step (the comparison step is private). */
interface Generator {
  prepareSchemaForComparison(options: object): Promise<{ fromSchema: LiveSchema; toSchema: LiveSchema }>;
  diffToSQL(diff: SchemaDifference, options: object): Promise<string>;
}

/** The entities compared with the database, as `schema:update` (and `migration:create`) compare them. */
export async function compareEntities(orm: MikroORM, options: object = {}): Promise<EntityComparison> {
  const { SchemaComparator } = mikroOrm<KnexModule>('@mikro-orm/knex');
  const generator = orm.getSchemaGenerator() as unknown as Generator;
  // One options object, as getUpdateSchemaSQL passes it: the comparison fills in what the SQL then reads (safe, dropTables).
  const { fromSchema, toSchema } = await generator.prepareSchemaForComparison(options);
  const comparator = new SchemaComparator(orm.em.getPlatform() as never);
  return {
    fromSchema,
    toSchema,
    compare: (from, to, inverse) => comparator.compare(from, to, inverse),
    toSQL: (diff, own) => generator.diffToSQL(diff as SchemaDifference, own ?? options),
  };
}

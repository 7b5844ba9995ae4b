import type { MikroORM } from '@mikro-orm/core';
import { mikroOrm } from '../../modules.js';
import type { EntityComparison, LiveSchema, MikroConfiguration, SchemaDifference, SqlDriver } from '../port.js';

/** The part of @mikro-orm/sql (MikroORM 7) used here. */
interface SqlModule {
  DatabaseSchema: {
    create(
      connection: unknown,
      platform: unknown,
      config: unknown,
      schemaName?: string,
      schemas?: string[],
      takeTables?: unknown,
      skipTables?: unknown,
    ): Promise<LiveSchema>;
  };
  SchemaComparator: new (platform: unknown) => { compare(from: LiveSchema, to: LiveSchema, inverse?: SchemaDifference): SchemaDifference };
}

/** The live schema through MikroORM 7's introspection (DatabaseSchema, which its schema diff stands on). */
export function readSchema(driver: SqlDriver, config: MikroConfiguration, schemaName?: string, tables?: string[]): Promise<LiveSchema> {
  const { DatabaseSchema } = mikroOrm<SqlModule>('@mikro-orm/sql');
  return DatabaseSchema.create(driver.getConnection(), driver.getPlatform(), config, schemaName, undefined, tables);
}

/** What MikroORM 7's schema generator (`orm.schema`) does for `schema:update`, step by step (the comparison step is private). */
interface Generator {
  ensureDatabase?(): Promise<unknown>;
  prepareSchemaForComparison(options: object): Promise<{ fromSchema: LiveSchema; toSchema: LiveSchema }>;
  diffToSQL(diff: SchemaDifference, options: object): string | Promise<string>;
}

/** The entities compared with the database, as `schema:update` (and `migration:create`) compare them. */
export async function compareEntities(orm: MikroORM, options: object = {}): Promise<EntityComparison> {
  const { SchemaComparator } = mikroOrm<SqlModule>('@mikro-orm/sql');
  const generator = (orm as unknown as { schema: Generator }).schema;
  const { fromSchema, toSchema } = await generator.prepareSchemaForComparison(options);
  const comparator = new SchemaComparator(orm.em.getPlatform());
  return {
    fromSchema,
    toSchema,
    compare: (from, to, inverse) => comparator.compare(from, to, inverse),
    toSQL: async (diff, own) => generator.diffToSQL(diff as SchemaDifference, own ?? options),
  };
}

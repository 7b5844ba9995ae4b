import type { EntityProperty } from '@mikro-orm/core';
import type { Database } from '../core/database.js';
import { entityMetadata, openEntities } from '../core/entities.js';
import { orm } from '../core/orm/index.js';
import { OWN_TABLES } from '../core/check.js';
import { namedChecks } from '../core/sqlite-table.js';
import type { ColumnDefault, ColumnType, ReferentialAction } from './spec.js';

/** A column of the live schema, in the spec's terms where it has them. */
export interface LiveColumn {
  name: string;
  /** The spec type MikroORM maps the column to; undefined for a type the spec cannot name (an enum, an array…). */
  type: ColumnType | undefined;
  /** The column's type as the database declares it. */
  dbType: string;
  nullable: boolean;
  /** The default as SQL, as the database reports it. */
  default: ColumnDefault | undefined;
  primary: boolean;
  /** A primary key the database numbers (autoincrement, serial, auto_increment). */
  autoincrement?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  /** A pending revision written by hand that creates or changes it: read from its SQL, so its default and details are not known. */
  madeBy?: string;
}

export interface LiveIndex {
  name: string;
  columns: string[];
  unique: boolean;
  /** A unique constraint (PostgreSQL) rather than an index. */
  constraint: boolean;
}

export interface LiveForeignKey {
  name: string;
  columns: string[];
  references: { table: string; columns: string[] };
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
}

export interface LiveCheck {
  name: string;
  /** The condition, as the database reports it. */
  expression: string;
}

export interface LiveTable {
  name: string;
  columns: LiveColumn[];
  indexes: LiveIndex[];
  foreignKeys: LiveForeignKey[];
  /** Check constraints (absent where a pending revision's SQL made the table). */
  checks?: LiveCheck[];
}

/** The live schema as authoring sees it: every table of the project's schema but migrate-ui's and MikroORM's own. */
export interface SchemaSnapshot {
  tables: Map<string, LiveTable>;
  /** migrate-ui's tables and MikroORM's history table (as the config names it): never the target of an operation. */
  ownTables?: string[];
}

/** MikroORM's mapped types the spec names exactly (a column of one, made by an operation, maps back to it). */
export const SPEC_TYPES: Record<string, ColumnType> = {
  StringType: 'string',
  TextType: 'text',
  IntegerType: 'integer',
  BigIntType: 'bigint',
  BooleanType: 'boolean',
  FloatType: 'float',
  DoubleType: 'double',
  DecimalType: 'decimal',
  JsonType: 'json',
  DateType: 'date',
  DateTimeType: 'datetime',
  UuidType: 'uuid',
  BlobType: 'blob',
};

/** A live column's type as the spec's nearest: the smaller integers read as integer. */
const TYPE_NAMES: Record<string, ColumnType> = { ...SPEC_TYPES, SmallIntType: 'integer', MediumIntType: 'integer', TinyIntType: 'integer' };

/** The spec type of a MikroORM mapped type (by its class name), where the spec has one. */
export function specTypeOf(mappedType: string): ColumnType | undefined {
  return TYPE_NAMES[mappedType];
}

/** A database type's spec type (`varchar(255)` → string) as the connected database's platform maps it. */
export type SpecTypeOf = (dbType: string) => LiveColumn['type'];

/** The connected platform's SpecTypeOf. */
export function specTypes(db: Database): SpecTypeOf {
  const platform = db.driver.getPlatform();
  return (type) => specTypeOf(platform.getMappedType(type).constructor.name);
}

export const ACTIONS: Record<string, ReferentialAction> = {
  cascade: 'cascade',
  restrict: 'restrict',
  'set null': 'set null',
  'no action': 'no action',
};

/** Reads the live schema through MikroORM's own introspection (what `migration:create` diffs against). */
export async function readSnapshot(db: Database): Promise<SchemaSnapshot> {
  // MikroORM's own (what its schema diff stands on): no introspection of our own.
  const schema = await orm.readSchema(db.driver, db.mikroConfig, db.schema);
  const skip = new Set([...OWN_TABLES, db.config.migrationsTable]);
  const tables = new Map<string, LiveTable>();
  // MikroORM does not read SQLite's checks: the table's own statement says them.
  const sqliteChecks =
    db.dialect === 'sqlite'
      ? new Map(
          (await db.query<{ name: string; sql: string }>("select name, sql from sqlite_master where type = 'table'")).map((t) => [
            t.name,
            namedChecks(String(t.sql ?? '')).checks,
          ]),
        )
      : undefined;
  for (const table of schema.getTables()) {
    if (skip.has(table.name)) continue;
    tables.set(table.name, {
      name: table.name,
      columns: table.getColumns().map((c) => ({
        name: c.name,
        type: TYPE_NAMES[c.mappedType.constructor.name],
        dbType: c.type,
        nullable: Boolean(c.nullable),
        default: c.default == null ? undefined : { sql: c.default },
        primary: Boolean(c.primary),
        autoincrement: Boolean(c.primary && c.autoincrement),
        length: c.length,
        precision: c.precision,
        scale: c.scale,
      })),
      indexes: table
        .getIndexes()
        .filter((i) => !i.primary)
        .map((i) => ({ name: i.keyName, columns: i.columnNames, unique: i.unique, constraint: i.constraint })),
      foreignKeys: Object.values(table.getForeignKeys()).map((fk) => ({
        name: fk.constraintName,
        columns: fk.columnNames,
        references: { table: fk.referencedTableName.replace(/^.*\./, ''), columns: fk.referencedColumnNames },
        onDelete: ACTIONS[String(fk.deleteRule ?? '').toLowerCase()],
        onUpdate: ACTIONS[String(fk.updateRule ?? '').toLowerCase()],
      })),
      checks:
        sqliteChecks?.get(table.name) ??
        table
          .getChecks()
          .filter((c) => typeof c.expression === 'string')
          .map((c) => ({ name: c.name, expression: c.expression as string })),
    });
  }
  return { tables, ownTables: [...skip] };
}

/**
 * The entities' portable types (MikroORM's metadata) over the live ones, column by column, so a down() written on
 * SQLite restores a varchar(255) as `string`, not as SQLite's `text`. A column no entity describes keeps its live type.
 */
export async function adoptEntityTypes(snapshot: SchemaSnapshot, db: Database): Promise<void> {
  // The entities as check and --from-entities find them (entitiesTs where MikroORM's CLI would read it).
  const orm = await openEntities(db, { connect: false });
  try {
    const platform = orm.em.getPlatform();
    for (const meta of entityMetadata(orm)) {
      const live = snapshot.tables.get(meta.tableName);
      for (const prop of Object.values(meta.properties) as EntityProperty[]) {
        if (prop.kind !== 'scalar' || prop.fieldNames?.length !== 1) continue;
        // The property's own type (`string`), not the column's as this database spells it (SQLite's `text`).
        const mapped = prop.customType ?? platform.getMappedType(prop.type);
        const type = SPEC_TYPES[mapped.constructor.name];
        const match = live?.columns.find((c) => c.name === prop.fieldNames[0]);
        if (type && match) Object.assign(match, { type, length: prop.length, precision: prop.precision, scale: prop.scale });
      }
    }
  } finally {
    await orm.close(true);
  }
}

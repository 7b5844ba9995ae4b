// MikroORM 6's own types for what migrate-ui holds on to (type-only: the runtime copy comes through modules.ts).
import type {
  AbstractSqlConnection,
  AbstractSqlDriver,
  CheckDef,
  Column,
  DatabaseSchema,
  DatabaseTable,
  ForeignKey,
  IndexDef,
  Knex,
  SchemaDifference,
  TableDifference,
} from '@mikro-orm/knex';

export type SqlDriver = AbstractSqlDriver<AbstractSqlConnection>;
export type SqlConnection = AbstractSqlConnection;
/** An open transaction, as MikroORM 6's connection hands it out (a knex transaction). */
export type Transaction = Knex.Transaction;
/** MikroORM 6's query and schema builder (knex), which a migration's `getKnex()` returns. */
export type QueryBuilderFactory = Knex;
/** A table as its schema builder describes one being created or altered, and the schema builder's own statement. */
export type TableBuilder = Knex.CreateTableBuilder | Knex.AlterTableBuilder;
export type SchemaBuilder = Knex.SchemaBuilder;
export type { CheckDef, Column, DatabaseSchema, DatabaseTable, ForeignKey, IndexDef, SchemaDifference, TableDifference };

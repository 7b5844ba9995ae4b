// MikroORM's own types for what core holds on to (type-only: the runtime copy comes through modules.ts).
import type { Configuration } from '@mikro-orm/core';
import type { AbstractSqlConnection, AbstractSqlDriver, Knex } from '@mikro-orm/knex';

export type MikroConfiguration = Configuration;
export type SqlDriver = AbstractSqlDriver<AbstractSqlConnection>;
export type SqlConnection = AbstractSqlConnection;
export type KnexInstance = Knex;
/** An open transaction, as MikroORM's connection hands it out. */
export type Transaction = Knex.Transaction;

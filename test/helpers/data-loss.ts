/**
 * Statements that drop something, or only look as if they did (an index, a constraint, a default, a table named
 * drop_table): what the first, regular-expression data-loss detector was tested with.
 */
export const DROP_STATEMENTS = [
  'drop table `features`',
  'DROP TABLE IF EXISTS "users", "channel"',
  'alter table features drop column slug',
  'alter table `features` drop `rank`, drop index `ix_rank`',
  'ALTER TABLE "features" DROP COLUMN IF EXISTS "data"',
  'alter table features drop constraint fk_user',
  'alter table features drop foreign key fk_user',
  'alter table features alter column slug drop default',
  'alter table features alter column slug drop not null',
  'drop index ix_features_slug',
  'create table drop_table (id int)',
];

/** What DROP_STATEMENTS lose, read one statement at a time, in order. */
export const DROPPED = [
  'table features and its rows',
  'table users and its rows',
  'table channel and its rows',
  'column features.slug and its values',
  'column features.rank and its values',
  'column features.data and its values',
];

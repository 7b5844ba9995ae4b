// migrate-ui as a library: open a MikroORM project, read its timeline, preview and run revisions with typed
// events, keep the timeline live (all of it from core/index.ts, the entry the CLI and the TUI use too); what a
// revision file imports (`ops`, `DataMigration`); a spec's types and the authoring session that turns a spec into a
// revision. The database handle, the SQL analyser and MikroORM's internals stay behind Project.

export * from './core/index.js';
export { describeLoss } from './core/preview/describe-loss.js';
export { DataMigrationStoppedError } from './core/data/data-executor.js';
export { DataMigration } from './core/data/data-migration.js';
export type { BatchContext, BatchingOptions, CallbackStep, DataStep, Row, RowUpdate, SetStep } from './core/data/steps.js';
export { type ForeignKeyOptions, Operations, ops } from './authoring/op/operations.js';
export type { AuthoredRevision } from './authoring/engine.js';
export type { EntityChange } from './authoring/entity-changes.js';
export { AuthoringSession, type RevisionDraft } from './authoring/session.js';
export type { DialectSql } from './authoring/sql.js';
export { describeProblem, type Problem } from './authoring/validate.js';
export type { ColumnDefault, ColumnSpec, ColumnType, Operation, ReferentialAction, Spec } from './authoring/spec.js';
export type { Fleet, FleetSource } from './core/fleet/config-fleet.js';

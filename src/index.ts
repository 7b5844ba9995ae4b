// migrate-ui as a library: open a MikroORM project, read its timeline, preview and run revisions with typed
// events, keep the timeline live. The database handle and MikroORM's internals stay behind Project.

export type { AuthoredRevision } from './authoring/engine.js';
export type { EntityChange } from './authoring/entity-changes.js';
export { type ForeignKeyOptions, Operations, ops } from './authoring/op/operations.js';
export { AuthoringSession, type RevisionDraft } from './authoring/session.js';
export type { DialectSql } from './authoring/sql.js';
export { describeProblem, type Problem } from './authoring/validate.js';
export type { ColumnDefault, ColumnSpec, ColumnType, Operation, ReferentialAction, Spec } from './authoring/spec.js';
export { type CheckReport, OWN_TABLES } from './core/check.js';
export type { ProjectOptions } from './core/config.js';
export type { DataControl } from './core/data/control.js';
export { DataMigrationStoppedError } from './core/data/data-executor.js';
export { DataMigration } from './core/data/data-migration.js';
export { type DataMigrationProgress, type RateEstimate, RateTracker } from './core/data/progress-report.js';
export type { ProgressRow, StepStatus } from './core/data/progress-store.js';
export type { BatchContext, BatchingOptions, CallbackStep, DataStep, Row, RowUpdate, SetStep } from './core/data/steps.js';
export {
  BrokenRevisionError,
  ConfigError,
  ConnectionError,
  ExitCode,
  type ExitCodeValue,
  errorLine,
  exitCodeOf,
  type FailureSource,
  LockLostError,
  LockTimeoutError,
  MigrateUiError,
  NoConfigError,
  PlanChangedError,
  RevisionFailedError,
  StoppedError,
  UnsupportedError,
  UsageError,
} from './core/errors.js';
export { type DataState, type Direction, type LockHolder, type RunEvent, RunEvents } from './core/events.js';
export type { Executor, RevisionRun } from './core/executors/executor.js';
export { type LiveOptions, type LiveState, LiveTimeline } from './core/live-timeline.js';
export type { MigrationClass, MigrationInstance } from './core/loader.js';
export { describeLoss } from './core/preview/describe-loss.js';
export type { MeasuredLoss, PreviewOptions, PreviewSource, RevisionPreview } from './core/preview/preview.js';
export { Project } from './core/project.js';
export type { RevisionKind } from './core/revisions.js';
export type { ExecutorFactory, RunBackend, RunSession } from './core/run-session.js';
export { type RunOptions, type RunResult, Runner } from './core/runner.js';
export { maskPasswords } from './core/secrets.js';
export {
  type DataLoss,
  dataLossOf,
  describeDataLoss,
  type LintWarning,
  lintRevision,
  parseStatement,
  type Statement,
  splitStatements,
} from './core/sql/index.js';
export { lintFile as lintSource } from './authoring/ops/lint.js';
export type { Plan } from './core/target.js';
export type { Revision, RevisionStatus, Timeline } from './core/timeline.js';
export type { Dialect } from './core/url.js';

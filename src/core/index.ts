// Core as the layers above it (ui, cli) and the package's users see it: Project, what its methods hand out, the run
// events and the errors. Every value here is one Project loads anyway (so importing this costs nothing once a
// project is open); the rest are types. What is not here is core's own business, or a helper ui/cli import by path.

export type { CheckReport } from './check.js';
export type { ProjectOptions } from './config.js';
export type { DataControl } from './data/control.js';
export type { DataMigrationProgress } from './data/progress-report.js';
export type { ProgressRow, StepStatus } from './data/progress-store.js';
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
} from './errors.js';
export { type DataState, type Direction, type LockHolder, type RunEvent, RunEvents } from './events.js';
export { type LiveOptions, type LiveState, LiveTimeline } from './live-timeline.js';
export type { MigrationClass, MigrationInstance } from './loader.js';
export type { MeasuredLoss, PreviewOptions, PreviewSource, RevisionPreview } from './preview/preview.js';
export { Project, type StampOptions, type StampResult } from './project.js';
export type { RevisionKind } from './revisions.js';
export { type RunOptions, type RunResult, Runner } from './runner.js';
export type { Plan, PlanOptions } from './target.js';
export type { Revision, RevisionStatus, Timeline } from './timeline.js';
export type { Dialect } from './url.js';

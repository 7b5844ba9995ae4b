import { loadProjectConfig, type ProjectConfig, type ProjectOptions } from './config.js';
import { Database } from './database.js';
import type { Direction, LockHolder } from './events.js';
import { type LiveOptions, LiveTimeline } from './live-timeline.js';
import { readTimeline } from './history.js';
import { readLockHolder } from './lock.js';
import type { PreviewEngine, PreviewOptions, PreviewSource, RevisionPreview } from './preview/preview.js';
import { Runner } from './runner.js';
import type { RunBackend } from './run-session.js';
import { planFor, type Plan, type PlanOptions } from './target.js';
import type { Timeline } from './timeline.js';
import type { CheckReport } from './check.js';
import type { DataControl } from './data/control.js';
import type { DataMigrationProgress } from './data/progress-report.js';
import { hasRevisionFiles } from './revisions.js';
import { PlanChangedError } from './errors.js';

export interface StampOptions {
  /** A TARGET of DESIGN §3, as `up` (or, unapply, `down`) reads it. */
  target: string;
  unapply?: boolean;
  /** The revision names the person confirmed, in order. */
  confirmed?: string[];
  lockTimeoutMs?: number;
}

export interface StampResult {
  direction: Direction;
  /** The revisions whose records were written (up) or forgotten (down), in that order. */
  stamped: string[];
}

let handleOf: (project: Project) => Database;

/** An opened MikroORM project: its config and a live connection. Everything the CLI and the TUI ask goes through here. */
export class Project {
  /** The connection pool; the public API never hands it out (core's own modules reach it through databaseOf()). */
  readonly #db: Database;
  #previews: Promise<PreviewEngine> | undefined;

  static {
    handleOf = (project) => project.#db;
  }

  private constructor(
    readonly config: ProjectConfig,
    db: Database,
  ) {
    this.#db = db;
  }

  /** Finds and loads the config, then connects. */
  static async open(options: ProjectOptions = {}): Promise<Project> {
    return Project.connect(await loadProjectConfig(options));
  }

  /** Connects with a config loaded already (a fleet's targets share one load). */
  static async connect(config: ProjectConfig): Promise<Project> {
    return new Project(config, await Database.connect(config));
  }

  get dialect() {
    return this.#db.dialect;
  }

  /** The revisions on disk joined with what the database recorded. Imports no migration file. */
  async timeline(): Promise<Timeline> {
    return (await readTimeline(this.#db)).timeline;
  }

  /** What `up`/`down` TARGET would run, as of now. */
  async plan(direction: Direction, target?: string, options?: PlanOptions): Promise<Plan> {
    return planFor(await this.timeline(), direction, target, options);
  }

  /**
   * Marks revisions applied (what `up TARGET` would apply) or, `unapply`, not applied (what `down TARGET` would
   * revert) without running them, under the lock, in both history tables; for a database built another way.
   * `confirmed` are the names the person saw: under the lock the plan must be exactly these, or nothing is written.
   */
  async stamp(options: StampOptions): Promise<StampResult> {
    const direction = options.unapply ? 'down' : 'up';
    const session = await new (await import('./run-session.js')).DatabaseBackend(this.#db).open({ timeoutMs: options.lockTimeoutMs ?? 30_000 });
    try {
      await session.prepare();
      const { timeline, files } = await session.readTimeline();
      const planned = planFor(timeline, direction, options.target, { recordsOnly: true }).revisions;
      const names = planned.map((r) => r.name);
      if (options.confirmed && names.join('\n') !== options.confirmed.join('\n')) throw new PlanChangedError(options.confirmed, names);
      if (planned.length > 0) await session.stamp(planned, new Map(files.map((f) => [f.name, f])), direction);
      return { direction, stamped: names };
    } finally {
      await session.release();
    }
  }

  /** A runner for one run; listen to its events before calling run(). */
  runner(): Runner {
    const db = this.#db;
    // The run's machinery (sessions, executors, previews, the SQL reader) loads when a run opens: status never needs it.
    let real: RunBackend | undefined;
    const backend: RunBackend = {
      get dialect() {
        return db.dialect;
      },
      open: async (options) => {
        real ??= new (await import('./run-session.js')).DatabaseBackend(db);
        return real.open(options);
      },
    };
    return new Runner(backend);
  }

  /** What one revision (or a migration class) would run and lose; never changes the database. */
  async preview(source: PreviewSource, direction: Direction, options?: PreviewOptions): Promise<RevisionPreview> {
    return (await this.#engine()).preview(source, direction, options);
  }

  /** What every revision of a plan would run and lose, in order. */
  async previewPlan(plan: Plan, options?: PreviewOptions): Promise<RevisionPreview[]> {
    return (await this.#engine()).previewPlan(plan, options);
  }

  #engine(): Promise<PreviewEngine> {
    this.#previews ??= import('./preview/preview.js').then(({ PreviewEngine }) => new PreviewEngine(this.#db));
    return this.#previews;
  }

  /** The timeline kept live (watcher and poll): subscribe to hear every visible change. */
  live(options?: LiveOptions): LiveTimeline {
    return new LiveTimeline(this.#db, options);
  }

  /** Whether the migrations folder holds any revision file (none is read). */
  hasRevisionFiles(): boolean {
    return hasRevisionFiles(this.config.migrationsDir);
  }

  async lockHolder(): Promise<LockHolder | null> {
    return readLockHolder(this.#db);
  }

  /** Every data migration recorded in `migrate_ui_progress` (any process's), its steps added up; oldest revision first. */
  async dataMigrations(): Promise<DataMigrationProgress[]> {
    const [{ summarise }, { ProgressStore }] = await Promise.all([import('./data/progress-report.js'), import('./data/progress-store.js')]);
    return summarise(await new ProgressStore(this.#db).read());
  }

  /** Pauses, resumes or cancels a data migration running in any process (between its batches); returns the steps changed. */
  async controlDataMigration(revision: string, action: DataControl): Promise<number> {
    const { ProgressStore } = await import('./data/progress-store.js');
    return new ProgressStore(this.#db).control(revision, action);
  }

  async check(): Promise<CheckReport> {
    const { checkProject } = await import('./check.js');
    return checkProject(this.#db, await this.timeline());
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}

/**
 * The connection of an open project, for the package's own layers that work below the public API: authoring reads
 * the live schema, discovers entities and previews a draft against a schema of its own through it. Not exported from
 * the package; the CLI and the TUI use Project's methods.
 */
export function databaseOf(project: Project): Database {
  return handleOf(project);
}

import { loadProjectConfig, type ProjectConfig, type ProjectOptions } from './config.js';
import { Database } from './database.js';
import type { Direction, LockHolder } from './events.js';
import { readLockHolder } from './lock.js';
import { readTimeline, Runner } from './runner.js';
import { planFor, type Plan } from './target.js';
import type { Revision, Timeline } from './timeline.js';
import { checkProject, type CheckReport } from './check.js';

/** An opened MikroORM project: its config and a live connection. Everything the CLI and the TUI ask goes through here. */
export class Project {
  private constructor(
    readonly config: ProjectConfig,
    readonly db: Database,
  ) {}

  /** Finds and loads the config, then connects. */
  static async open(options: ProjectOptions = {}): Promise<Project> {
    const config = await loadProjectConfig(options);
    return new Project(config, await Database.connect(config));
  }

  get dialect() {
    return this.db.dialect;
  }

  /** The revisions on disk joined with what the database recorded. Imports no migration file. */
  async timeline(): Promise<Timeline> {
    return (await readTimeline(this.db)).timeline;
  }

  /** What `up`/`down` TARGET would run, as of now. */
  async plan(direction: Direction, target?: string): Promise<Plan> {
    return planFor(await this.timeline(), direction, target);
  }

  /** A runner for one run; listen to its events before calling run(). */
  runner(): Runner {
    return new Runner(this.db);
  }

  /** The SQL `revision` would run in `direction` on this database. */
  async statementsOf(revision: Revision, direction: Direction): Promise<string[]> {
    return new Runner(this.db).statementsOf(revision, direction);
  }

  async lockHolder(): Promise<LockHolder | null> {
    return readLockHolder(this.db);
  }

  async check(): Promise<CheckReport> {
    return checkProject(this.db, await this.timeline());
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

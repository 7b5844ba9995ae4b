import type { Project } from '../project.js';
import type { DataMigrationProgress } from './progress-report.js';

/** What another process can ask of a running data migration. */
export type DataControl = 'pause' | 'resume' | 'cancel';

/** Every data migration recorded in `migrate_ui_progress`, its steps added up (for status, watch, the TUI). */
export function readDataMigrations(project: Project): Promise<DataMigrationProgress[]> {
  return project.dataMigrations();
}

/**
 * Pauses, resumes or cancels a data migration, whichever process runs it: it reacts between two batches (cancel
 * stops it after the current batch; it stays resumable). Returns how many of its steps changed (0: nothing to do).
 */
export function setDataMigrationControl(project: Project, revision: string, action: DataControl): Promise<number> {
  return project.controlDataMigration(revision, action);
}

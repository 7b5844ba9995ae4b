/** What another process can ask of a running data migration (Project.controlDataMigration). */
export type DataControl = 'pause' | 'resume' | 'cancel';

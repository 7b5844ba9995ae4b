import { DataMigration, type DataStep } from 'migrate-ui';

/**
 * Sets features.slug = lower(name) where it is null, in batches walking the primary key. Each batch commits with its
 * checkpoint, so an interrupted run resumes where it stopped; it can be paused and watched from another terminal.
 */
export class Migration20260105090000_backfill_feature_slug extends DataMigration {
  override steps(): DataStep[] {
    return [{ table: 'features', set: { slug: 'lower(name)' }, where: 'slug is null' }];
  }

  override batching() {
    // The demo's throttle (README): 1,000 rows a batch and a quarter second between batches, so that 100,000 rows take
    // about 25 s, time enough to pause, resume, cancel, watch and kill it. Unset, it runs at full speed.
    return process.env.MIGRATE_UI_DEMO_SLOW ? { initialBatchSize: 1000, maxBatchSize: 1000, pauseMs: 250 } : {};
  }

  override async down(): Promise<void> {
    // Nothing to undo: the previous revision's down() drops the slug column itself.
  }
}

import { Migration } from '@mikro-orm/migrations';

const BATCH_SIZE = 1000;

/**
 * @migrate-ui data
 * Sets features.slug = lower(name) where it is null, 1,000 rows at a time, walking the primary key.
 * Each batch commits on its own, so an interrupted run resumes where it stopped.
 */
export class Migration20260105090000_backfill_feature_slug extends Migration {
  override isTransactional(): boolean {
    return false;
  }

  override async up(): Promise<void> {
    const knex = this.getKnex();
    let lastId: string | null = null;
    for (;;) {
      const page = knex('features').select('id').whereNull('slug').orderBy('id').limit(BATCH_SIZE);
      if (lastId !== null) page.where('id', '>', lastId);
      const rows = (await this.execute(page)) as Array<{ id: string }>;
      if (rows.length === 0) break;
      const from = rows[0].id;
      lastId = rows[rows.length - 1].id;
      await this.execute(
        knex('features')
          .update({ slug: knex.raw('lower(name)') })
          .whereNull('slug')
          .whereBetween('id', [from, lastId]),
      );
    }
  }

  override async down(): Promise<void> {
    // Nothing to undo: the previous revision's down() drops the slug column itself.
  }
}

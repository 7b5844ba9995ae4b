import { Migration } from '@mikro-orm/migrations';

export class Migration20260106090000_add_feature_slug_index extends Migration {
  override async up(): Promise<void> {
    const schema = this.getKnex().schema.alterTable('features', (table) => {
      table.index(['slug'], 'ix_features_slug');
    });
    for (const { sql } of schema.toSQL()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    const schema = this.getKnex().schema.alterTable('features', (table) => {
      table.dropIndex(['slug'], 'ix_features_slug');
    });
    for (const { sql } of schema.toSQL()) this.addSql(sql);
  }
}

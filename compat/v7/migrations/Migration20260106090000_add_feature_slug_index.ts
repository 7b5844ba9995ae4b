import { Migration } from '@mikro-orm/migrations';

export class Migration20260106090000_add_feature_slug_index extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index ix_features_slug on features (slug)');
  }

  override async down(): Promise<void> {
    // MySQL and MariaDB name the table a dropped index is on.
    const mysql = /MySql|MariaDb/.test(this.driver.constructor.name);
    this.addSql(mysql ? 'drop index ix_features_slug on features' : 'drop index ix_features_slug');
  }
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20260104090000_add_feature_slug extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table features add column slug ${this.driver.getPlatform().getVarcharTypeDeclarationSQL({ length: 255 })} null`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table features drop column slug');
  }
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20260103090000_add_features_table extends Migration {
  override async up(): Promise<void> {
    const p = this.driver.getPlatform();
    const string = p.getVarcharTypeDeclarationSQL({ length: 255 });
    const bigint = p.getBigIntTypeDeclarationSQL({});
    this.addSql(
      `create table features (id ${string} not null primary key, user_id ${string} not null, name ${string} not null, description ${p.getTextTypeDeclarationSQL({})} null, data ${p.getJsonDeclarationSQL()} null, is_active ${p.getBooleanTypeDeclarationSQL()} not null default true, created_at ${bigint} not null, updated_at ${bigint} not null)`,
    );
    this.addSql('create index ix_features_user_id on features (user_id)');
    this.addSql('create index ix_features_created_at on features (created_at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table features');
  }
}

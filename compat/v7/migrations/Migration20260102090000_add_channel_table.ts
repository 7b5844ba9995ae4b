import { Migration } from '@mikro-orm/migrations';

export class Migration20260102090000_add_channel_table extends Migration {
  override async up(): Promise<void> {
    const p = this.driver.getPlatform();
    const string = p.getVarcharTypeDeclarationSQL({ length: 255 });
    this.addSql(
      `create table channel (id ${string} not null primary key, name ${string} not null, topic ${p.getTextTypeDeclarationSQL({})} null, created_at ${p.getBigIntTypeDeclarationSQL({})} not null)`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table channel');
  }
}

import { Migration } from '@mikro-orm/migrations';

// MikroORM-style revisions (addSql), with column types as MikroORM maps them on the connected database.
export class Migration20260101090000_create_users extends Migration {
  override async up(): Promise<void> {
    const p = this.driver.getPlatform();
    const string = p.getVarcharTypeDeclarationSQL({ length: 255 });
    this.addSql(
      `create table users (id ${string} not null primary key, name ${string} not null, email ${string} not null, created_at ${p.getBigIntTypeDeclarationSQL({})} not null)`,
    );
    this.addSql('create unique index users_email_unique on users (email)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table users');
  }
}

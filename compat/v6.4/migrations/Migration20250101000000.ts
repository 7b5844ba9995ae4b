import { Migration } from '@mikro-orm/migrations';

export class Migration20250101000000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`authors\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`email\` text not null);`);
    this.addSql(`create unique index \`authors_email_unique\` on \`authors\` (\`email\`);`);
  }

  // Written by hand: MikroORM's migration:create wrote no down() for SQLite.
  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`authors\`;`);
  }

}

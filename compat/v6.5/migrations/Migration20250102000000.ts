import { Migration } from '@mikro-orm/migrations';

export class Migration20250102000000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`books\` (\`id\` integer not null primary key autoincrement, \`author_id\` integer not null, \`title\` text not null);`);
    this.addSql(`create index \`ix_books_author_id\` on \`books\` (\`author_id\`);`);
  }

  // Written by hand: MikroORM's migration:create wrote no down() for SQLite.
  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`books\`;`);
  }

}

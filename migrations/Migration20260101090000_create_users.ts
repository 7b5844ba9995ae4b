import { Migration } from '@mikro-orm/migrations';

export class Migration20260101090000_create_users extends Migration {
  override async up(): Promise<void> {
    const schema = this.getKnex().schema.createTable('users', (table) => {
      table.string('id', 255).primary();
      table.string('name', 255).notNullable();
      table.string('email', 255).notNullable().unique({ indexName: 'users_email_unique' });
      table.bigInteger('created_at').notNullable();
    });
    for (const { sql } of schema.toSQL()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(this.getKnex().schema.dropTable('users').toQuery());
  }
}

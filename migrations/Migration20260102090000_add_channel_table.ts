import { Migration } from '@mikro-orm/migrations';

export class Migration20260102090000_add_channel_table extends Migration {
  override async up(): Promise<void> {
    const schema = this.getKnex().schema.createTable('channel', (table) => {
      table.string('id', 255).primary();
      table.string('name', 255).notNullable();
      table.text('topic').nullable();
      table.bigInteger('created_at').notNullable();
    });
    for (const { sql } of schema.toSQL()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(this.getKnex().schema.dropTable('channel').toQuery());
  }
}

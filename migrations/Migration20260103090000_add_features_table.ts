import { Migration } from '@mikro-orm/migrations';

export class Migration20260103090000_add_features_table extends Migration {
  override async up(): Promise<void> {
    const schema = this.getKnex().schema.createTable('features', (table) => {
      table.string('id', 255).primary();
      table.string('user_id', 255).notNullable();
      table.string('name', 255).notNullable();
      table.text('description').nullable();
      table.jsonb('data').nullable();
      table.boolean('is_active').notNullable().defaultTo(true);
      table.bigInteger('created_at').notNullable();
      table.bigInteger('updated_at').notNullable();
      table.index(['user_id'], 'ix_features_user_id');
      table.index(['created_at'], 'ix_features_created_at');
    });
    for (const { sql } of schema.toSQL()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(this.getKnex().schema.dropTable('features').toQuery());
  }
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20260103090000_add_features_table extends Migration {
  override async up(): Promise<void> {
    const types = this.columnTypes();
    const schema = this.getKnex().schema.createTable('features', (table) => {
      table.specificType('id', types.string).notNullable().primary();
      table.specificType('user_id', types.string).notNullable();
      table.specificType('name', types.string).notNullable();
      table.specificType('description', types.text).nullable();
      table.specificType('data', types.json).nullable();
      table.specificType('is_active', types.boolean).notNullable().defaultTo(this.getKnex().raw('true'));
      table.specificType('created_at', types.bigint).notNullable();
      table.specificType('updated_at', types.bigint).notNullable();
      table.index(['user_id'], 'ix_features_user_id');
      table.index(['created_at'], 'ix_features_created_at');
    });
    for (const { sql } of schema.toSQL()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(this.getKnex().schema.dropTable('features').toQuery());
  }

  /** Column types as MikroORM maps them on the connected database, so the entities and the schema agree. */
  private columnTypes() {
    const platform = this.driver.getPlatform();
    return {
      string: platform.getVarcharTypeDeclarationSQL({ length: 255 }),
      text: platform.getTextTypeDeclarationSQL({}),
      json: platform.getJsonDeclarationSQL(),
      boolean: platform.getBooleanTypeDeclarationSQL(),
      bigint: platform.getBigIntTypeDeclarationSQL({}),
    };
  }
}

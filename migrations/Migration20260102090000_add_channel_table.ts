import { Migration } from '@mikro-orm/migrations';

export class Migration20260102090000_add_channel_table extends Migration {
  override async up(): Promise<void> {
    const types = this.columnTypes();
    const schema = this.getKnex().schema.createTable('channel', (table) => {
      table.specificType('id', types.string).notNullable().primary();
      table.specificType('name', types.string).notNullable();
      table.specificType('topic', types.text).nullable();
      table.specificType('created_at', types.bigint).notNullable();
    });
    for (const { sql } of schema.toSQL()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(this.getKnex().schema.dropTable('channel').toQuery());
  }

  /** Column types as MikroORM maps them on the connected database, so the entities and the schema agree. */
  private columnTypes() {
    const platform = this.driver.getPlatform();
    return {
      string: platform.getVarcharTypeDeclarationSQL({ length: 255 }),
      text: platform.getTextTypeDeclarationSQL({}),
      bigint: platform.getBigIntTypeDeclarationSQL({}),
    };
  }
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20260101090000_create_users extends Migration {
  override async up(): Promise<void> {
    const types = this.columnTypes();
    const schema = this.getKnex().schema.createTable('users', (table) => {
      table.specificType('id', types.string).notNullable().primary();
      table.specificType('name', types.string).notNullable();
      table.specificType('email', types.string).notNullable().unique({ indexName: 'users_email_unique' });
      table.specificType('created_at', types.bigint).notNullable();
    });
    for (const { sql } of schema.toSQL()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(this.getKnex().schema.dropTable('users').toQuery());
  }

  /** Column types as MikroORM maps them on the connected database, so the entities and the schema agree. */
  private columnTypes() {
    const platform = this.driver.getPlatform();
    return {
      string: platform.getVarcharTypeDeclarationSQL({ length: 255 }),
      bigint: platform.getBigIntTypeDeclarationSQL({}),
    };
  }
}

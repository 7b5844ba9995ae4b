import { Migration } from '@mikro-orm/migrations';

export class Migration20260104090000_add_feature_slug extends Migration {
  override async up(): Promise<void> {
    const types = this.columnTypes();
    const schema = this.getKnex().schema.alterTable('features', (table) => {
      table.specificType('slug', types.string).nullable();
    });
    for (const { sql } of schema.toSQL()) this.addSql(sql);
  }

  override async down(): Promise<void> {
    // Plain SQL: SQLite (3.35+), PostgreSQL and MySQL all drop a column this way.
    this.addSql('alter table features drop column slug');
  }

  /** Column types as MikroORM maps them on the connected database, so the entities and the schema agree. */
  private columnTypes() {
    const platform = this.driver.getPlatform();
    return {
      string: platform.getVarcharTypeDeclarationSQL({ length: 255 }),
    };
  }
}

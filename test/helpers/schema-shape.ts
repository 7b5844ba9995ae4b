import { Project } from '../../src/index.js';
import { databaseOf } from '../../src/core/project.js';
import { readSnapshot } from '../../src/authoring/snapshot.js';
import type { TestDatabase } from './databases.js';
import { ROOT } from './cli.js';

/**
 * The schema of a test database as a comparable shape: per table, its columns (type as MikroORM maps it and
 * as the database declares it, nullability, default, primary key) by name, its indexes and foreign keys, sorted.
 * What "down() reverts to exactly the schema before" compares: structure, not how a DDL statement was spelled.
 */
export async function schemaShape(db: TestDatabase, configPath = `${ROOT}/mikro-orm.config.ts`): Promise<Record<string, unknown>> {
  const project = await Project.open({ cwd: ROOT, configPath, dbUrl: db.url, env: {} });
  try {
    const snapshot = await readSnapshot(databaseOf(project));
    const tables: Record<string, unknown> = {};
    for (const [name, table] of [...snapshot.tables].sort(([a], [b]) => a.localeCompare(b))) {
      tables[name] = {
        columns: Object.fromEntries(
          [...table.columns]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((c) => [c.name, { type: c.type, dbType: c.dbType.toLowerCase(), nullable: c.nullable, default: c.default, primary: c.primary }]),
        ),
        indexes: table.indexes.map((i) => `${i.name}(${i.columns.join(',')})${i.unique ? ' unique' : ''}`).sort(),
        foreignKeys: table.foreignKeys
          .map((fk) => `${fk.name}(${fk.columns.join(',')})->${fk.references.table}(${fk.references.columns.join(',')}) ${fk.onDelete ?? ''}`)
          .sort(),
      };
    }
    return tables;
  } finally {
    await project.close();
  }
}

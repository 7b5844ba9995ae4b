import type { SchemaDifference } from '../orm/port.js';
import type { SchemaChange } from './snapshot.js';

const tableName = (name: string) => name.replace(/^public\./, '');

/**
 * MikroORM's comparator's difference as schema changes: where one side is the entities, its view of what differs
 * (it knows which declared lengths and precisions the database reports otherwise), not a field-by-field comparison.
 */
export function changesOfDifference(diff: SchemaDifference): SchemaChange[] {
  const changes: SchemaChange[] = [];
  for (const name of Object.keys(diff.newTables)) changes.push({ change: 'added', kind: 'table', table: tableName(name) });
  for (const name of Object.keys(diff.removedTables)) changes.push({ change: 'removed', kind: 'table', table: tableName(name) });
  for (const [key, t] of Object.entries(diff.changedTables)) {
    const table = tableName(key);
    const named = (change: SchemaChange['change'], kind: SchemaChange['kind'], names: string[]) => {
      for (const name of names) changes.push({ change, kind, table, name });
    };
    named('added', 'column', Object.keys(t.addedColumns));
    named('removed', 'column', Object.keys(t.removedColumns));
    for (const [from, column] of Object.entries(t.renamedColumns))
      changes.push({ change: 'changed', kind: 'column', table, name: from, properties: { name: { from, to: column.name } } });
    for (const [name, c] of Object.entries(t.changedColumns)) {
      const properties: Record<string, { from: unknown; to: unknown }> = {};
      for (const p of c.changedProperties) {
        const key = p as keyof typeof c.column;
        properties[p] = { from: c.fromColumn[key] ?? null, to: c.column[key] ?? null };
      }
      changes.push({ change: 'changed', kind: 'column', table, name, properties });
    }
    // Indexes, foreign keys and checks: added, removed and changed, each by its name.
    const byName = <T>(kind: SchemaChange['kind'], lists: (Record<string, T> | T[])[], nameOf: (part: T) => string) => {
      for (const [i, change] of (['added', 'removed', 'changed'] as const).entries()) named(change, kind, Object.values(lists[i]).map(nameOf));
    };
    byName('index', [t.addedIndexes, t.removedIndexes, t.changedIndexes], (i) => i.keyName);
    byName('foreignKey', [t.addedForeignKeys, t.removedForeignKeys, t.changedForeignKeys], (f) => f.constraintName);
    byName('check', [t.addedChecks, t.removedChecks, t.changedChecks], (c) => c.name);
  }
  return changes;
}

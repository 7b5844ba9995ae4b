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
    named(
      'added',
      'index',
      Object.values(t.addedIndexes).map((i) => i.keyName),
    );
    named(
      'removed',
      'index',
      Object.values(t.removedIndexes).map((i) => i.keyName),
    );
    named(
      'changed',
      'index',
      Object.values(t.changedIndexes).map((i) => i.keyName),
    );
    named(
      'added',
      'foreignKey',
      Object.values(t.addedForeignKeys).map((f) => f.constraintName),
    );
    named(
      'removed',
      'foreignKey',
      Object.values(t.removedForeignKeys).map((f) => f.constraintName),
    );
    named(
      'changed',
      'foreignKey',
      Object.values(t.changedForeignKeys).map((f) => f.constraintName),
    );
    named(
      'added',
      'check',
      Object.values(t.addedChecks).map((c) => c.name),
    );
    named(
      'removed',
      'check',
      Object.values(t.removedChecks).map((c) => c.name),
    );
    named(
      'changed',
      'check',
      Object.values(t.changedChecks).map((c) => c.name),
    );
  }
  return changes;
}
